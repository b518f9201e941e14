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
