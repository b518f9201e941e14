"""Due dates, the analyst's view of who has reported, and the audit trail (issue 10)."""

from __future__ import annotations

from datetime import date

import pytest

from minsheng.domain.audit import acting_from
from minsheng.domain.errors import InvalidData, PermissionDenied
from minsheng.services.audit import audit_trail
from minsheng.services.plans import save_extracted_plan
from minsheng.services.reporting import correct_value, enter_value, move_value
from minsheng.services.reporting_cycle import (
    cycle_status,
    due_date,
    set_due_date,
    set_reported_below,
)
from minsheng.services.users import create_user

PASSWORD = "a long enough password"
YEAR = 2023


@pytest.fixture
def cycle(seeded_db, plan_factory):  # noqa: ANN001, ANN201
    db = seeded_db
    users = {
        name: create_user(db, name, PASSWORD, role, region=region, by="root")
        for name, role, region in [
            ("root", "admin", None),
            ("analyst-51", "analyst", "510000"),
            ("analyst-52", "analyst", "520000"),
            ("reporter-510100", "reporter", "510100"),
            ("reporter-510300", "reporter", "510300"),
            ("reporter-520100", "reporter", "520100"),
        ]
    }
    plan = save_extracted_plan(db, plan_factory("510000"), by="root")
    return db, users, plan


def test_a_due_date_is_set_by_the_plan_regions_analyst_and_recorded(cycle) -> None:  # noqa: ANN001
    db, users, plan = cycle
    assert due_date(db, plan.id, YEAR) is None  # never a default date
    with acting_from("10.1.2.3"):
        set_due_date(db, users["analyst-51"], plan.id, YEAR, date(2024, 3, 31))
        set_due_date(db, users["analyst-51"], plan.id, YEAR, date(2024, 4, 15))  # moved
    assert due_date(db, plan.id, YEAR) == date(2024, 4, 15)
    moves = [e for e in audit_trail(db, users["root"]) if e.action == "deadline.set"]
    assert [(m.before, m.after["due"], m.origin, m.actor) for m in moves] == [
        ({"due": "2024-03-31"}, "2024-04-15", "10.1.2.3", "analyst-51"),
        (None, "2024-03-31", "10.1.2.3", "analyst-51"),
    ]


@pytest.mark.parametrize("who", ["analyst-52", "reporter-510100"])
def test_nobody_else_sets_a_due_date(cycle, who: str) -> None:  # noqa: ANN001
    db, users, plan = cycle
    with pytest.raises(PermissionDenied):
        set_due_date(db, users[who], plan.id, YEAR, date(2024, 3, 31))


@pytest.mark.parametrize("due", [date(2023, 12, 31), date(2023, 6, 1)])
def test_values_are_not_due_before_their_year_ends(cycle, due: date) -> None:  # noqa: ANN001
    db, users, plan = cycle
    with pytest.raises(InvalidData, match="before the year ends"):
        set_due_date(db, users["root"], plan.id, YEAR, due)


def _report(db, reporter, plan, names: list[str], submit: bool) -> None:  # noqa: ANN001
    region = reporter.region_code
    for n, name in enumerate(names):
        enter_value(db, reporter, name, region, YEAR, 50.0 + n, plan=plan.id)
        if submit:
            move_value(db, reporter, "submit", name, region, YEAR, plan=plan.id)


def test_the_analyst_sees_who_has_reported_and_who_is_late(cycle) -> None:  # noqa: ANN001
    db, users, plan = cycle
    names = [ind.name for ind in plan.plan.indicators]
    set_due_date(db, users["analyst-51"], plan.id, YEAR, date(2024, 3, 31))
    set_reported_below(db, users["analyst-51"], plan.id, plan.indicator_ids)  # all, said so
    _report(db, users["reporter-510100"], plan, names, submit=True)  # all handed in
    _report(db, users["reporter-510300"], plan, names[:1], submit=False)  # one draft only

    after = cycle_status(db, users["analyst-51"], plan.id, YEAR, today=date(2024, 4, 1))
    rows = {r.region: r for r in after.regions}
    assert set(rows) == {"510100", "510300"}  # 520100's reporter is not in 四川's subtree
    assert (rows["510100"].state, rows["510100"].missing, rows["510100"].late) == (
        "submitted", 0, False,
    )  # fmt: skip
    assert (rows["510300"].state, rows["510300"].missing, rows["510300"].late) == (
        "draft", len(names), True,
    )  # fmt: skip
    assert rows["510300"].reporters == ("reporter-510300",)
    assert after.waiting == len(names)
    before = cycle_status(db, users["analyst-51"], plan.id, YEAR, today=date(2024, 3, 31))
    assert not before.late  # due today is not late


