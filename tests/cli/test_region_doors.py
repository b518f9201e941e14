"""One table of region names — full, abbreviated (简称), Traditional, ambiguous, unknown —
resolving the same way through every door: ``minsheng regions``, ``minsheng import``,
file-mode ``minsheng evaluate`` and a plan's metadata."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minsheng.cli.main import app
from minsheng.ingest.documents.plan_json import plan_from_dict
from minsheng.services.observations import CATALOGUE, history

runner = CliRunner()
AMBIGUOUS, UNKNOWN = "ambiguous", "unknown"

TABLE = [
    ("重庆市永川区", "500118"),  # full name
    ("永川区", "500118"),
    ("永川", "500118"),  # 简称, unique in the country
    ("永川區", "500118"),  # Traditional script
    ("重慶市永川區", "500118"),
    ("500118", "500118"),  # a code
    ("四川省", "510000"),
    ("四川", "510000"),
    ("朝阳区", AMBIGUOUS),  # Beijing's and Changchun's
    ("鼓楼区", AMBIGUOUS),
    ("没有这个地方", UNKNOWN),
]


def _via_regions(text: str) -> str:
    result = runner.invoke(app, ["regions", text, "--format", "json"])
    assert result.exit_code == 0, result.output
    codes = [r["code"] for r in json.loads(result.output)]
    if not codes:
        return UNKNOWN
    return codes[0] if len(codes) == 1 else AMBIGUOUS


def _outcome(result) -> str:  # noqa: ANN001
    assert "Traceback" not in result.output
    if "ambiguous" in result.output:
        return AMBIGUOUS
    return UNKNOWN


def _via_import(text: str, tmp_path: Path, db) -> str:  # noqa: ANN001
    path = tmp_path / "obs.csv"
    path.write_text(f"指标,地区,年份,数值\n学前教育毛入园率,{text},2023年,91.5\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(path), "--plan", CATALOGUE, "--user", "t"])
    if result.exit_code != 0:
        return _outcome(result)
    found = [
        code for code in ("500118", "510000") if history(db, "ED01", code, 2023, plan=CATALOGUE)
    ]
    assert len(found) == 1
    return found[0]


def _via_evaluate(text: str, tmp_path: Path) -> str:
    plan = tmp_path / "plan.json"
    plan.write_text(
        json.dumps(
            {"document": "x", "region": "全国", "level": "national", "baseline_year": 2020,
             "target_year": 2025,
             "indicators": [{"seq": 1, "domain": "学有所教", "name": "学前教育毛入园率",
                             "unit": "%", "baseline_raw": "85.2", "target_raw": ">90",
                             "nature": "预期性", "notes": None}]},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )  # fmt: skip
    obs = tmp_path / "obs.csv"
    obs.write_text(f"indicator,region,year,value\n学前教育毛入园率,{text},2023,91.5\n",
                   encoding="gb18030")  # fmt: skip
    result = runner.invoke(
        app, ["evaluate", "--plan", str(plan), "--observations", str(obs), "--year", "2023",
              "--json"]
    )  # fmt: skip
    if result.exit_code != 0:
        return _outcome(result)
    rows = json.loads(result.stdout)  # stderr says which values were judged
    return rows[0]["region"]


def _via_plan_metadata(text: str) -> str:
    plan = plan_from_dict({"document": "x", "region": text, "indicators": []})
    # a plan's region is never guessed: an ambiguous or unknown name leaves it unknown
    return plan.metadata.region_code or "not resolved"


@pytest.mark.parametrize(("text", "expected"), TABLE)
def test_a_region_name_resolves_the_same_way_through_every_door(
    text: str, expected: str, cli_env, tmp_path: Path
) -> None:
    assert _via_regions(text) == expected
    assert _via_import(text, tmp_path, cli_env) == expected
    assert _via_evaluate(text, tmp_path) == expected
    assert _via_plan_metadata(text) == (
        expected if expected not in (AMBIGUOUS, UNKNOWN) else "not resolved"
    )
