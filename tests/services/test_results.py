"""Stored evaluation results: judged once, read back, re-judged when observations change."""

from __future__ import annotations

from minsheng.domain.observations import Observation
from minsheng.services.evaluation import evaluate_plan
from minsheng.services.observations import add_observations, correct_observation
from minsheng.services.plans import get_plan, save_extracted_plan
from minsheng.services.results import bare_rows, observations_mark, plan_results


def _stored(db, plan_factory) -> tuple[int, str]:  # noqa: ANN001
    plan = plan_factory()
    stored = save_extracted_plan(db, plan)
    code = plan.metadata.region_code
    add_observations(
        db,
        stored.id,
        [
            Observation("学前教育毛入园率", code, y, v)
            for y, v in ((2021, 90.5), (2022, 91.0), (2023, 92.5))
        ],
        user=None,
    )
    return stored.id, code


def test_results_are_the_evaluation_kept_and_read_back(seeded_db, plan_factory) -> None:  # noqa: ANN001
    plan_id, code = _stored(seeded_db, plan_factory)
    results = plan_results(seeded_db, plan_id, 2023, regions=[code])
    _, fresh = evaluate_plan(seeded_db, plan_id, 2023)
    fresh = fresh.filter(fresh["region"] == code)
    assert len(results) == fresh.height
    by_name = {(r.indicator, r.inputs.get("part")): r for r in results}
    for row in fresh.iter_rows(named=True):
        kept = by_name[(row["name"], row["part"])]
        assert kept.status == row["status"]
        assert kept.rho == row["rho"]
        assert kept.value == row["value"]
        assert (kept.reason, kept.reason_zh) == (row["reason"], row["reason_zh"])
    assert any(r.reason_zh for r in results)  # both languages kept in the record
    # a second read is answered from the store: no new records
    assert [r.record_id for r in plan_results(seeded_db, plan_id, 2023, regions=[code])] == [
        r.record_id for r in results
    ]
    assert bare_rows(seeded_db, plan_id, 2023, [code]) == len(results)


def test_a_correction_refreshes_the_results(seeded_db, plan_factory) -> None:  # noqa: ANN001
    plan_id, code = _stored(seeded_db, plan_factory)
    mark = observations_mark(seeded_db)
    first = {r.indicator: r for r in plan_results(seeded_db, plan_id, 2023, regions=[code])}
    assert first["学前教育毛入园率"].value == 92.5
    correct_observation(
        seeded_db, "学前教育毛入园率", code, 2023, 80.0, None, plan=plan_id, reason="revised"
    )
    assert observations_mark(seeded_db) > mark
    second = {r.indicator: r for r in plan_results(seeded_db, plan_id, 2023, regions=[code])}
    assert second["学前教育毛入园率"].value == 80.0
    assert second["学前教育毛入园率"].record_id > first["学前教育毛入园率"].record_id
    # each year is kept on its own: 2022's records are not touched by reading 2023
    assert {r.year for r in plan_results(seeded_db, plan_id, 2022, regions=[code])} == {2022}


def test_a_plan_correction_refreshes_the_results_without_new_values(
    seeded_db, plan_factory
) -> None:  # noqa: ANN001
    """Kept judgements were stale only when a value changed: a corrected target (or a row
    mapped or unmapped) left the dashboard judging against the old plan."""
    from minsheng.services.plan_corrections import correct_plan_rows, parse_correction

    plan_id, code = _stored(seeded_db, plan_factory)
    mark = observations_mark(seeded_db)
    first = {r.indicator: r for r in plan_results(seeded_db, plan_id, 2023, regions=[code])}
    old_target = first["学前教育毛入园率"].target
    new_target = 99.0 if old_target != 99.0 else 98.0
    seq = next(
        i.seq for i in get_plan(seeded_db, plan_id).plan.indicators if i.name == "学前教育毛入园率"
    )
    correct_plan_rows(
        seeded_db,
        plan_id,
        [parse_correction(f"{seq}.target={new_target:g}")],
        by="li",
        reason="misread",
    )
    assert observations_mark(seeded_db) == mark  # no value changed
    second = {r.indicator: r for r in plan_results(seeded_db, plan_id, 2023, regions=[code])}
    assert second["学前教育毛入园率"].target == new_target
