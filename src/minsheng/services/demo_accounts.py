"""The demo's accounts (issue 10): an admin, the 重庆市 analyst and two county reporters,
and the reporting cycle they work in (due dates, what the regions below each plan report).

The password comes from ``MINSHENG_DEMO_PASSWORD`` when set, else one is generated
and printed once; accounts already there are kept (their passwords untouched).
"""

from __future__ import annotations

import secrets
from datetime import date

from minsheng.domain.errors import NotFound
from minsheng.domain.users import Role
from minsheng.services.plans import PlanSummary, get_plan, list_plans
from minsheng.services.reporting import plan_values
from minsheng.services.reporting_cycle import (
    due_date,
    reported_below,
    set_due_date,
    set_reported_below,
)
from minsheng.services.users import create_user, get_user
from minsheng.store.database import Database
from minsheng.store.repositories.regions import code_prefix

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


def _monitored(db: Database) -> list[tuple[PlanSummary, str, int, int]]:
    """The demo's plans that are reported against (not a targets-only table or a draft), each
    with its region and first and last year."""
    return [
        (p, p.region_code, p.period_start, p.period_end) for p in list_plans(db)
        if p.region_code is not None and not p.kind and p.period_start and p.period_end
    ]  # fmt: skip


def ensure_demo_due_dates(db: Database, month_day: tuple[int, int] = (3, 31)) -> int:
    """Give every monitored plan of the demo a due date per year (the year after, 03-31 by
    default), set by the demo's admin, where none is set; returns how many were set."""
    admin = get_user(db, DEMO_ACCOUNTS[0][0])
    count = 0
    for plan, _, first, last in _monitored(db):
        for year in range(first, last + 1):
            if due_date(db, plan.id, year) is None:
                set_due_date(db, admin, plan.id, year, date(year + 1, *month_day))
                count += 1
    return count


def ensure_demo_reported_below(db: Database) -> int:
    """Say, for every monitored plan of the demo where nobody has, which indicators the regions
    below the plan's region report: those of which the demo holds values of such a region.

    Fair for the demo only: its values below a plan's region were loaded wholesale from the
    national statistics by province (and the demo's labelled synthetic series), so what it
    holds is what its sources provide per region — the closest the demo has to "what the
    regions below report". A real plan's owner decides it; inferring it from what arrived
    would hide exactly the reports that never came. Returns how many plans were set.
    """
    admin = get_user(db, DEMO_ACCOUNTS[0][0])
    count = 0
    for plan, region, _, _ in _monitored(db):
        if reported_below(db, plan.id) is not None:
            continue  # said already (by the analyst, or an earlier run): kept
        stored = get_plan(db, plan.id)
        prefix = code_prefix(region)
        held = {
            v.indicator for v in plan_values(db, admin, plan.id)
            if v.region != region and v.region.startswith(prefix)
        }  # fmt: skip
        ids = [
            row_id
            for row_id, ind in zip(stored.indicator_ids, stored.plan.indicators, strict=True)
            if ind.name in held
        ]
        set_reported_below(db, admin, plan.id, ids)
        count += 1
    return count
