"""A plan's region left unknown until a person sets it; a revised document as a new version;
deleting a plan with its values kept or deleted."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from minsheng.domain.errors import Conflict
from minsheng.domain.observations import Observation
from minsheng.ingest.documents.metadata import read_metadata
from minsheng.services.observations import CATALOGUE, add_observations, history
from minsheng.services.plans import (
    delete_plan,
    get_plan,
    list_plans,
    plan_observation_count,
    save_extracted_plan,
    set_plan_region,
)


def _unknown(plan_factory):  # noqa: ANN001, ANN202
    plan = plan_factory(title="某地“十四五”公共服务规划")
    plan.metadata = replace(
        plan.metadata, region_code=None, region_name=None, level=None, region_confidence=0.0
    )
    return plan


def test_a_title_naming_no_region_is_read_as_unknown_not_national() -> None:
    lines = ["某地“十四五”公共服务规划", "", "第一章 总体要求"]
    meta, warnings = read_metadata(lines)
    assert (meta.region_code, meta.region_name, meta.level) == (None, None, None)
    assert meta.region_confidence == 0.0
    assert any("unknown" in w for w in warnings)
    # the State Council's plan names no region either, but its issuer makes it national
    national, _ = read_metadata(["“十四五”公共服务规划", "国务院", "2021年12月28日"])
    assert national.region_code == "100000"


def test_an_unknown_region_is_stored_unknown_until_a_person_sets_it(
    seeded_db, plan_factory
) -> None:
    stored = save_extracted_plan(seeded_db, _unknown(plan_factory))
    assert stored.region_code is None and stored.plan.metadata.region_confidence == 0.0
    summary = next(s for s in list_plans(seeded_db) if s.id == stored.id)
    assert summary.region_code is None and summary.region_name is None
    again = set_plan_region(seeded_db, stored.id, "永川")  # the one resolver: a 简称 will do
    assert again.region_code == "500118" and again.plan.metadata.region_confidence == 1.0


def test_the_same_file_again_changes_nothing(seeded_db, plan_factory) -> None:
    first = save_extracted_plan(seeded_db, plan_factory(), if_exists="update")
    second = save_extracted_plan(seeded_db, plan_factory(), if_exists="update")
    assert second.id == first.id and second.plan.version == 1
    assert len(list_plans(seeded_db)) == 1


def test_a_revised_document_is_the_next_version_and_keeps_its_values(
    seeded_db, plan_factory
) -> None:
    first = save_extracted_plan(seeded_db, plan_factory(), if_exists="update")
    name = first.plan.indicators[2].name  # an unmapped row: its values live in the plan's series
    add_observations(seeded_db, first.id, [Observation(name, "510000", 2022, 2.6)], "alice")
    revised = plan_factory()
    revised.checksum = "ab" * 32  # another edition of the same plan (same region and title)
    revised.indicators = [
        replace(revised.indicators[2], target_raw="5*"),
        *revised.indicators[:2],
    ]  # a changed target, reordered, one row dropped
    second = save_extracted_plan(seeded_db, revised, if_exists="update")
    assert second.id == first.id and second.plan.version == 2
    assert len(list_plans(seeded_db)) == 1
    assert second.plan.checksum == "ab" * 32
    assert second.plan.indicators[0].name == name and second.plan.indicators[0].target_raw == "5*"
    assert second.indicator_ids[0] == first.indicator_ids[2]  # the row kept its id …
    assert [v.value for v in history(seeded_db, name, "510000", 2022, plan=first.id)] == [2.6]
    dropped = first.plan.indicators[3].name
    assert dropped not in [i.name for i in second.plan.indicators]  # no values: removed


def test_delete_with_values_deleted(seeded_db, plan_factory) -> None:
    stored = save_extracted_plan(seeded_db, plan_factory())
    name = stored.plan.indicators[2].name
    add_observations(seeded_db, stored.id, [Observation(name, "510000", 2022, 2.6)], "alice")
    assert plan_observation_count(seeded_db, stored.id) == 1
    title, kept, deleted = delete_plan(seeded_db, stored.id, "delete")
    assert (title, kept, deleted) == (stored.title, 0, 1)
    assert list_plans(seeded_db) == []


def test_delete_keeping_values_moves_mapped_ones_to_the_catalogue(seeded_db, plan_factory) -> None:
    stored = save_extracted_plan(seeded_db, plan_factory())
    mapped, unmapped = stored.plan.indicators[0], stored.plan.indicators[2]
    assert mapped.canonical_code == "ED01" and unmapped.canonical_code is None
    add_observations(
        seeded_db, stored.id,
        [Observation(mapped.name, "510000", 2022, 91.0), Observation(unmapped.name, "510000", 2022, 2.6)],
        "alice",
    )  # fmt: skip
    with pytest.raises(Conflict, match="unmapped"):  # the unmapped value has nowhere to go
        delete_plan(seeded_db, stored.id, "keep")
    assert get_plan(seeded_db, stored.id).id == stored.id  # nothing happened
    # map it, then keep: both values now live in the catalogue's series
    from minsheng.services.plans import confirm_mapping

    confirm_mapping(seeded_db, stored.indicator_ids[2], "CH01")
    title, kept, deleted = delete_plan(seeded_db, stored.id, "keep")
    # one series per indicator: both values already live in the catalogue's series (the
    # mapped one was written there, the other moved when mapped), so nothing is left to move
    assert (kept, deleted) == (0, 0)
    assert [v.value for v in history(seeded_db, "ED01", "510000", 2022, plan=CATALOGUE)] == [91.0]
    assert [v.entered_by for v in history(seeded_db, "CH01", "510000", 2022, plan=CATALOGUE)] == [
        "alice"
    ]


def test_delete_keeping_values_refuses_to_overwrite_the_catalogue(seeded_db, plan_factory) -> None:
    from minsheng.services.plans import confirm_mapping

    stored = save_extracted_plan(seeded_db, plan_factory())
    unmapped = stored.plan.indicators[2]
    add_observations(seeded_db, stored.id, [Observation(unmapped.name, "510000", 2022, 2.6)], "a")
    add_observations(seeded_db, CATALOGUE, [Observation("CH01", "510000", 2022, 2.5)], "b")
    # mapping keeps the catalogue's value current and the plan's own aside (a conflict)
    confirmed = confirm_mapping(seeded_db, stored.indicator_ids[2], "CH01")
    assert confirmed.conflicts
    with pytest.raises(Conflict, match="differ"):
        delete_plan(seeded_db, stored.id, "keep")


def test_metadata_confidence_round_trips(seeded_db, plan_factory) -> None:
    plan = plan_factory()
    plan.metadata = replace(plan.metadata, region_confidence=0.95)
    assert save_extracted_plan(seeded_db, plan).plan.metadata.region_confidence == 0.95


def _head_only(plan_factory, **stated):  # noqa: ANN001, ANN003, ANN202
    """Another copy of the sample plan that carries only its head: no table, list or projects."""
    head = plan_factory()
    head.checksum = "cd" * 32
    head.indicators, head.services, head.projects, head.outline = [], [], [], []
    unsaid = {"issuer": None, "document_number": None, "issue_date": None}
    head.metadata = replace(head.metadata, **(unsaid | stated))
    return head


def test_a_copy_without_a_table_keeps_what_the_stored_plan_holds(seeded_db, plan_factory) -> None:
    first = save_extracted_plan(seeded_db, plan_factory(), if_exists="update")
    second = save_extracted_plan(seeded_db, _head_only(plan_factory), if_exists="update")
    assert second.id == first.id and second.plan.version == 2
    assert second.indicator_ids == first.indicator_ids
    assert [i.target_raw for i in second.plan.indicators] == [
        i.target_raw for i in first.plan.indicators
    ]
    assert [s.items for s in second.plan.services] == [s.items for s in first.plan.services]
    assert [p.name for p in second.plan.projects] == [p.name for p in first.plan.projects]
    assert second.plan.outline == first.plan.outline
    before, after = first.plan.metadata, second.plan.metadata
    assert (after.issuer, after.document_number, after.issue_date) == (
        before.issuer,
        before.document_number,
        before.issue_date,
    )
    said = " | ".join(second.changes)
    for part in ("indicator table", "service list", "key projects"):
        assert part in said


def test_what_a_later_copy_does_state_replaces_the_stored_value(seeded_db, plan_factory) -> None:
    save_extracted_plan(seeded_db, plan_factory(), if_exists="update")
    head = _head_only(plan_factory, issuer="示例省发展和改革委员会")
    head.indicators = plan_factory().indicators[:1]  # a table with one row: it is stated
    second = save_extracted_plan(seeded_db, head, if_exists="update")
    assert second.plan.metadata.issuer == "示例省发展和改革委员会"
    assert [i.name for i in second.plan.indicators] == [head.indicators[0].name]
    assert any("removed" in change for change in second.changes)


def test_a_new_version_is_in_the_audit_trail_with_what_changed(seeded_db, plan_factory) -> None:
    from sqlalchemy import select

    from minsheng.store.models import AuditEventRow

    first = save_extracted_plan(seeded_db, plan_factory(), if_exists="update")
    save_extracted_plan(seeded_db, _head_only(plan_factory), if_exists="update", by="alice")
    with seeded_db.session() as session:
        event = session.scalars(
            select(AuditEventRow).where(AuditEventRow.action == "plan.version")
        ).one()
        assert event.actor == "alice" and f"plan {first.id}" in event.subject
        assert "indicator table" in json.loads(event.after)["changes"]


def test_keep_returns_the_stored_plan_for_another_copy_of_it(seeded_db, plan_factory) -> None:
    first = save_extracted_plan(seeded_db, plan_factory(), if_exists="update")
    kept = save_extracted_plan(seeded_db, _head_only(plan_factory), if_exists="keep")
    assert kept.id == first.id and kept.plan.version == 1
    assert len(kept.plan.indicators) == len(first.plan.indicators)
    assert len(list_plans(seeded_db)) == 1


def test_a_revised_edition_keeps_the_domain_a_mapping_gave_unless_it_gives_its_own(
    seeded_db, plan_factory, indicator_factory
) -> None:  # noqa: ANN001
    from minsheng.services.mapping import confirm, unmap

    def edition(checksum: str | None, domain: str | None):  # noqa: ANN202
        plan = plan_factory()
        row = indicator_factory(5, "平均预期寿命", "岁", "78.3", "79", domain=domain)
        plan = replace(plan, indicators=[*plan.indicators, row])
        return replace(plan, checksum=checksum) if checksum else plan

    first = save_extracted_plan(seeded_db, edition(None, None), if_exists="update")
    confirm(seeded_db, first.id, "5", "HE01")
    again = save_extracted_plan(seeded_db, edition("ab" * 32, None), if_exists="update")
    assert again.plan.indicators[4].domain_code == "health_care"  # still the mapping's
    assert unmap(seeded_db, first.id, "5", by=None).unfiled == "health_care"

    confirm(seeded_db, first.id, "5", "HE01")
    own = save_extracted_plan(seeded_db, edition("cd" * 32, "九、文体服务保障"), if_exists="update")
    assert own.plan.indicators[4].domain_code == "culture_sports"  # the edition's own
    assert unmap(seeded_db, first.id, "5", by=None).unfiled is None
    assert get_plan(seeded_db, first.id).plan.indicators[4].domain_code == "culture_sports"


def test_delete_keeping_values_knows_a_withdrawn_value_is_none(seeded_db, plan_factory) -> None:
    from minsheng.services.plans import confirm_mapping
    from minsheng.services.withdrawals import withdraw_observation

    stored = save_extracted_plan(seeded_db, plan_factory())
    unmapped = stored.plan.indicators[2]
    # 2022: the plan's own value withdrawn before the mapping; the catalogue holds another
    add_observations(seeded_db, stored.id, [Observation(unmapped.name, "510000", 2022, 2.6)], "a")
    withdraw_observation(seeded_db, unmapped.name, "510000", 2022, "a", stored.id, reason="x")
    add_observations(seeded_db, CATALOGUE, [Observation("CH01", "510000", 2022, 2.5)], "b")
    # 2023: the same figure in both, the catalogue's then withdrawn: the plan's is no duplicate
    add_observations(seeded_db, stored.id, [Observation(unmapped.name, "510000", 2023, 2.7)], "a")
    add_observations(seeded_db, CATALOGUE, [Observation("CH01", "510000", 2023, 2.7)], "b")
    confirm_mapping(seeded_db, stored.indicator_ids[2], "CH01")
    withdraw_observation(seeded_db, "CH01", "510000", 2023, "b", CATALOGUE, reason="wrong year")
    with pytest.raises(Conflict, match="withdrawn there"):
        delete_plan(seeded_db, stored.id, "keep")
    assert get_plan(seeded_db, stored.id).id == stored.id  # nothing happened
    add_observations(seeded_db, CATALOGUE, [Observation("CH01", "510000", 2023, 2.7)], "b")
    delete_plan(seeded_db, stored.id, "keep")  # 2022's withdrawn plan value clashes with nothing
    assert [v.value for v in history(seeded_db, "CH01", "510000", 2022, plan=CATALOGUE)] == [2.5]
