"""``minsheng access ...`` as a user meets it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from minsheng.cli.main import app

runner = CliRunner()


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    rng = np.random.default_rng(1)
    xs, ys = np.meshgrid(np.arange(25) * 200.0, np.arange(20) * 200.0)
    pd.DataFrame(
        {
            "id": range(xs.size),
            "x": xs.ravel(),
            "y": ys.ravel(),
            "population": rng.integers(0, 30, xs.size),
        }
    ).to_csv(tmp_path / "D.csv", index=False)
    pd.DataFrame(
        {
            "id": [f"s{i}" for i in range(6)],
            "x": rng.uniform(0, 5000, 6),
            "y": rng.uniform(0, 4000, 6),
            "capacity": rng.integers(1, 5, 6),
        }
    ).to_csv(tmp_path / "S.csv", index=False)
    return tmp_path / "D.csv", tmp_path / "S.csv"


def test_2sfca_writes_id_score(files, tmp_path: Path) -> None:  # noqa: ANN001
    d, s = files
    out = tmp_path / "OUT.csv"
    result = runner.invoke(
        app,
        [
            "access",
            "2sfca",
            "--demand",
            str(d),
            "--supply",
            str(s),
            "--radius",
            "3000",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    df = pd.read_csv(out)
    assert df.columns.tolist() == ["id", "score"]
    assert len(df) == 500 and (df.score >= 0).all() and df.score.gt(0).any()


@pytest.mark.parametrize(
    "extra",
    [
        ["--decay", "step"],
        ["--decay", "gaussian", "--sigma", "800"],
        ["--decay", "step", "--steps", "1000:1,2000:0.5"],
        ["--decay", "gaussian", "--tile", "2500"],
    ],
)
def test_e2sfca(files, tmp_path: Path, extra: list[str]) -> None:  # noqa: ANN001
    d, s = files
    out = tmp_path / "e.parquet"
    result = runner.invoke(
        app, ["access", "e2sfca", "-d", str(d), "-s", str(s), "-r", "2000", "-o", str(out), *extra]
    )
    assert result.exit_code == 0, result.output
    assert pd.read_parquet(out).columns.tolist() == ["id", "score", "geometry"]  # GeoParquet


def test_coverage_and_site(files, tmp_path: Path) -> None:  # noqa: ANN001
    d, s = files
    result = runner.invoke(
        app,
        [
            "access",
            "coverage",
            "-d",
            str(d),
            "-s",
            str(s),
            "-r",
            "800",
            "-o",
            str(tmp_path / "c.csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "of residents have a facility within 800 m" in result.output
    assert pd.read_csv(tmp_path / "c.csv").columns.tolist() == ["id", "covered", "nearest_m"]
    result = runner.invoke(
        app,
        [
            "access",
            "site",
            "-d",
            str(d),
            "-c",
            str(d),
            "-r",
            "600",
            "-k",
            "2",
            "--existing",
            str(s),
            "-o",
            str(tmp_path / "p.csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(tmp_path / "p.csv")) == 2


@pytest.mark.parametrize(
    ("demand_text", "suffix", "needle"),
    [
        ("id,x,y\n1,0,0\n", ".csv", "missing column 'population'"),
        ("id,x,y,population\n1,0,0,5\n2,0,x,5\n", ".csv", "column 'y' must be a number; row 3"),
        ("id,x,y,population\n1,0,0,5\n", ".xls", "unknown file type"),
    ],
)
def test_bad_input_is_one_line(
    files, tmp_path: Path, demand_text: str, suffix: str, needle: str
) -> None:  # noqa: ANN001
    _, s = files
    bad = tmp_path / f"bad{suffix}"
    bad.write_text(demand_text, encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "access",
            "2sfca",
            "--demand",
            str(bad),
            "--supply",
            str(s),
            "--radius",
            "100",
            "--out",
            str(tmp_path / "o.csv"),
        ],
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert needle in " ".join(result.output.split())


# --- tables as their subject heads them: 床位数, 常住人口, no capacity for coverage -----


@pytest.fixture
def beds(tmp_path: Path) -> tuple[Path, Path]:
    demand = tmp_path / "社区.csv"
    demand.write_text(
        "编号,经度,纬度,常住人口\nA1,106.551,29.561,3000\nA2,106.52,29.55,2000\n", encoding="utf-8"
    )
    supply = tmp_path / "养老机构.csv"
    supply.write_bytes("编号,名称,经度,纬度,床位数\nF1,城东,106.55,29.56,120\n".encode("gb18030"))
    return demand, supply


def test_the_capacity_column_is_named_by_the_user(beds, tmp_path: Path) -> None:  # noqa: ANN001
    demand, supply = beds
    out = tmp_path / "s.csv"
    args = ["access", "2sfca", "-d", str(demand), "-s", str(supply), "-r", "5000", "-o", str(out)]
    unnamed = runner.invoke(app, args)
    assert unnamed.exit_code == 1 and "missing column 'capacity'" in unnamed.output
    assert "床位数" in unnamed.output  # the columns the file has
    assert not out.exists()
    named = runner.invoke(app, [*args, "--capacity-column", "床位数"])
    assert named.exit_code == 0, named.output
    scores = pd.read_csv(out, dtype={"id": str}).set_index("id")["score"]
    # both points reach the one facility: 120 beds over 5,000 residents
    assert scores.to_dict() == pytest.approx({"A1": 120 / 5000, "A2": 120 / 5000})
    blank = runner.invoke(app, [*args, "--capacity-column", " "])
    assert blank.exit_code == 1 and "--capacity-column needs a column name" in blank.output


def test_coverage_needs_no_capacity(beds, tmp_path: Path) -> None:  # noqa: ANN001
    demand, supply = beds
    result = runner.invoke(
        app, ["access", "coverage", "-d", str(demand), "-s", str(supply), "-r", "5000"]
    )
    assert result.exit_code == 0, result.output
    assert "100.00% of residents" in result.output


def test_an_unwritable_output_is_refused_before_any_work(beds, tmp_path: Path) -> None:  # noqa: ANN001
    demand, supply = beds
    for out, needle in (
        (tmp_path / "s.xlsx", "written as .csv"),
        (tmp_path / "no" / "s.csv", "does not exist"),
    ):
        result = runner.invoke(
            app,
            ["access", "2sfca", "-d", str(demand), "-s", str(tmp_path / "missing.csv"), "-r", "3000",
             "-o", str(out)],
        )  # fmt: skip
        # the output is judged first: the missing facilities file is not even opened
        assert result.exit_code == 1 and needle in result.output, result.output
