"""The demo accounts: created once with the given password, kept on a second run."""

from __future__ import annotations

from minsheng.domain.users import Role
from minsheng.services.demo_accounts import ensure_demo_accounts
from minsheng.services.users import authenticate


def test_demo_accounts_are_created_once(seeded_db) -> None:  # noqa: ANN001
    created, password = ensure_demo_accounts(seeded_db, "demo-pass-1")
    assert created == ["admin", "analyst-500000", "reporter-500118", "reporter-500116"]
    assert password == "demo-pass-1"
    reporter = authenticate(seeded_db, "reporter-500118", "demo-pass-1")
    assert reporter.role is Role.REPORTER and reporter.region_code == "500118"
    assert authenticate(seeded_db, "analyst-500000", "demo-pass-1").region_code == "500000"
    again, password = ensure_demo_accounts(seeded_db, "other")
    assert again == [] and password is None
    assert authenticate(seeded_db, "admin", "demo-pass-1").role is Role.ADMIN


def test_a_password_is_generated_when_none_is_given(seeded_db) -> None:  # noqa: ANN001
    created, password = ensure_demo_accounts(seeded_db, None)
    assert created and password and len(password) >= 12
    assert authenticate(seeded_db, "reporter-500116", password).region_code == "500116"


def test_the_demo_says_what_the_regions_below_report_from_the_values_it_holds(
    seeded_db, plan_factory
) -> None:  # noqa: ANN001
    from minsheng.services.demo_accounts import ensure_demo_reported_below
    from minsheng.services.plans import save_extracted_plan
    from minsheng.services.reporting import enter_value
    from minsheng.services.reporting_cycle import reported_below, set_reported_below
    from minsheng.services.users import get_user

    ensure_demo_accounts(seeded_db, "demo-pass-1")
    admin = get_user(seeded_db, "admin")
    province = save_extracted_plan(seeded_db, plan_factory("510000"), by="admin")
    county = save_extracted_plan(seeded_db, plan_factory("510104", title="示例区规划"), by="admin")
    rows = province.plan.indicators
    enter_value(seeded_db, admin, rows[0].name, "510104", 2022, 91.0, plan=province.id)  # below
    enter_value(seeded_db, admin, rows[1].name, "510000", 2022, 96.0, plan=province.id)  # own
    enter_value(seeded_db, admin, rows[2].name, "520100", 2022, 2.0, plan=province.id)  # elsewhere
    assert ensure_demo_reported_below(seeded_db) == 2
    assert reported_below(seeded_db, province.id) == (province.indicator_ids[0],)
    assert reported_below(seeded_db, county.id) == ()  # nothing below 510104 in the demo
    # a list someone has set is kept on the next run
    set_reported_below(seeded_db, admin, province.id, province.indicator_ids[:2])
    assert ensure_demo_reported_below(seeded_db) == 0
    assert reported_below(seeded_db, province.id) == province.indicator_ids[:2]
