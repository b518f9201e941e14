"""``minsheng evaluate --plan PLAN.json --observations OBS.csv``: no database needed.

The end-to-end case reads a real gold extraction and the real national
statistics from ../shared, turns the statistics into an OBS.csv in tmp_path and
checks every JSON row against what the method says about its own inputs.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from minsheng.cli.main import app
from minsheng.domain.evaluation import Status
from minsheng.ingest.documents.plan_json import load_plan_json

runner = CliRunner()
from shared_material import SHARED, require  # noqa: E402

NATIONAL_OBS = SHARED / "data" / "national_observations.csv"
REQUIRED = (
    "indicator",
    "region",
    "year",
    "status",
    "rho",
    "expected",
    "warning",
    "projected_linear",
    "anticipated_ratio",
    "grade",
)


def _national_gold() -> Path:
    for path in sorted((require() / "gold").glob("*.indicators.json")):
        if json.loads(path.read_text(encoding="utf-8")).get("level") == "national":
            return path
    pytest.fail("no national gold extraction in the shared material's gold/")


@pytest.fixture
def national_obs(tmp_path: Path) -> Path:
    require()
    if not NATIONAL_OBS.exists():
        pytest.fail("no national observations in the shared material's data/")
    out = tmp_path / "obs.csv"
    with (
        NATIONAL_OBS.open(encoding="utf-8") as src,
        out.open("w", encoding="utf-8", newline="") as dst,
    ):
        writer = csv.writer(dst)
        writer.writerow(["indicator", "region", "year", "value"])
        seen = set()
        for row in csv.DictReader(src):
            # the shared file lists a second source that disagrees on one value; an
            # observation file with two values for one key is refused, so keep the first
            if (row["indicator"], row["year"]) not in seen:
                seen.add((row["indicator"], row["year"]))
                writer.writerow([row["indicator"], "100000", row["year"], row["value"]])
    return out


@pytest.mark.parametrize("year", [2023, 2025])
def test_national_plan_against_real_statistics(national_obs: Path, year: int) -> None:
    gold = _national_gold()
    result = _evaluate(gold, national_obs, year, "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    plan = load_plan_json(gold)[0]
    assert len(rows) == len(plan.indicators)  # one row per indicator for the one region
    by_name = {i.name: i for i in plan.indicators}
    judged = 0
    for row in rows:
        assert all(k in row for k in REQUIRED)
        assert row["region"] == "100000" and row["year"] == year
        assert Status(row["status"])
        ind = by_name[row["indicator"]]
        assert row["warning"] == (
            ind.nature is not None
            and ind.nature.value == "binding"
            and row["status"] in ("lagging", "regressing")
        )
        if row["data_year"] is None:
            assert row["status"] in ("no_data", "not_assessable")
            continue
        assert row["y0"] < row["data_year"] <= min(year, row["yT"])
        if ind.baseline.data_year:  # a footnote moved the baseline year
            assert row["y0"] == ind.baseline.data_year
        assert (row["grade"] is None) == (row["data_year"] != row["yT"])
        if row["method"] == "planned_change":
            judged += 1
            # re-derive ρ and E_t from the record
            sign = 1 if row["polarity"] == "higher" else -1
            if row["target_kind"] in ("above", "at_least"):
                sign = 1
            elif row["target_kind"] in ("below", "at_most"):
                sign = -1
            gap = abs(row["target"] - row["baseline"])
            assert row["rho"] == pytest.approx(sign * (row["value"] - row["baseline"]) / gap)
            e = (row["data_year"] - row["y0"]) / (row["yT"] - row["y0"])
            assert row["elapsed"] == pytest.approx(e)
            assert row["expected"] == pytest.approx(
                row["baseline"] + e * (row["target"] - row["baseline"])
            )
            if row["status"] == "on_track":
                assert row["rho"] >= e - 1e-9
            if row["status"] == "lagging":
                assert 0 <= row["rho"] < e
    assert judged >= 5  # the statistics cover several of the plan's indicators


def test_table_output_uses_chinese_status_names(national_obs: Path) -> None:
    result = _evaluate(_national_gold(), national_obs, 2024)
    assert result.exit_code == 0, result.output
    assert any(s.label_zh in result.stdout for s in Status)


def _evaluate(plan: Path, observations: Path, year: int | str, *more: str) -> Result:
    """``minsheng evaluate --plan PLAN --observations FILE --year YEAR [MORE…]``."""
    args = ["--plan", str(plan), "--observations", str(observations), "--year", str(year)]
    return runner.invoke(app, ["evaluate", *args, *more])


def _small_plan(tmp_path: Path) -> Path:
    plan = {
        "region": "北京市",
        "level": "province",
        "baseline_year": 2020,
        "target_year": 2025,
        "indicators": [
            {
                "seq": 1,
                "domain": "学有所教",
                "name": "巩固率",
                "unit": None,
                "baseline_raw": "95.2%",
                "target_raw": "96%",
                "nature": "约束性",
                "notes": None,
            },
            {
                "seq": 2,
                "domain": "住有所居",
                "name": "改造",
                "unit": "个",
                "baseline_raw": "",
                "target_raw": "【12】",
                "nature": "预期性",
                "notes": None,
            },
        ],
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    return path


def _obs(tmp_path: Path, rows: list[tuple]) -> Path:
    path = tmp_path / "o.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["indicator", "region", "year", "value"])
        w.writerows(rows)
    return path


def test_small_plan_by_hand(tmp_path: Path) -> None:
    obs = _obs(
        tmp_path,
        [
            ("巩固率", "北京市", 2023, 95.4),
            ("改造", "110000", 2021, 3),
            ("改造", "11", 2022, 2),
            ("巩固率", "东城区", 2025, 96.0),
        ],
    )
    result = _evaluate(_small_plan(tmp_path), obs, 2023, "--json")
    assert result.exit_code == 0, result.output
    rows = {(r["indicator"], r["region"]): r for r in json.loads(result.stdout)}
    # 北京市 = 110000: ρ = (95.4-95.2)/0.8 = 0.25 < e = 0.6 → lagging; binding → warning
    r = rows[("巩固率", "110000")]
    assert (r["status"], r["warning"], r["grade"]) == ("lagging", True, None)
    assert r["rho"] == pytest.approx(0.25) and r["expected"] == pytest.approx(95.68)
    # cumulative: Σ = 3 + 2 = 5 by 2022; ρ = 5/12 = 0.4167 ≥ e = 0.4 → on track
    c = rows[("改造", "110000")]
    assert (c["status"], c["rho"]) == ("on_track", pytest.approx(5 / 12))
    # 东城区 (110101) has only 2025 data: nothing up to 2023
    assert rows[("巩固率", "110101")]["status"] == "no_data"
    final = _evaluate(_small_plan(tmp_path), obs, 2025, "--json", "--region", "110101")
    rows = json.loads(final.stdout)
    assert [(r["indicator"], r["status"], r["grade"]) for r in rows] == [
        ("巩固率", "achieved", "completed"),
        ("改造", "no_data", None),
    ]


def test_csv_output(tmp_path: Path) -> None:
    obs = _obs(tmp_path, [("巩固率", "110000", 2023, 95.4)])
    result = _evaluate(_small_plan(tmp_path), obs, 2023, "--csv")
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0].split(",")
    assert header[: len(REQUIRED)] == list(REQUIRED)


def test_bad_rows_are_refused_with_row_numbers(tmp_path: Path) -> None:
    obs = _obs(tmp_path, [("巩固率", "110000", 2023, "abc"), ("巩固率", "朝阳区", 2023, 1)])
    result = _evaluate(_small_plan(tmp_path), obs, 2023, "--json")
    assert result.exit_code == 1
    assert "row 2" in result.output and "row 3" in result.output and "ambiguous" in result.output


def test_plan_without_observations_file_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["evaluate", "--plan", str(_small_plan(tmp_path)), "--year", "2023"]
    )
    assert result.exit_code == 1
    assert "--observations" in result.output


def test_help() -> None:
    result = runner.invoke(app, ["evaluate", "--help"])
    assert result.exit_code == 0
    assert "--plan" in result.output and "--observations" in result.output


def test_qualitative_target_judged_by_an_analyst(tmp_path: Path) -> None:
    plan = json.loads(_small_plan(tmp_path).read_text(encoding="utf-8"))
    plan["indicators"].append(
        {
            "seq": 3,
            "domain": "弱有所扶",
            "name": "保障水平",
            "unit": None,
            "baseline_raw": "——",
            "target_raw": "显著提升",
            "nature": "预期性",
            "notes": None,
        }
    )
    path = tmp_path / "plan3.json"
    path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    obs = _obs(tmp_path, [("巩固率", "110000", 2023, 95.4)])
    judged = tmp_path / "j.csv"
    judged.write_text(
        "indicator,region,status,judged_by,judged_at\n保障水平,,on_track,李评估,2024-02-01\n",
        encoding="utf-8",
    )
    before = {r["indicator"]: r for r in json.loads(_evaluate(path, obs, 2023, "--json").stdout)}
    assert before["保障水平"]["status"] == "not_assessable"
    result = _evaluate(path, obs, 2023, "--json", "--judgements", str(judged))
    assert result.exit_code == 0, result.output
    after = {r["indicator"]: r for r in json.loads(result.stdout)}
    assert (
        after["保障水平"]["status"],
        after["保障水平"]["judged_by"],
        after["保障水平"]["method"],
    ) == ("on_track", "李评估", "analyst_judgement")
    judged.write_text("indicator,region,status,judged_by\n保障水平,,on_track,\n", encoding="utf-8")
    refused = _evaluate(path, obs, 2023, "--json", "--judgements", str(judged))
    assert refused.exit_code == 1 and "row 2" in refused.output


def test_an_exported_evaluation_is_refused_as_observations(tmp_path: Path) -> None:
    plan = _small_plan(tmp_path)
    obs = tmp_path / "obs.csv"
    obs.write_text("indicator,region,year,value\n巩固率,北京市,2023年,>95.5\n", encoding="gb18030")
    for flag, name in (("--csv", "results.csv"), ("--json", "results.json")):
        made = _evaluate(plan, obs, 2023, flag)
        assert made.exit_code == 0, made.output
        exported = tmp_path / name
        exported.write_text(made.stdout, encoding="utf-8")
        again = _evaluate(plan, exported, 2023)
        assert again.exit_code == 1 and "evaluation" in again.output, again.output
        assert "Traceback" not in again.output


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "text"])
def test_a_value_just_short_of_its_target_keeps_its_digits_and_says_why(
    tmp_path: Path, as_json: bool
) -> None:
    obs = _obs(tmp_path, [("巩固率", "110000", 2025, 95.9988)])
    args = ["evaluate", "--plan", str(_small_plan(tmp_path)), "--observations", str(obs)]
    wide = {"COLUMNS": "300"}  # one table row per line
    result = runner.invoke(
        app, [*args, "--year", "2025", *(["--json"] if as_json else [])], env=wide
    )
    assert result.exit_code == 0, result.output
    if as_json:
        [row] = [r for r in json.loads(result.stdout) if r["indicator"] == "巩固率"]
        assert row["status"] == "lagging"
        assert row["reason"].startswith("95.9988 (2025) is below the target 96")
    else:
        [line] = [ln for ln in result.stdout.splitlines() if "巩固率" in ln]
        assert "95.9988" in line and "95.9988 (2025) is below the target 96" in line


def test_equity_heads_its_columns_in_both_languages(cli_env, plan_factory) -> None:  # noqa: ANN001
    """The table showed theil_t, max_min_ratio and True/False."""
    from minsheng.domain.observations import Observation
    from minsheng.services.observations import add_observations

    values = [Observation("ED01", code, year, v + year - 2021)
              for code, v in (("510104", 80.0), ("510105", 90.0)) for year in (2021, 2022)]  # fmt: skip
    add_observations(cli_env, "catalogue", values, user="test")
    result = CliRunner().invoke(
        app, ["equity", "ED01", "--under", "510100", "--year", "2022"], env={"COLUMNS": "250"}
    )
    assert result.exit_code == 0, result.output
    assert "基尼 Gini" in result.output and "泰尔T Theil T" in result.output
    assert "True" not in result.output and "False" not in result.output
    assert "否 no" in result.output or "是 yes" in result.output
