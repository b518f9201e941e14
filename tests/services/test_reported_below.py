"""What the regions below a plan's own region report, and what the reporting cycle expects
of them: nothing guessed until someone has said it."""

from __future__ import annotations

from datetime import date

import pytest

from minsheng.domain.audit import acting_from
from minsheng.domain.errors import InvalidData, PermissionDenied
from minsheng.services.audit import audit_trail
from minsheng.services.plans import save_extracted_plan
from minsheng.services.reporting import enter_value, move_value
from minsheng.services.reporting_cycle import (
    cycle_status,
    reported_below,
    set_due_date,
    set_reported_below,
)
from minsheng.services.users import create_user

PASSWORD = "a long enough password"
YEAR = 2023
AFTER_DUE = date(2024, 4, 1)
PROVINCE, COUNTY, OTHER_COUNTY = "510000", "510104", "510105"  # 四川省, two districts of 成都市


@pytest.fixture
def province(seeded_db, plan_factory):  # noqa: ANN001, ANN201
    """A provincial plan with a due date, the province's analyst and two county reporters."""
    db = seeded_db
    users = {
        name: create_user(db, name, PASSWORD, role, region=region, by="root")
        for name, role, region in [
            ("root", "admin", None),
            ("analyst-51", "analyst", PROVINCE),
            ("analyst-52", "analyst", "520000"),
            ("reporter-51", "reporter", PROVINCE),
            ("reporter-county", "reporter", COUNTY),
            ("reporter-other", "reporter", OTHER_COUNTY),
        ]
    }
    plan = save_extracted_plan(db, plan_factory(PROVINCE), by="root")
    set_due_date(db, users["analyst-51"], plan.id, YEAR, date(2024, 3, 31))
    return db, users, plan


def _hand_in(db, reporter, plan, rows: list[int]) -> None:  # noqa: ANN001
    """The reporter enters and submits the plan's rows ``rows`` (0-based) for its region."""
    for n in rows:
        name = plan.plan.indicators[n].name
        enter_value(db, reporter, name, reporter.region_code, YEAR, 50.0 + n, plan=plan.id)
        move_value(db, reporter, "submit", name, reporter.region_code, YEAR, plan=plan.id)


def _rows(db, users, plan):  # noqa: ANN001, ANN202
    status = cycle_status(db, users["analyst-51"], plan.id, YEAR, today=AFTER_DUE)
    return status, {r.region: r for r in status.regions}


def test_without_the_list_a_county_shows_what_it_handed_in_and_not_set(province) -> None:  # noqa: ANN001
    db, users, plan = province
    _hand_in(db, users["reporter-county"], plan, [0])
    _hand_in(db, users["reporter-51"], plan, [0, 1])
    assert reported_below(db, plan.id) is None
    status, rows = _rows(db, users, plan)
    county = rows[COUNTY]
    assert county.counts == {"submitted": 1} and county.handed_in == 1
    assert (county.expected, county.missing, county.late) == (None, None, None)  # not "all"
    assert (rows[OTHER_COUNTY].expected, rows[OTHER_COUNTY].late) == (None, None)  # nor "none"
    # the plan's own region owes every indicator, list or not
    n = len(plan.plan.indicators)
    assert (rows[PROVINCE].expected, rows[PROVINCE].missing, rows[PROVINCE].late) == (
        n, n - 2, True,
    )  # fmt: skip
    assert status.scope_unset and [r.region for r in status.late] == [PROVINCE]


def test_with_the_list_a_county_owes_only_the_indicators_reported_below(province) -> None:  # noqa: ANN001
    db, users, plan = province
    first, second, third = plan.indicator_ids[:3]
    assert set_reported_below(db, users["analyst-51"], plan.id, [second, first]) == (first, second)
    assert reported_below(db, plan.id) == (first, second)
    _hand_in(db, users["reporter-county"], plan, [0, 2])  # one owed, one only the province owes
    _hand_in(db, users["reporter-other"], plan, [0, 1])  # both owed
    status, rows = _rows(db, users, plan)
    assert (rows[COUNTY].expected, rows[COUNTY].missing, rows[COUNTY].late) == (2, 1, True)
    assert rows[COUNTY].handed_in == 2  # what it handed in is shown, owed or not
    assert (rows[OTHER_COUNTY].expected, rows[OTHER_COUNTY].missing) == (2, 0)
    assert rows[OTHER_COUNTY].late is False
    assert rows[PROVINCE].expected == len(plan.plan.indicators)
    assert not status.scope_unset and status.reported_below == (first, second)
    before_due = cycle_status(db, users["analyst-51"], plan.id, YEAR, today=date(2024, 3, 31))
    assert not before_due.late
    assert third not in status.reported_below


