"""Every table round-trips on SQLite and PostgreSQL; transactions are all or nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from minsheng.domain.errors import Conflict, InvalidData, NotFound, PermissionDenied
from minsheng.domain.observations import Observation
from minsheng.domain.regions import Level, Region
from minsheng.domain.standards import StandardItem, StandardList
from minsheng.domain.users import Role
from minsheng.services.observations import add_observations, history
from minsheng.services.plans import (
    load_plan_for_evaluation,
    project_progress,
    record_project_progress,
    save_evaluation_records,
    save_extracted_plan,
)
from minsheng.services.regions import (
    add_regions,
    get_populations,
    region_ancestry,
    retire_region,
    search_regions,
    set_populations,
)
from minsheng.services.standards import get_standard_list, list_standard_lists, save_standard_list
from minsheng.services.users import authenticate, create_user, list_users
from minsheng.store.models import EvaluationRecordRow, ObservationVersionRow, RegionRow, UserRow
from minsheng.store.repositories.populations import Population


def test_a_failed_session_rolls_everything_back(db) -> None:
    with pytest.raises(RuntimeError), db.session() as session:
        session.add(RegionRow(code="110000", name="某省", level="province", parent_code="100000"))
        session.flush()
        raise RuntimeError("boom")
    with db.session() as session:
        assert session.scalars(select(RegionRow)).all() == []


def test_standard_lists_round_trip(seeded_db) -> None:
    standard = StandardList(
        name="基本公共服务标准",
        version="2021",
        region_code="510000",
        items=[
            StandardItem(
                "幼有所育",
                "优孕优生服务",
                served="育龄人群",
                content="孕前检查",
                standard="按规定",
                spending_responsibility="地方财政",
                lead_department="卫生健康委",
            ),
            StandardItem("学有所教", "学前教育助学服务", served="在园幼儿"),
        ],
    )
    list_id = save_standard_list(seeded_db, standard)
    assert get_standard_list(seeded_db, list_id) == standard
    assert list_standard_lists(seeded_db) == [(list_id, standard)]
    with pytest.raises(Conflict):
        save_standard_list(seeded_db, standard)


def test_populations_round_trip_and_update(seeded_db) -> None:
    rows = [
        Population("510000", 2020, 83_674_866, "census"),
        Population("510100", 2020, 20_937_757, "census"),
    ]
    assert set_populations(seeded_db, rows) == (2, 0)
    assert set_populations(seeded_db, [Population("510100", 2020, 20_937_758, "census", True)]) == (
        0,
        1,
    )
    got = get_populations(seeded_db, ["510100"])
    assert got == [Population("510100", 2020, 20_937_758, "census", True)]
    with pytest.raises(InvalidData):
        set_populations(seeded_db, [Population("999999", 2020, 1)])


def test_users_keep_only_a_password_hash(seeded_db) -> None:
    user = create_user(seeded_db, "wang", "correct horse", Role.REPORTER, "王", region="510104")
    assert (user.role, user.region_code) == (Role.REPORTER, "510104")
    with seeded_db.session() as session:
        stored = session.scalar(select(UserRow).where(UserRow.username == "wang"))
        assert stored is not None and "correct horse" not in stored.password_hash
        assert stored.password_hash.startswith("scrypt$")
    assert authenticate(seeded_db, "wang", "correct horse").username == "wang"
    with pytest.raises(PermissionDenied):
        authenticate(seeded_db, "wang", "wrong")
    with pytest.raises(PermissionDenied):
        authenticate(seeded_db, "nobody", "correct horse")
    with pytest.raises(Conflict):
        create_user(seeded_db, "wang", "x", Role.ADMIN)
    assert [u.username for u in list_users(seeded_db)] == ["wang"]


def test_key_project_progress_by_year(seeded_db, plan_factory) -> None:
    stored = save_extracted_plan(seeded_db, plan_factory())
    project = stored.project_ids[0]
    record_project_progress(seeded_db, project, 2022, 40.0, "started")
    record_project_progress(seeded_db, project, 2023, 75.0)
    record_project_progress(seeded_db, project, 2022, 45.0, "revised")
    name = stored.plan.projects[0].name
    assert project_progress(seeded_db, stored.id) == [
        (project, name, 2022, 45.0, "revised"),
        (project, name, 2023, 75.0, None),
    ]
    with pytest.raises(InvalidData):
        record_project_progress(seeded_db, project, 2024, 140.0)


def test_evaluation_records_keep_their_inputs(seeded_db, plan_factory) -> None:
    stored = save_extracted_plan(seeded_db, plan_factory())
    name = stored.plan.indicators[0].name
    rows = [
        {
            "plan_id": stored.id,
            "indicator": name,
            "region": "510000",
            "year": 2023,
            "status": "on_track",
            "rho": 0.61,
            "B": 90.0,
            "T": 92.0,
            "V": 91.2,
            "baseline_year": 2020,
            "target_year": 2025,
            "value_year": 2023,
            "target_kind": "above",
            "method": "linear",
            "tolerance": 0.05,
        },
        {
            "plan_indicator_id": stored.indicator_ids[1],
            "region_id": None,
            "region": "510100",
            "evaluation_year": 2023,
            "status": "no_data",
        },
    ]
    assert save_evaluation_records(seeded_db, rows) == 2
    with seeded_db.session() as session:
        records = session.scalars(
            select(EvaluationRecordRow).order_by(EvaluationRecordRow.id)
        ).all()
        first = records[0]
        assert (first.plan_indicator_id, first.evaluation_year, first.status) == (
            stored.indicator_ids[0],
            2023,
            "on_track",
        )
        assert (first.baseline, first.target, first.value, first.rho) == (90.0, 92.0, 91.2, 0.61)
        assert first.inputs == {"tolerance": 0.05}
        assert records[1].rho is None and records[1].computed_at is not None
    assert save_evaluation_records(seeded_db, rows[:1], replace_plan_id=stored.id) == 1
    with seeded_db.session() as session:
        assert len(session.scalars(select(EvaluationRecordRow)).all()) == 1
    with pytest.raises(InvalidData, match="no indicator"):
        save_evaluation_records(seeded_db, [{**rows[0], "indicator": "nothing like it"}])


def test_an_observation_names_exactly_one_indicator(seeded_db) -> None:
    with pytest.raises(IntegrityError), seeded_db.session() as session:
        region = session.scalar(select(RegionRow).where(RegionRow.code == "510000"))
        session.add(
            ObservationVersionRow(
                region_id=region.id,
                year=2021,
                value=1.0,
                version=1,
                entered_at=datetime.now(UTC),
                status="draft",
                synthetic=False,
            )
        )
        session.flush()


def test_a_retired_unit_keeps_its_data_and_its_successor_takes_later_years(
    seeded_db, plan_factory
) -> None:
    stored = save_extracted_plan(seeded_db, plan_factory())
    name = stored.plan.indicators[0].name
    old = search_regions(seeded_db, level="county", under="510100")[0].region
    new_code = old.code[:4] + "99"
    add_regions(
        seeded_db, [Region(new_code, "新区", Level.COUNTY, old.parent_code, valid_from=2023)]
    )
    retire_region(seeded_db, old.code, 2022, successor_code=new_code)
    add_observations(
        seeded_db,
        stored.id,
        [Observation(name, old.code, 2021, 88.0), Observation(name, new_code, 2023, 93.0)],
        "alice",
    )
    assert [v.value for v in history(seeded_db, name, old.code, 2021, plan=stored.id)] == [88.0]
    _, frame = load_plan_for_evaluation(seeded_db, stored.id)
    assert sorted(zip(frame["region"], frame["year"], strict=True)) == [
        (old.code, 2021),
        (new_code, 2023),
    ]
    # The retired unit leaves the current tree but keeps its row, successor and chain.
    assert old.code not in {h.region.code for h in search_regions(seeded_db, under="510100")}
    with seeded_db.session() as session:
        row = session.scalar(select(RegionRow).where(RegionRow.code == old.code))
        assert (row.valid_to, row.successor_code) == (2022, new_code)
    assert [r.code for r in region_ancestry(seeded_db, new_code)][-1] == "100000"
    # Loading the shipped tree again does not bring the retired unit back.
    from minsheng.services.setup import init_database

    init_database(seeded_db)
    with seeded_db.session() as session:
        row = session.scalar(select(RegionRow).where(RegionRow.code == old.code))
        assert row.valid_to == 2022
    with pytest.raises(NotFound):
        retire_region(seeded_db, "999999", 2022)


def test_a_plan_without_a_title_is_stored_under_a_label_that_says_so(
    seeded_db, plan_factory
) -> None:
    from dataclasses import replace

    from minsheng.services.plans import list_plans

    plan = plan_factory()
    plan = replace(plan, metadata=replace(plan.metadata, title=None), source_file="head.txt")
    stored = save_extracted_plan(seeded_db, plan)
    summary = next(p for p in list_plans(seeded_db) if p.id == stored.id)
    assert summary.region_name  # the stored region's name, the text named none
    assert summary.title == f"{summary.region_name}2021–2025年规划（原文无标题：head.txt）"
