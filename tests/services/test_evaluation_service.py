"""Store-backed evaluation: a stored plan judged like the same plan from files; align; equity."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from minsheng.cli.main import app
from minsheng.domain.indicators import Nature
from minsheng.domain.observations import Observation
from minsheng.services.evaluation import align_plan, evaluate_plan
from minsheng.services.evaluation_files import evaluate_files
from minsheng.services.observations import add_observations
from minsheng.services.plans import save_extracted_plan, set_higher_plan

runner = CliRunner()
VALUES = {  # indicator → {year: value} for the sample plan's region
    "学前教育毛入园率": {2021: 90.5, 2022: 91.0, 2023: 92.5},
    "九年义务教育巩固率": {2021: 95.3, 2023: 95.4},
    "新增城镇就业人数": {2021: 60.0, 2022: 70.0, 2023: 65.0},
}


def _store(db, plan) -> int:  # noqa: ANN001
    stored = save_extracted_plan(db, plan)
    obs = [
        Observation(name, plan.metadata.region_code, year, value)
        for name, series in VALUES.items()
        for year, value in series.items()
    ]
    add_observations(db, stored.id, obs, None)
    return stored.id


def test_a_stored_plan_is_judged_like_the_same_plan_from_files(
    seeded_db, plan_factory, tmp_path: Path
) -> None:
    plan = plan_factory()
    plan_id = _store(seeded_db, plan)
    _, stored = evaluate_plan(seeded_db, plan_id, 2023)
    # the same inputs as files
    plan_json = tmp_path / "plan.json"
    plan_json.write_text(
        json.dumps(
            {
                "region": None,
                "baseline_year": 2020,
                "target_year": 2025,
                "indicators": [i.gold_fields() for i in plan.indicators],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    obs_csv = tmp_path / "obs.csv"
    with obs_csv.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["indicator", "region", "year", "value"])
        for name, series in VALUES.items():
            for year, value in series.items():
                w.writerow([name, plan.metadata.region_code, year, value])
    from_files = evaluate_files(plan_json, obs_csv, 2023).results
    cols = ["indicator", "region", "status", "rho", "expected", "grade"]
    assert (
        stored.select(cols).sort("indicator").rows()
        == from_files.select(cols).sort("indicator").rows()
    )
    statuses = dict(stored.select("indicator", "status").rows())
    # 92.5 > 92 achieved; 巩固率 ρ = 0.2/0.8 = 0.25 < 0.6 lagging; 就业 Σ = 195 of 320: ρ = 0.609 ≥ 0.6 on track
    assert statuses["学前教育毛入园率"] == "achieved"
    assert statuses["九年义务教育巩固率"] == "lagging"
    assert statuses["新增城镇就业人数"] == "on_track"


def test_evaluate_cli_database_mode(cli_env, plan_factory) -> None:
    plan_id = _store(cli_env, plan_factory())
    result = runner.invoke(app, ["evaluate", str(plan_id), "--year", "2023", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {r["indicator"] for r in rows} >= set(VALUES)
    assert all(r["region"] == "510000" for r in rows)
    missing = runner.invoke(app, ["evaluate", "999999", "--year", "2023"])
    assert missing.exit_code == 1


def test_align_against_the_higher_plan(cli_env, plan_factory) -> None:
    national = plan_factory(region_code="100000", title="国家规划")
    national.metadata.level = None
    local = plan_factory(title="示例省规划")
    # locally the binding 巩固率 becomes anticipatory with a lower target; the 入园率 row is dropped
    local.indicators = [
        replace(
            local.indicators[1],
            nature=Nature.ANTICIPATORY,
            target_raw="95.5",
            target=replace(local.indicators[1].target, value=95.5),
        )
    ]
    national.indicators[0] = replace(national.indicators[0], nature=Nature.BINDING)
    n = save_extracted_plan(cli_env, national)
    loc = save_extracted_plan(cli_env, local)
    set_higher_plan(cli_env, loc.id, n.id)
    outcome = align_plan(cli_env, loc.id)
    flags = sorted(zip(outcome.flags["flag"], outcome.flags["canonical_code"], strict=True))
    assert flags == [
        ("below_higher_target", "ED02"),
        ("binding_made_anticipatory", "ED02"),
        ("missing_binding", "ED01"),
    ]
    result = runner.invoke(app, ["align", str(loc.id), "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 3


def test_each_result_keeps_its_calculation_record(seeded_db, plan_factory) -> None:
    from minsheng.services.evaluation import save_records
    from minsheng.services.plans import get_plan
    from minsheng.store.repositories.evaluation import evaluation_records

    plan_id = _store(seeded_db, plan_factory())
    _, results = evaluate_plan(seeded_db, plan_id, 2023)
    assert save_records(seeded_db, results, plan_id) == results.height
    with seeded_db.session() as session:
        records = evaluation_records(session, list(get_plan(seeded_db, plan_id).indicator_ids))
        by_kind = {r.target_kind: r for r in records}
        cum = by_kind["cumulative"]
        # re-derive the cumulative status from the record alone: Σ 195 of 320 by 2023, e = 0.6
        assert (cum.value, cum.target, cum.value_year, cum.baseline_year) == (
            195.0,
            320.0,
            2023,
            2020,
        )
        assert cum.rho == pytest.approx(195 / 320) and cum.status == "on_track"
        assert cum.inputs["elapsed"] == pytest.approx(0.6) and cum.inputs["polarity"] == "higher"


def test_multi_level_view_judges_each_plan_on_its_own_targets(seeded_db, plan_factory) -> None:
    from minsheng.services.evaluation import evaluate_plan_family

    province_id = _store(seeded_db, plan_factory())  # 510000
    city = plan_factory(region_code="510100", title="成都市规划")
    city.metadata.level = None
    city_id = save_extracted_plan(seeded_db, city).id
    add_observations(
        seeded_db, city_id, [Observation("学前教育毛入园率", "510100", 2023, 91.0)], None
    )
    set_higher_plan(seeded_db, city_id, province_id)
    other = save_extracted_plan(seeded_db, plan_factory(region_code="520000", title="另一省规划"))
    view = evaluate_plan_family(seeded_db, province_id, 2023)
    assert view.select("plan_title", "level", "plan_region").unique(maintain_order=True).rows() == [
        ("示例省“十四五”公共服务规划", "province", "510000"),
        ("成都市规划", "prefecture", "510100"),
    ]
    assert other.plan.metadata.title not in set(view["plan_title"])
    city_rows = view.filter(pl.col("plan_region") == "510100")
    assert set(city_rows["region"]) == {"510100"}
    # the city's own target >92 against its own 91.0 (B 90): ρ = 1/2 = 0.5 < e = 0.6 → lagging
    assert city_rows.filter(pl.col("indicator") == "学前教育毛入园率")["status"].item() == "lagging"


def test_evaluate_cli_with_lower_plans(cli_env, plan_factory) -> None:
    province_id = _store(cli_env, plan_factory())
    city = plan_factory(region_code="510100", title="成都市规划")
    city_id = save_extracted_plan(cli_env, city).id
    set_higher_plan(cli_env, city_id, province_id)
    result = runner.invoke(
        app, ["evaluate", str(province_id), "--year", "2023", "--with-lower", "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {(r["region"], r["plan_region"]) for r in rows} == {
        ("510000", "510000"),
        ("510100", "510100"),
    }


def test_a_plan_is_judged_for_its_own_region_and_those_under_it_only(
    seeded_db, plan_factory
) -> None:
    stored = save_extracted_plan(seeded_db, plan_factory(region_code="510000"))
    figures = [
        Observation("ED01", code, 2023, value)
        for code, value in (("100000", 91.0), ("510000", 92.5), ("510104", 93.0), ("500118", 95.0))
    ]
    add_observations(seeded_db, None, figures, user="test")
    _, results = evaluate_plan(seeded_db, stored.id, 2023)
    assert set(results.get_column("region").unique()) == {"510000", "510104"}
    own = results.filter((pl.col("region") == "510000") & (pl.col("canonical_code") == "ED01"))
    assert own.get_column("value").to_list() == [92.5]
