"""Who revises a basic public service list (issue 12): the rule, case by case."""

from __future__ import annotations

import pytest

from minsheng.domain.errors import PermissionDenied
from minsheng.domain.users import Actor, Grant, Role
from minsheng.services.permissions import check_list_editor

ADMIN = Actor("root", (Grant(Role.ADMIN),))
CHONGQING = Actor("cq", (Grant(Role.ANALYST, "500000"),))
SICHUAN = Actor("sc", (Grant(Role.ANALYST, "510000"),))
NATIONAL_ANALYST = Actor("nat", (Grant(Role.ANALYST),))
REPORTER = Actor("yc", (Grant(Role.REPORTER, "500118"),))
TWO_HATS = Actor("both", (Grant(Role.REPORTER, "500118"), Grant(Role.ANALYST, "510000")))

CASES = [  # (who, the list's region, may revise)
    (ADMIN, None, True), (ADMIN, "100000", True), (ADMIN, "500118", True),
    (CHONGQING, "500118", True), (CHONGQING, "500000", True), (CHONGQING, "510000", False),
    (CHONGQING, "100000", False), (CHONGQING, None, False),
    (NATIONAL_ANALYST, "500118", True), (NATIONAL_ANALYST, "100000", False),
    (SICHUAN, "500118", False), (REPORTER, "500118", False),
    (TWO_HATS, "510104", True), (TWO_HATS, "500118", False),
]  # fmt: skip


@pytest.mark.parametrize(("who", "region", "allowed"), CASES)
def test_who_revises_a_list(who: Actor, region: str | None, allowed: bool) -> None:
    if allowed:
        check_list_editor(who, region)
    else:
        with pytest.raises(PermissionDenied):
            check_list_editor(who, region)
