"""The yearly reporting cycle: when a plan's values are due, and who has reported.

Each plan sets a due date per year (year 2025's values by 2026-03-31, say). The
analyst's dashboard lists the regions expected to report — those with a reporter
account, and any that already reported — with what each has entered, submitted,
had approved and published, and whether it is late. A plan without a due date for
the year says so: lateness is never judged against a date nobody set.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import select

from minsheng.domain.errors import InvalidData, PermissionDenied
from minsheng.domain.users import Role
from minsheng.domain.years import check_year
from minsheng.services import permissions
from minsheng.services.plans import get_plan
from minsheng.services.reporting import ReportedValue, in_scope, plan_values
from minsheng.services.users import User, list_users
from minsheng.store.database import Database
from minsheng.store.models import ReportingDeadlineRow
from minsheng.store.repositories import audit as audit_repo
from minsheng.store.repositories.regions import code_prefix, region_row

#: a region's state, from its least advanced value (the order of the cycle)
STATES = ("not_started", "draft", "submitted", "approved", "published")


@dataclass(frozen=True)
class RegionProgress:
    region: str
    region_name: str
    reporters: tuple[str, ...]
    expected: int  # the plan's indicators
    counts: dict[str, int] = field(default_factory=dict)  # status → values (current versions)
    state: str = "not_started"
    late: bool = False

    @property
    def entered(self) -> int:
        return sum(self.counts.values())

    @property
    def handed_in(self) -> int:
        """Values past draft: what counts as reported by the due date."""
        return self.entered - self.counts.get("draft", 0)

    @property
    def missing(self) -> int:
        return max(self.expected - self.handed_in, 0)


@dataclass(frozen=True)
class CycleStatus:
    plan_id: int
    plan_title: str
    year: int
    due: date | None
    today: date
    regions: list[RegionProgress]

    @property
    def late(self) -> list[RegionProgress]:
        return [r for r in self.regions if r.late]

    @property
    def waiting(self) -> int:
        return sum(r.counts.get("submitted", 0) for r in self.regions)


def values_to_review(
    db: Database, user: User, plan_id: int, year: int, region_code: str | None = None
) -> list[ReportedValue]:
    """A plan's values of ``year`` that ``user`` reviews: in the user's subtree and under the
    plan's own region (a county plan's review is not the province's catalogue values)."""
    if region_code is None:
        region_code = get_plan(db, plan_id).region_code
    prefix = code_prefix(region_code) if region_code else ""
    return [
        v for v in plan_values(db, user, plan_id, year=year)
        if v.region.startswith(prefix) and in_scope(user, v.region)
    ]  # fmt: skip


def due_date(db: Database, plan_id: int, year: int) -> date | None:
    with db.session() as session:
        return session.scalar(
            select(ReportingDeadlineRow.due).where(
                ReportingDeadlineRow.plan_id == plan_id, ReportingDeadlineRow.year == year
            )
        )


def set_due_date(db: Database, user: User, plan_id: int, year: int, due: date) -> date:
    """Set (or move) when a plan's values of ``year`` are due; recorded in the audit trail.

    Who: an admin, or an analyst whose region holds the plan's region (a plan of an
    unknown region: an admin only). A year's values cannot be due before the year ends.
    """
    year = check_year(year, "year")
    stored = get_plan(db, plan_id)
    if stored.region_code is None and not user.holds(Role.ADMIN):
        raise PermissionDenied(
            f"{stored.title}: its region is unknown; only an admin sets dates",
            message_zh=f"{stored.title}：所属地区未知，只有管理员可以设定报送截止日期",
        )
    permissions.check_review_role(
        user.actor,
        [stored.region_code] if stored.region_code else [],
    )
    # the years a plan takes values for: its baseline year through its target year
    meta = stored.plan.metadata
    first = stored.plan.baseline_year or meta.period_start
    last = stored.plan.target_year or meta.period_end
    if first and last and not first <= year <= last:
        raise InvalidData(
            f"year {year} is outside the plan's years ({first}–{last})",
            message_zh=f"{year}年不在规划年份（{first}—{last}）之内",
        )
    if due <= date(year, 12, 31):
        raise InvalidData(
            f"values of {year} cannot be due before the year ends ({due} given)",
            message_zh=f"{year}年的数据截止日期不能早于该年年末（填写的是{due}）",
        )
    with db.session() as session:
        row = session.scalar(
            select(ReportingDeadlineRow).where(
                ReportingDeadlineRow.plan_id == plan_id, ReportingDeadlineRow.year == year
            )
        )
        before = None if row is None else {"due": row.due.isoformat()}
        if row is None:
            row = ReportingDeadlineRow(plan_id=plan_id, year=year, due=due, set_by=user.username)
            session.add(row)
        else:
            row.due, row.set_by = due, user.username
        audit_repo.record(
            session, user.username, "deadline.set", f"{stored.title} · {year}",
            region=stored.region_code, before=before, after={"due": due.isoformat()},
        )  # fmt: skip
    return due


def cycle_status(
    db: Database, user: User, plan_id: int, year: int, today: date | None = None
) -> CycleStatus:
    """Who in ``user``'s subtree has reported a plan's values of ``year``, and who is late."""
    permissions.check_review_role(user.actor)
    year = check_year(year, "year")
    stored = get_plan(db, plan_id)
    today = today or date.today()
    due = due_date(db, plan_id, year)
    plan_prefix = code_prefix(stored.region_code) if stored.region_code else ""
    expected = len(stored.plan.indicators)
    values = values_to_review(db, user, plan_id, year, stored.region_code)
    names: dict[str, str] = {}
    counts: dict[str, Counter] = {}
    for v in values:
        names[v.region] = v.region_name
        counts.setdefault(v.region, Counter())[v.status] += 1
    reporters: dict[str, list[str]] = {}
    for account in list_users(db):
        code = account.region_code
        if (
            account.role is Role.REPORTER and account.active and code is not None
            and code.startswith(plan_prefix) and in_scope(user, code)
        ):  # fmt: skip
            reporters.setdefault(code, []).append(account.username)
    if not reporters and not counts and stored.region_code and in_scope(user, stored.region_code):
        reporters[stored.region_code] = []  # a plan of one region: the region reports itself
    with db.session() as session:
        for code in set(reporters) - set(names):
            names[code] = region_row(session, code).name
    rows = []
    for code in sorted(set(reporters) | set(counts)):
        c = dict(counts.get(code, Counter()))
        state = next((s for s in STATES[1:] if c.get(s)), "not_started")
        progress = RegionProgress(code, names[code], tuple(sorted(reporters.get(code, []))),
                                  expected, c, state)  # fmt: skip
        late = due is not None and today > due and progress.missing > 0
        rows.append(replace(progress, late=late))
    return CycleStatus(plan_id, stored.title, year, due, today, rows)
