"""The yearly reporting cycle: when a plan's values are due, and who has reported.

Each plan sets a due date per year (year 2025's values by 2026-03-31, say). The
analyst's dashboard lists the regions expected to report — those with a reporter
account, and any that already reported — with what each has entered, submitted,
had approved and published, and whether it is late. A plan without a due date for
the year says so: lateness is never judged against a date nobody set.

The plan's own region owes every indicator of the plan; the regions below it owe only
those whoever sets the due dates said they report (a national plan's totals are the
nation's to report, not each county's). Until someone has said it, a region below
shows what it handed in and "not set" for what it owes — never a guessed "all" or "none".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from minsheng.domain.errors import InvalidData, PermissionDenied, Problem
from minsheng.domain.users import Role
from minsheng.domain.years import check_year
from minsheng.services import permissions
from minsheng.services.plans import StoredPlan, get_plan, list_plans
from minsheng.services.reporting import ReportedValue, in_scope, plan_values
from minsheng.services.users import User, list_users
from minsheng.store.database import Database
from minsheng.store.models import PlanIndicatorRow, ReportingDeadlineRow
from minsheng.store.repositories import audit as audit_repo
from minsheng.store.repositories.plans import PlanSummary
from minsheng.store.repositories.regions import code_prefix, region_row

#: a region's state, from its least advanced value (the order of the cycle)
STATES = ("not_started", "draft", "submitted", "approved", "published")


@dataclass(frozen=True)
class RegionProgress:
    region: str
    region_name: str
    reporters: tuple[str, ...]
    # the indicators the region owes: all of the plan's for its own region, those reported
    # below for a region under it; None: nobody has said what the regions below report
    expected: int | None
    counts: dict[str, int] = field(default_factory=dict)  # status → values (current versions)
    state: str = "not_started"
    missing: int | None = None  # owed indicators without a value past draft (None: not set)
    late: bool | None = False  # None: cannot be judged, what is owed is not set

    @property
    def entered(self) -> int:
        return sum(self.counts.values())

    @property
    def handed_in(self) -> int:
        """Values past draft: what counts as reported by the due date."""
        return self.entered - self.counts.get("draft", 0)


@dataclass(frozen=True)
class CycleStatus:
    plan_id: int
    plan_title: str
    year: int
    due: date | None
    today: date
    regions: list[RegionProgress]
    plan_region: str | None = None
    scope: tuple[ScopeRow, ...] = ()  # the plan's indicators, and what the regions below report
    values: tuple[ReportedValue, ...] = ()  # the year's current values it counted (the review's)

    @property
    def reported_below(self) -> tuple[int, ...] | None:
        """The plan's indicator ids the regions below report; None: not set yet."""
        return below_of(self.scope)

    @property
    def late(self) -> list[RegionProgress]:
        return [r for r in self.regions if r.late is True]

    @property
    def scope_unset(self) -> bool:
        """Whether a region below the plan's shows "not set": the list is wanted and missing."""
        return self.reported_below is None and any(r.expected is None for r in self.regions)

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


def check_cycle_setter(user: User, stored: StoredPlan) -> None:
    """Who sets a plan's reporting cycle (its due dates, what the regions below report): an
    admin, or an analyst whose region holds the plan's region (a plan of an unknown region:
    an admin only)."""
    if stored.region_code is None and not user.holds(Role.ADMIN):
        raise PermissionDenied(
            f"{stored.title}: its region is unknown; only an admin sets its reporting cycle",
            message_zh=f"{stored.title}：所属地区未知，只有管理员可以设定其报送安排",
        )
    try:
        permissions.check_review_role(
            user.actor,
            [stored.region_code] if stored.region_code else [],
        )
    except PermissionDenied as refused:  # the one rule, said of what was asked
        raise PermissionDenied(
            f"{user.username} may not set the reporting cycle of {stored.title}: {refused.message}",
            message_zh=f"{user.username}无权设定{stored.title}的报送安排："
            f"{refused.message_zh or refused.message}",
        ) from None


def may_set_cycle(user: User, stored: StoredPlan) -> bool:
    """Whether ``user`` may set the plan's due dates and reported-below list (pages offer the
    forms only to those; the rule is :func:`check_cycle_setter`)."""
    try:
        check_cycle_setter(user, stored)
    except PermissionDenied:
        return False
    return True


def set_due_date(db: Database, user: User, plan_id: int, year: int, due: date) -> date:
    """Set (or move) when a plan's values of ``year`` are due; recorded in the audit trail.

    Who: an admin, or an analyst whose region holds the plan's region (a plan of an
    unknown region: an admin only). A year's values cannot be due before the year ends.
    """
    year = check_year(year, "year")
    stored = get_plan(db, plan_id)
    check_cycle_setter(user, stored)
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


@dataclass(frozen=True)
class ScopeRow:
    """One of a plan's indicators and whether the regions below its region report it."""

    id: int  # the plan's indicator id (``plan_indicator_id`` in the API)
    seq: int | None
    name: str
    below: bool | None  # None: nobody has said


def reporting_scope(db: Database, plan_id: int) -> tuple[ScopeRow, ...]:
    """The plan's indicators in plan order, each with what was said of the regions below."""
    with db.session() as session:
        said = session.execute(
            select(
                PlanIndicatorRow.id,
                PlanIndicatorRow.seq,
                PlanIndicatorRow.name,
                PlanIndicatorRow.reported_below,
            )
            .where(PlanIndicatorRow.plan_id == plan_id)
            .order_by(PlanIndicatorRow.position)
        ).all()
    return tuple(ScopeRow(*row) for row in said)


