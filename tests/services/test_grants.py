"""An account with roles in several regions (issue 10): every rule asks whether any grant allows."""

from __future__ import annotations

import pytest

from minsheng.domain.errors import InvalidData, PermissionDenied
from minsheng.services.audit import audit_trail
from minsheng.services.plans import save_extracted_plan
from minsheng.services.reporting import enter_value, move_value, visible_values
from minsheng.services.users import create_user, get_user, grant_role

PASSWORD = "a long enough password"
INDICATOR = "学前教育毛入园率"


@pytest.fixture
def two_hats(seeded_db, plan_factory):  # noqa: ANN001, ANN201
    """zhang: analyst of 四川 (510000) who also reports for 贵阳 (520100); wu reports for 成都."""
    db = seeded_db
    save_extracted_plan(db, plan_factory("510000"))
    create_user(db, "root", PASSWORD, "admin")
    create_user(db, "zhang", PASSWORD, "analyst", region="510000")
    create_user(db, "wu", PASSWORD, "reporter", region="510100")
    create_user(db, "li", PASSWORD, "reporter", region="520100")
    grant_role(db, "zhang", "reporter", "520100", by="root")
    return db


def test_a_grant_is_held_beside_the_own_role_and_audited(two_hats) -> None:  # noqa: ANN001
    zhang = get_user(two_hats, "zhang")
    assert [(g.role.value, g.region_code) for g in zhang.grants] == [
        ("analyst", "510000"), ("reporter", "520100"),
    ]  # fmt: skip
    again = grant_role(two_hats, "zhang", "reporter", "520100", by="root")
    assert len(again.grants) == 2  # held once
    granted = [e for e in audit_trail(two_hats, get_user(two_hats, "root"))
               if e.action == "user.grant"]  # fmt: skip
    assert [(e.subject, e.after, e.actor) for e in granted] == [
        ("zhang", {"role": "reporter", "region": "520100"}, "root")
    ]


def test_each_grant_works_in_its_own_region_with_its_own_rules(two_hats) -> None:  # noqa: ANN001
    db = two_hats
    zhang = get_user(db, "zhang")
    as_reporter = enter_value(db, zhang, INDICATOR, "520100", 2023, 80.0)
    assert as_reporter.status == "draft"  # a reporter's value in 贵阳
    as_analyst = enter_value(db, zhang, INDICATOR, "510104", 2023, 81.0)
    assert as_analyst.status == "submitted"  # an analyst's value in 四川
    move_value(db, zhang, "submit", INDICATOR, "520100", 2023)
    with pytest.raises(PermissionDenied):  # the reporter's hat approves nothing
        move_value(db, zhang, "approve", INDICATOR, "520100", 2023)
    enter_value(db, get_user(db, "wu"), INDICATOR, "510100", 2023, 82.0)
    move_value(db, get_user(db, "wu"), "submit", INDICATOR, "510100", 2023)
    assert move_value(db, zhang, "approve", INDICATOR, "510100", 2023).status == "approved"
    with pytest.raises(PermissionDenied):  # neither hat covers 云南
        enter_value(db, zhang, INDICATOR, "530100", 2023, 70.0)


def test_drafts_are_seen_under_every_grant_and_no_further(two_hats) -> None:  # noqa: ANN001
    db = two_hats
    enter_value(db, get_user(db, "wu"), INDICATOR, "510100", 2023, 82.0)
    enter_value(db, get_user(db, "li"), INDICATOR, "520100", 2023, 83.0)
    create_user(db, "zhao", PASSWORD, "reporter", region="530100")
    enter_value(db, get_user(db, "zhao"), INDICATOR, "530100", 2023, 84.0)
    seen = {v.region for v in visible_values(db, get_user(db, "zhang"), year=2023)}
    assert seen == {"510100", "520100"}


def test_the_audit_trail_follows_the_analyst_grant_only(two_hats) -> None:  # noqa: ANN001
    db = two_hats
    enter_value(db, get_user(db, "li"), INDICATOR, "520100", 2023, 83.0)
    zhang = get_user(db, "zhang")
    assert not any(e.region == "520100" for e in audit_trail(db, zhang))
    with pytest.raises(PermissionDenied):
        audit_trail(db, zhang, "520100")


def test_a_reporter_grant_needs_a_region(two_hats) -> None:  # noqa: ANN001
    with pytest.raises(InvalidData, match="region"):
        grant_role(two_hats, "wu", "reporter", None, by="root")