def test_an_empty_list_says_only_the_plans_region_reports(province) -> None:  # noqa: ANN001
    db, users, plan = province
    set_reported_below(db, users["root"], plan.id, [])
    assert reported_below(db, plan.id) == ()
    _, rows = _rows(db, users, plan)
    assert (rows[COUNTY].expected, rows[COUNTY].missing, rows[COUNTY].late) == (0, 0, False)


def test_an_indicator_of_another_plan_is_refused_by_its_place_and_nothing_changes(
    province, plan_factory
) -> None:  # noqa: ANN001
    db, users, plan = province
    other = save_extracted_plan(db, plan_factory("520000", title="另一省规划"), by="root")
    foreign = other.indicator_ids[0]
    with pytest.raises(InvalidData) as refused:
        set_reported_below(db, users["analyst-51"], plan.id, [plan.indicator_ids[0], foreign])
    assert [(p.row, p.field) for p in refused.value.problems] == [(2, "indicators")]
    assert str(foreign) in str(refused.value.problems[0])
    assert refused.value.message_zh and "不是本规划的指标" in refused.value.message_zh
    assert reported_below(db, plan.id) is None


@pytest.mark.parametrize("who", ["reporter-county", "reporter-51", "analyst-52"])
def test_only_whoever_sets_due_dates_sets_the_list(province, who: str) -> None:  # noqa: ANN001
    db, users, plan = province
    with pytest.raises(PermissionDenied) as refused:
        set_reported_below(db, users[who], plan.id, plan.indicator_ids[:1])
    assert refused.value.message_zh
    assert reported_below(db, plan.id) is None


def test_every_change_is_in_the_audit_trail(province) -> None:  # noqa: ANN001
    db, users, plan = province
    first, second = plan.indicator_ids[:2]
    with acting_from("10.9.8.7"):
        set_reported_below(db, users["analyst-51"], plan.id, [first])
        set_reported_below(db, users["root"], plan.id, [first, second])
    events = [e for e in audit_trail(db, users["root"]) if e.action == "reported_below.set"]
    assert [(e.actor, e.origin, e.region, e.before, e.after["reported_below"]) for e in events] == [
        ("root", "10.9.8.7", PROVINCE, {"reported_below": [first]}, [first, second]),
        ("analyst-51", "10.9.8.7", PROVINCE, None, [first]),
    ]
    assert events[0].after["indicators"] == len(plan.plan.indicators)


def test_a_row_a_revised_plan_adds_is_not_yet_said(province, plan_factory) -> None:  # noqa: ANN001
    from dataclasses import replace

    from minsheng.services.reporting_cycle import reporting_scope

    db, users, plan = province
    set_reported_below(db, users["analyst-51"], plan.id, plan.indicator_ids[:1])
    old = plan_factory(PROVINCE)
    new_row = replace(old.indicators[0], seq=9, name="新增的示例指标", canonical_code=None)
    revised = replace(old, indicators=[*old.indicators, new_row], checksum="f" * 64)
    again = save_extracted_plan(db, revised, if_exists="update", by="root")
    assert again.id == plan.id and len(again.indicator_ids) == len(plan.indicator_ids) + 1
    assert reported_below(db, plan.id) is None  # the new row: nobody has said
    said = {r.id: r.below for r in reporting_scope(db, plan.id)}
    assert said[plan.indicator_ids[0]] is True and said[plan.indicator_ids[1]] is False
    _, rows = _rows(db, users, plan)
    assert rows[COUNTY].expected is None and rows[PROVINCE].expected == len(again.indicator_ids)