def below_of(scope: Iterable[ScopeRow]) -> tuple[int, ...] | None:
    """The ids reported below; None until someone has said it for every row (a row a revised
    plan added is not yet said)."""
    rows = list(scope)
    if any(r.below is None for r in rows):
        return None
    return tuple(r.id for r in rows if r.below)


def reported_below(db: Database, plan_id: int) -> tuple[int, ...] | None:
    """The plan's indicator ids (plan order) the regions below its own region report; None
    until someone has said it."""
    return below_of(reporting_scope(db, plan_id))


def set_reported_below(
    db: Database, user: User, plan_id: int, indicator_ids: Iterable[int]
) -> tuple[int, ...]:
    """Say which of a plan's indicators the regions below its own region report (the rest
    only the plan's region reports); recorded in the audit trail.

    ``indicator_ids`` are the plan's indicator ids (``plan_indicator_id`` in the API); an
    empty list says that only the plan's own region reports. Who: as for due dates.
    """
    stored = get_plan(db, plan_id)
    check_cycle_setter(user, stored)
    wanted = list(indicator_ids)
    own = set(stored.indicator_ids)
    problems = [
        Problem(
            n,
            "indicators",
            f"{i} is not an indicator of plan {plan_id}",
            message_zh=f"编号 {i} 不是本规划（{plan_id}）的指标",
        )
        for n, i in enumerate(wanted, start=1)
        if i not in own
    ]
    if problems:
        foreign = ", ".join(str(wanted[p.row - 1]) for p in problems if p.row)
        raise InvalidData(
            f"{stored.title}: not indicators of this plan: {foreign}; nothing was changed",
            problems,
            message_zh=f"{stored.title}：以下编号不是本规划的指标：{foreign}；未作任何更改",
        )
    chosen = set(wanted)
    with db.session() as session:
        rows = session.scalars(
            select(PlanIndicatorRow)
            .where(PlanIndicatorRow.plan_id == plan_id)
            .order_by(PlanIndicatorRow.position)
        ).all()
        was_set = all(r.reported_below is not None for r in rows)
        before = {"reported_below": [r.id for r in rows if r.reported_below]} if was_set else None
        for r in rows:
            r.reported_below = r.id in chosen
        after = [r.id for r in rows if r.id in chosen]
        audit_repo.record(
            session, user.username, "reported_below.set", f"{stored.title} (plan {plan_id})",
            region=stored.region_code, before=before,
            after={"reported_below": after, "indicators": len(rows)},
        )  # fmt: skip
    return tuple(after)


def cycle_status(
    db: Database, user: User, plan_id: int, year: int, today: date | None = None
) -> CycleStatus:
    """Who in ``user``'s subtree has reported a plan's values of ``year``, and who is late.

    A region owes every indicator of the plan if it is the plan's own region, else those
    the regions below report (:func:`set_reported_below`); where that is not set, what it
    owes, misses and whether it is late are None ("not set"), not a guess.
    """
    permissions.check_review_role(user.actor)
    year = check_year(year, "year")
    stored = get_plan(db, plan_id)
    today = today or date.today()
    due = due_date(db, plan_id, year)
    plan_prefix = code_prefix(stored.region_code) if stored.region_code else ""
    scope = reporting_scope(db, plan_id)
    below = below_of(scope)
    name_of = {r.id: r.name for r in scope}
    values = values_to_review(db, user, plan_id, year, stored.region_code)
    names: dict[str, str] = {}
    counts: dict[str, Counter] = {}
    handed: dict[str, set[str]] = {}  # region → the indicators (plan wording) past draft
    for v in values:
        names[v.region] = v.region_name
        counts.setdefault(v.region, Counter())[v.status] += 1
        if v.status != "draft":
            handed.setdefault(v.region, set()).add(v.indicator)
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
        owed = tuple(name_of) if code == stored.region_code else below
        missing = late = None
        if owed is not None:
            got = handed.get(code, set())
            missing = sum(1 for i in owed if name_of[i] not in got)
            late = due is not None and today > due and missing > 0
        rows.append(RegionProgress(
            code, names[code], tuple(sorted(reporters.get(code, []))),
            None if owed is None else len(owed), c, state, missing, late,
        ))  # fmt: skip
    return CycleStatus(
        plan_id, stored.title, year, due, today, rows, stored.region_code, scope, tuple(values)
    )


def plans_to_review(db: Database, user: User) -> list[PlanSummary]:
    """The plans whose values ``user`` reviews: those of a region in one of its subtrees, and
    those above it (a national plan's values of the analyst's province), for the review page's
    chooser."""
    permissions.check_review_role(user.actor)
    mine = user.actor.prefixes(permissions.REVIEWERS)
    found = []
    for summary in list_plans(db):
        if not summary.indicators:  # a document stored without an indicator table: nothing is due
            continue
        own = code_prefix(summary.region_code) if summary.region_code else None
        if own is None:  # a plan whose region nobody confirmed: only a whole-country reviewer
            if "" in mine:
                found.append(summary)
        elif any(p.startswith(own) or own.startswith(p) for p in mine):
            found.append(summary)
    return found