def test_without_a_due_date_nobody_is_late(cycle) -> None:  # noqa: ANN001
    db, users, plan = cycle
    status = cycle_status(db, users["analyst-51"], plan.id, YEAR, today=date(2030, 1, 1))
    assert status.due is None and not status.late
    assert {r.state for r in status.regions} == {"not_started"}


def test_a_reporter_has_no_dashboard(cycle) -> None:  # noqa: ANN001
    db, users, plan = cycle
    with pytest.raises(PermissionDenied):
        cycle_status(db, users["reporter-510100"], plan.id, YEAR)


def test_every_write_of_a_value_is_in_the_trail_with_before_after_and_address(cycle) -> None:  # noqa: ANN001
    db, users, plan = cycle
    reporter, name = users["reporter-510100"], plan.plan.indicators[0].name
    with acting_from("192.0.2.10"):
        enter_value(db, reporter, name, "510100", YEAR, 61.0, plan=plan.id)
        correct_value(db, reporter, name, "510100", YEAR, 62.5, comment="口径更正", plan=plan.id)
    with acting_from("192.0.2.99"):
        move_value(db, reporter, "submit", name, "510100", YEAR, plan=plan.id)
    trail = [e for e in audit_trail(db, users["analyst-51"]) if e.action.startswith("value.")]
    assert [(e.action, e.actor, e.origin) for e in trail[:3]] == [
        ("value.submitted", "reporter-510100", "192.0.2.99"),
        ("value.correct", "reporter-510100", "192.0.2.10"),
        ("value.add", "reporter-510100", "192.0.2.10"),
    ]
    submitted, corrected, added = trail[:3]
    assert (corrected.before["value"], corrected.after["value"]) == (61.0, 62.5)
    assert corrected.after["note"] == "口径更正"
    assert (submitted.before["status"], submitted.after["status"]) == ("draft", "submitted")
    assert added.before is None


def test_accounts_and_plans_are_in_the_trail(cycle) -> None:  # noqa: ANN001
    db, users, plan = cycle
    actions = {(e.action, e.subject.split(" ")[0]) for e in audit_trail(db, users["root"])}
    assert ("user.add", "reporter-510300") in actions
    assert any(a == "plan.add" for a, _ in actions)


def test_the_trail_is_read_by_admins_and_by_an_analyst_in_its_subtree_only(cycle) -> None:  # noqa: ANN001
    db, users, plan = cycle
    enter_value(db, users["reporter-520100"], "学前教育毛入园率", "520100", YEAR, 88.0)
    own = audit_trail(db, users["analyst-51"])
    assert own and all(e.region is None or e.region.startswith("51") for e in own)
    assert not any(e.region == "520100" for e in own)
    assert any(e.region == "520100" for e in audit_trail(db, users["root"]))
    with pytest.raises(PermissionDenied):
        audit_trail(db, users["analyst-51"], "520100")
    with pytest.raises(PermissionDenied):
        audit_trail(db, users["reporter-510100"])


def test_a_city_plans_cycle_is_the_citys_regions_not_the_province_above(
    cycle, plan_factory
) -> None:  # noqa: ANN001
    db, users, _ = cycle
    city = save_extracted_plan(db, plan_factory("510100", title="示例市规划"), by="root")
    name = city.plan.indicators[0].name  # mapped to the catalogue: the province's values too
    enter_value(db, users["analyst-51"], name, "510000", YEAR, 90.0, plan=city.id)
    enter_value(db, users["reporter-510100"], name, "510100", YEAR, 91.0, plan=city.id)
    regions = {r.region for r in cycle_status(db, users["analyst-51"], city.id, YEAR).regions}
    assert regions == {"510100"}
