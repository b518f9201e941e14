"""The demo's accounts (issue 10): an admin, the 重庆市 analyst and two county reporters.

The password comes from ``MINSHENG_DEMO_PASSWORD`` when set, else one is generated
and printed once; accounts already there are kept (their passwords untouched).
"""

from __future__ import annotations

import secrets
from datetime import date

from minsheng.domain.errors import NotFound
from minsheng.domain.users import Role
from minsheng.services.plans import list_plans
from minsheng.services.reporting_cycle import due_date, set_due_date
from minsheng.services.users import create_user, get_user
from minsheng.store.database import Database

DEMO_ACCOUNTS = (
    ("admin", Role.ADMIN, None),
    ("analyst-500000", Role.ANALYST, "500000"),
    ("reporter-500118", Role.REPORTER, "500118"),
    ("reporter-500116", Role.REPORTER, "500116"),
)


def ensure_demo_accounts(db: Database, password: str | None) -> tuple[list[str], str | None]:
    """Create the demo accounts that are missing; returns (new usernames, the password used)."""
    chosen = password or secrets.token_urlsafe(9)
    created = []
    for username, role, region in DEMO_ACCOUNTS:
        try:
            get_user(db, username)
        except NotFound:
            create_user(db, username, chosen, role, region=region)
            created.append(username)
    return created, (chosen if created else None)


def ensure_demo_due_dates(db: Database, month_day: tuple[int, int] = (3, 31)) -> int:
    """Give every monitored plan of the demo a due date per year (the year after, 03-31 by
    default), set by the demo's admin, where none is set; returns how many were set."""
    admin = get_user(db, DEMO_ACCOUNTS[0][0])
    count = 0
    for plan in list_plans(db):
        if plan.region_code is None or plan.kind or not (plan.period_start and plan.period_end):
            continue  # a targets-only table or draft is not reported against
        for year in range(plan.period_start, plan.period_end + 1):
            if due_date(db, plan.id, year) is None:
                set_due_date(db, admin, plan.id, year, date(year + 1, *month_day))
                count += 1
    return count
