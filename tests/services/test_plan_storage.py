"""Plans round-trip through the store on both engines; mappings are confirmed with an alias."""

from __future__ import annotations

from dataclasses import replace

import pytest

from minsheng.data.divisions import divisions_by_code
from minsheng.domain.errors import Conflict, InvalidData, NotFound
from minsheng.domain.indicators import Nature
from minsheng.domain.targets import TargetKind
from minsheng.services.plans import (
    confirm_mapping,
    get_plan,
    list_plans,
    save_extracted_plan,
    set_higher_plan,
)


def test_a_plan_round_trips_with_indicators_services_projects_and_outline(
    seeded_db, plan_factory
) -> None:
    plan = plan_factory()
    stored = save_extracted_plan(seeded_db, plan)
    again = get_plan(seeded_db, stored.id).plan

    # The region's name is filled in from the region tree when the document did not give it.
    region_name = divisions_by_code()[plan.metadata.region_code].name
    assert again.metadata == replace(plan.metadata, region_name=region_name)
    assert [i.gold_fields() for i in again.indicators] == [i.gold_fields() for i in plan.indicators]
    assert [i.baseline for i in again.indicators] == [i.baseline for i in plan.indicators]
    assert [i.target for i in again.indicators] == [i.target for i in plan.indicators]
    assert [i.target.raw for i in again.indicators] == [i.target.raw for i in plan.indicators]
    assert [i.canonical_code for i in again.indicators] == [
        i.canonical_code for i in plan.indicators
    ]
    assert [i.match_score for i in again.indicators] == [i.match_score for i in plan.indicators]
    assert again.services == plan.services
    assert again.projects == plan.projects
    assert [n.to_dict() for n in again.outline] == [n.to_dict() for n in plan.outline]
    assert (again.baseline_year, again.target_year, again.checksum) == (2020, 2025, plan.checksum)
    assert again.warnings == plan.warnings
    assert again.indicators[3].target.kind is TargetKind.CUMULATIVE
    assert again.indicators[1].nature is Nature.BINDING


def test_domain_codes_are_filled_in_from_the_plans_own_labels(seeded_db, plan_factory) -> None:
    stored = save_extracted_plan(seeded_db, plan_factory())
    assert [i.domain_code for i in stored.plan.indicators] == [
        "education",
        "education",
        "childcare",
        "employment",
    ]


def test_the_same_document_twice_is_a_conflict_unless_kept(seeded_db, plan_factory) -> None:
    first = save_extracted_plan(seeded_db, plan_factory())
    with pytest.raises(Conflict, match=f"plan {first.id}"):
        save_extracted_plan(seeded_db, plan_factory())
    assert save_extracted_plan(seeded_db, plan_factory(), if_exists="keep").id == first.id
    assert len(list_plans(seeded_db)) == 1


def test_checksum_is_computed_from_the_source_file(seeded_db, plan_factory, tmp_path) -> None:
    import hashlib

    source = tmp_path / "plan.txt"
    source.write_bytes(b"any bytes")
    plan = plan_factory()
    plan.checksum, plan.source_file = None, str(source)
    stored = save_extracted_plan(seeded_db, plan)
    assert stored.plan.checksum == hashlib.sha256(b"any bytes").hexdigest()


def test_plans_are_found_by_id_and_title_fragment(seeded_db, plan_factory) -> None:
    a = save_extracted_plan(seeded_db, plan_factory(title="甲省公共服务规划"))
    b = save_extracted_plan(seeded_db, plan_factory(region_code="510100", title="乙市公共服务规划"))
    b_plan = get_plan(seeded_db, "乙市")
    assert b_plan.id == b.id and b_plan.region_code == "510100"
    assert get_plan(seeded_db, str(a.id)).id == a.id
    with pytest.raises(InvalidData, match="2 plans match"):
        get_plan(seeded_db, "公共服务")
    with pytest.raises(NotFound):
        get_plan(seeded_db, "丙县")
    summaries = list_plans(seeded_db)
    assert [(s.id, s.indicators, s.mapped) for s in summaries] == [(a.id, 4, 2), (b.id, 4, 2)]


def test_higher_plan_link(seeded_db, plan_factory) -> None:
    upper = save_extracted_plan(seeded_db, plan_factory(title="省级规划"))
    lower = plan_factory(region_code="510100", title="市级规划")
    lower.checksum = "cd" * 32
    lower.higher_plan_id = upper.id
    stored = save_extracted_plan(seeded_db, lower)
    assert get_plan(seeded_db, stored.id).plan.higher_plan_id == upper.id
    assert set_higher_plan(seeded_db, stored.id, None).plan.higher_plan_id is None
    with pytest.raises(Conflict):
        set_higher_plan(seeded_db, upper.id, upper.id)


def test_unknown_canonical_code_refuses_the_plan(seeded_db, plan_factory) -> None:
    plan = plan_factory()
    plan.indicators[0].canonical_code = "XX99"
    with pytest.raises(InvalidData, match="XX99"):
        save_extracted_plan(seeded_db, plan)
    assert list_plans(seeded_db) == []


def test_confirming_a_mapping_adds_the_plan_wording_as_an_alias(seeded_db, plan_factory) -> None:
    from minsheng.store.repositories.catalogue import canonical_row

    stored = save_extracted_plan(seeded_db, plan_factory())
    row_id = stored.indicator_ids[2]
    confirmed = confirm_mapping(seeded_db, row_id, "CH01")
    assert confirmed.canonical_code == "CH01" and confirmed.match_score == 1.0
    with seeded_db.session() as session:
        row = canonical_row(session, stored.plan.indicators[2].name)
        assert row.code == "CH01"
    with pytest.raises(NotFound):
        confirm_mapping(seeded_db, row_id, "no such indicator")
