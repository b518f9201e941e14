"""One series per (indicator, region, year): plans share the canonical series, mapping moves values."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from minsheng.domain.errors import InvalidData
from minsheng.domain.observations import Observation
from minsheng.services.evaluation import evaluate_plan
from minsheng.services.mapping import confirm
from minsheng.services.observations import (
    add_observation,
    add_observations,
    correct_observation,
    history,
)
from minsheng.services.plans import confirm_mapping, save_extracted_plan
from minsheng.store.models import ObservationVersionRow, SeriesMoveRow

#: In the sample plans: row 1 学前教育毛入园率 is mapped to ED01; row 3 (托位数) is unmapped.
MAPPED, UNMAPPED = "学前教育毛入园率", "每千人口拥有3岁以下婴幼儿托位数"


@pytest.fixture
def two_plans(seeded_db, plan_factory):  # noqa: ANN001, ANN201
    """A province's plan (510000) and one of its prefectures' (510100), both naming ED01."""
    province = save_extracted_plan(seeded_db, plan_factory("510000"))
    city = save_extracted_plan(seeded_db, plan_factory("510100", "示例市“十四五”公共服务规划"))
    return province, city


@pytest.mark.parametrize("typed", [MAPPED, "ED01", "学前教育毛入园率"])
def test_a_mapped_indicator_writes_the_canonical_series_seen_through_any_wording(
    seeded_db, two_plans, typed: str
) -> None:
    province, city = two_plans
    add_observation(seeded_db, MAPPED, "510100", 2022, 88.5, "wang", plan=city.id)
    # the same value, whichever plan or wording asks, and without naming any plan
    for plan in (province.id, city.id, None):
        versions = history(seeded_db, typed if plan is None else MAPPED, "510100", 2022, plan)
        assert [(v.value, v.entered_by) for v in versions] == [(88.5, "wang")]
    with seeded_db.session() as session:
        row = session.scalars(select(ObservationVersionRow)).one()
        assert row.plan_indicator_id is None and row.canonical_id is not None
    # a correction through any wording is the next version of the one series
    correct_observation(seeded_db, typed, "510100", 2022, 89.0, "li", note="typo")
    assert [v.value for v in history(seeded_db, "ED01", "510100", 2022)] == [88.5, 89.0]


def test_an_unmapped_indicator_keeps_its_own_series(seeded_db, two_plans) -> None:
    province, city = two_plans
    add_observation(seeded_db, UNMAPPED, "510100", 2022, 2.1, "wang", plan=city.id)
    assert [v.value for v in history(seeded_db, UNMAPPED, "510100", 2022, city.id)] == [2.1]
    assert history(seeded_db, UNMAPPED, "510100", 2022, province.id) == []


# (canonical value already there, plan's value, append_conflicts) → outcome, canonical current
MOVES = [
    pytest.param(None, 2.1, False, "moved", 2.1, id="empty-canonical-moves"),
    pytest.param(2.1, 2.1, False, "same", 2.1, id="equal-value-nothing-to-move"),
    pytest.param(2.4, 2.1, False, "conflict", 2.4, id="different-value-canonical-stays"),
    pytest.param(2.4, 2.1, True, "appended", 2.1, id="asked-to-add-as-later-version"),
]


@pytest.mark.parametrize(("canonical", "own", "append", "outcome", "current"), MOVES)
def test_confirming_a_mapping_moves_the_series_with_an_audit_record(
    seeded_db, two_plans, canonical, own, append, outcome, current
) -> None:
    _, city = two_plans
    if canonical is not None:
        add_observation(seeded_db, "CH01", "510100", 2022, canonical, "stats", plan="catalogue")
    add_observation(seeded_db, UNMAPPED, "510100", 2022, own, "wang", plan=city.id)

    done = confirm(seeded_db, city.id, "3", "CH01", moved_by="li", append_conflicts=append)

    assert [m.outcome for m in done.moves] == [outcome]
    move = done.moves[0]
    assert (move.value, move.canonical_value, move.region_code) == (own, canonical, "510100")
    assert history(seeded_db, "CH01", "510100", 2022, "catalogue")[-1].value == current
    # the plan now reads the canonical series through its own wording
    assert history(seeded_db, UNMAPPED, "510100", 2022, city.id)[-1].value == current
    with seeded_db.session() as session:
        audit = session.scalars(select(SeriesMoveRow)).one()
        assert (audit.outcome, audit.moved_by, audit.plan_indicator_name) == (
            outcome,
            "li",
            UNMAPPED,
        )
        assert audit.moved_at is not None


def test_a_moved_series_keeps_its_history(seeded_db, two_plans) -> None:
    _, city = two_plans
    add_observation(seeded_db, UNMAPPED, "510100", 2022, 2.0, "wang", plan=city.id)
    add_observation(seeded_db, UNMAPPED, "510100", 2022, 2.2, "zhao", plan=city.id)
    row_id = city.indicator_ids[2]
    confirmed = confirm_mapping(seeded_db, row_id, "CH01", moved_by="li")
    assert confirmed.count("moved") == 1 and confirmed.moves[0].versions == 2
    versions = history(seeded_db, "CH01", "510100", 2022, "catalogue")
    assert [(v.version, v.value, v.entered_by) for v in versions] == [
        (1, 2.0, "wang"),
        (2, 2.2, "zhao"),
    ]


def test_the_migration_moves_values_of_rows_mapped_before_the_rule(empty_db) -> None:
    """At revision 0001 a mapped row could hold its own series; 0002 moves it (audited)."""
    from datetime import datetime

    import sqlalchemy as sa

    empty_db.upgrade("0001")
    tables = {n: sa.table(n, *(sa.column(c) for c in cols)) for n, cols in OLD_SCHEMA.items()}
    when = datetime(2023, 1, 1)
    with empty_db.engine.begin() as connection:
        for name, rows in OLD_ROWS.items():
            connection.execute(sa.insert(tables[name]), [{**r} for r in rows])
        stamp = dict(entered_at=when, status="submitted", synthetic=False, entered_by="old")
        rows = [  # (id, plan indicator, canonical, year, value)
            # a mapped row's own series: moves; a key the canonical series holds too: conflict
            (1, 1, None, 2022, 91.5),
            (2, 1, None, 2023, 92.0),
            (3, None, 1, 2023, 92.4),
            # an unmapped row's own series: stays
            (4, 2, None, 2022, 3.0),
        ]
        connection.execute(
            sa.insert(tables["observations"]),
            [
                dict(
                    id=i,
                    plan_indicator_id=p,
                    canonical_id=c,
                    region_id=1,
                    year=y,
                    value=v,
                    version=1,
                    **stamp,
                )
                for i, p, c, y, v in rows
            ],  # fmt: skip
        )
    empty_db.upgrade()
    with empty_db.engine.connect() as connection:
        o = sa.table("observations", *(sa.column(c) for c in OLD_SCHEMA["observations"]))
        keys = sorted(
            connection.execute(sa.select(o.c.id, o.c.plan_indicator_id, o.c.canonical_id))
        )
        moves = sorted(
            connection.execute(sa.text("SELECT year, outcome, moved_by FROM series_moves"))
        )
    assert [tuple(k) for k in keys] == [(1, None, 1), (2, 1, None), (3, None, 1), (4, 2, None)]
    assert [tuple(m) for m in moves] == [
        (2022, "moved", "migration 0002"),
        (2023, "conflict", "migration 0002"),
    ]


OLD_SCHEMA = {
    "regions": ("id", "code", "name", "level"),
    "service_domains": ("code", "name_zh", "name_en", "position"),
    "canonical_indicators": ("id", "code", "name", "polarity", "domain_code"),
    "plans": ("id", "title", "created_at"),
    "plan_indicators": ("id", "plan_id", "position", "name", "canonical_id"),
    "observations": (
        "id", "plan_indicator_id", "canonical_id", "region_id", "year", "value", "version",
        "entered_at", "status", "synthetic", "entered_by",
    ),
}  # fmt: skip
OLD_ROWS = {
    "regions": [dict(id=1, code="510000", name="四川省", level="province")],
    "service_domains": [
        dict(code="education", name_zh="学有所教", name_en="education", position=2)
    ],
    "canonical_indicators": [
        dict(id=1, code="ED01", name="学前教育毛入园率", polarity="higher", domain_code="education")
    ],
    "plans": [
        dict(id=1, title="示例省规划", created_at=__import__("datetime").datetime(2022, 1, 1))
    ],
    "plan_indicators": [
        dict(id=1, plan_id=1, position=1, name="学前教育毛入园率", canonical_id=1),
        dict(id=2, plan_id=1, position=2, name="托位数", canonical_id=None),
    ],
}


# region judged, its own 2020 value (or None) → baseline, baseline_source
BASELINES = [
    pytest.param("510100", 88.0, 88.0, "observed", id="region-own-baseline"),
    pytest.param("510100", None, 90.0, "plan_region", id="no-own-value-plan-baseline-said-so"),
    pytest.param("510000", 70.0, 90.0, "plan", id="plan-region-keeps-the-plan-baseline"),
]


@pytest.mark.parametrize(("region", "own_2020", "baseline", "source"), BASELINES)
def test_a_plan_judged_for_a_region_in_its_subtree_takes_that_regions_baseline(
    seeded_db, two_plans, region, own_2020, baseline, source
) -> None:
    province, city = two_plans
    values = [Observation(MAPPED, region, 2023, 91.0)]
    if own_2020 is not None:
        values.append(Observation(MAPPED, region, 2020, own_2020))
    add_observations(seeded_db, city.id if region == "510100" else province.id, values, "wang")

    _, results = evaluate_plan(seeded_db, province.id, 2023, region=region)
    row = results.filter(results["indicator"] == MAPPED).row(0, named=True)
    assert (row["region"], row["value"], row["baseline"], row["baseline_source"]) == (
        region,
        91.0,
        baseline,
        source,
    )
    assert row["status"] == "on_track" or row["reason"]


def test_a_region_outside_the_plans_subtree_is_refused(seeded_db, two_plans) -> None:
    _, city = two_plans
    with pytest.raises(InvalidData, match="not within"):
        evaluate_plan(seeded_db, city.id, 2023, region="500118")


def test_a_total_of_the_plan_region_is_no_target_for_a_subregion(seeded_db, two_plans) -> None:
    province, _ = two_plans
    value = Observation("新增城镇就业人数", "510100", 2022, 5.0)
    add_observations(seeded_db, province.id, [value], "wang")
    _, results = evaluate_plan(seeded_db, province.id, 2023, region="510100")
    row = results.filter(results["indicator"] == "新增城镇就业人数").row(0, named=True)
    assert row["status"] == "not_assessable"
    assert "510000" in row["reason"]
    assert row["value"] == 5.0  # seen, but not measured against the province's total
    assert (row["rho"], row["expected"], row["projected_linear"]) == (None, None, None)


def test_a_mapping_never_brings_a_withdrawn_value_back(seeded_db, two_plans) -> None:
    from minsheng.services.withdrawals import withdraw_observation

    _, city = two_plans
    # 2022: the plan's value withdrawn, the catalogue's another: nothing to bring, even asked
    add_observation(seeded_db, "CH01", "510100", 2022, 2.4, "stats", plan="catalogue")
    add_observation(seeded_db, UNMAPPED, "510100", 2022, 2.1, "wang", plan=city.id)
    withdraw_observation(seeded_db, UNMAPPED, "510100", 2022, None, plan=city.id, reason="wrong")
    # 2023: the catalogue's value withdrawn: the plan's (the same figure) becomes current
    add_observation(seeded_db, "CH01", "510100", 2023, 2.1, "stats", plan="catalogue")
    withdraw_observation(seeded_db, "CH01", "510100", 2023, None, plan="catalogue", reason="x")
    add_observation(seeded_db, UNMAPPED, "510100", 2023, 2.1, "wang", plan=city.id)

    done = confirm(seeded_db, city.id, "3", "CH01", moved_by="li", append_conflicts=True)

    assert sorted((m.year, m.outcome) for m in done.moves) == [(2022, "same"), (2023, "appended")]
    for year, value in ((2022, 2.4), (2023, 2.1)):
        last = history(seeded_db, "CH01", "510100", year, "catalogue")[-1]
        assert (last.value, last.withdrawn) == (value, False)
