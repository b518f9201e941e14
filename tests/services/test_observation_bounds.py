"""A bound (``>95``) keeps its sign through import, the store, export and import again, and
the stored plan's evaluation judges it as a bound."""

from __future__ import annotations

from pathlib import Path

from minsheng.services.evaluation import evaluate_plan
from minsheng.services.observation_export import export_observations
from minsheng.services.observations import (
    correct_observation,
    history,
    import_observations,
)
from minsheng.services.plans import save_extracted_plan


def test_a_bound_round_trips_through_store_and_export(
    seeded_db, plan_factory, tmp_path: Path
) -> None:
    stored = save_extracted_plan(seeded_db, plan_factory())
    rate, rate2 = stored.plan.indicators[0].name, stored.plan.indicators[1].name
    source = tmp_path / "in.csv"
    source.write_text(
        "指标,地区,年份,数值\n"
        f"{rate},四川,2023年,>95\n"
        f"{rate},510000,2024,95以上\n"
        f"{rate2},四川省,2024,≤97.5\n"
        f"{rate2},510000,2023,96.1\n",
        encoding="gb18030",
    )
    result = import_observations(seeded_db, source, "alice", plan=stored.id)
    assert result.added == 4
    got = {
        (name, year): (v[-1].value, v[-1].bound, v[-1].shown)
        for name, year in [(rate, 2023), (rate, 2024), (rate2, 2024), (rate2, 2023)]
        for v in [history(seeded_db, name, "510000", year, plan=stored.id)]
    }
    assert got == {
        (rate, 2023): (95.0, ">", ">95"),
        (rate, 2024): (95.0, ">=", ">=95"),
        (rate2, 2024): (97.5, "<=", "<=97.5"),
        (rate2, 2023): (96.1, None, "96.1"),
    }
    out = tmp_path / "out.csv"
    assert export_observations(seeded_db, stored.id, out) == 4
    assert ">95" in out.read_text(encoding="utf-8-sig")
    again = import_observations(seeded_db, out, "alice", plan=stored.id)
    assert (again.added, again.corrected, again.unchanged) == (0, 0, 4)
    # a plain number where a bound was is a correction: a new version, the bound kept in history
    correct_observation(
        seeded_db, rate, "510000", 2023, "96.2", "alice", plan=stored.id, reason="revised figure"
    )
    versions = history(seeded_db, rate, "510000", 2023, plan=stored.id)
    assert [(v.value, v.bound) for v in versions] == [(95.0, ">"), (96.2, None)]


def test_the_stored_plan_judges_a_bound_as_a_bound(seeded_db, plan_factory, tmp_path: Path) -> None:
    stored = save_extracted_plan(seeded_db, plan_factory())
    rate = stored.plan.indicators[0]  # 学前教育毛入园率, target >92
    compulsory = stored.plan.indicators[1]  # 九年义务教育巩固率, target 96
    source = tmp_path / "in.csv"
    source.write_text(
        f"指标,地区,年份,数值\n{rate.name},510000,2024,>92\n{compulsory.name},510000,2024,>95\n",
        encoding="utf-8",
    )
    import_observations(seeded_db, source, "alice", plan=stored.id)
    _, results = evaluate_plan(seeded_db, stored.id, 2024)
    rows = {r["indicator"]: r for r in results.iter_rows(named=True) if r["region"] == "510000"}
    assert rows[rate.name]["status"] == "achieved"  # >92 meets >92
    assert rows[compulsory.name]["status"] == "undetermined"  # >95 does not show 96
    assert ">95" in rows[compulsory.name]["reason"]
