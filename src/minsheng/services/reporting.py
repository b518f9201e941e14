"""The reporting cycle's rules for API and pages: who may enter a value, who may see which.

A reporter enters values for its own region subtree only, as drafts; an analyst
works in its subtree; an admin everywhere; the public and evaluators enter
nothing. Anyone sees published values; a signed-in reporter or analyst also sees
every status inside its own subtree (its drafts included), an admin everything.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from minsheng.domain.errors import (
    Conflict,
    InvalidData,
    NotFound,
    PermissionDenied,
    Problem,
    ValidationReport,
)
from minsheng.domain.observations import ObservationStatus
from minsheng.ingest.observations.workbook_validation import (
    ObservationRow,
    validate_observation_rows,
)
from minsheng.ingest.observations.workbooks import read_observation_rows
from minsheng.names import normalise_name
from minsheng.services import permissions
from minsheng.services.observation_context import canonical_catalogue, catalogue_for
from minsheng.services.observations import (
    ImportResult,
    add_observation,
    add_observations,
    change_status,
    correct_observation,
    import_observations,
)
from minsheng.services.plans import get_plan
from minsheng.services.regions import region_index
from minsheng.services.results import refresh_plan_results
from minsheng.services.users import User
from minsheng.store.database import Database
from minsheng.store.models import ObservationVersionRow, PlanIndicatorRow
from minsheng.store.models.indicators import CanonicalIndicatorRow
from minsheng.store.models.regions import RegionRow
from minsheng.store.repositories import audit as audit_repo


@dataclass(frozen=True)
class ReportedValue:
    id: int
    indicator: str  # the catalogue code, or the plan's own wording
    plan_id: int | None
    region: str
    region_name: str
    year: int
    value: float
    unit: str | None
    source: str | None
    status: str
    version: int
    entered_by: str | None
    entered_at: datetime | None
    note: str | None = None  # e.g. the analyst's comment on a returned value
    withdrawn: bool = False  # a withdrawal's version (services.withdrawals); never "current"


def in_scope(user: User, region_code: str) -> bool:
    """Whether ``user`` works on ``region_code`` (the rules: :mod:`minsheng.services.permissions`)."""
    return permissions.in_scope(user.actor, region_code)


def enter_value(
    db: Database,
    user: User,
    indicator: str,
    region: str,
    year: int,
    value: float,
    *,
    unit: str | None = None,
    source: str | None = None,
    plan: int | None = None,
) -> ReportedValue:
    """Store one value as ``user``: a reporter's is a draft, an analyst's or admin's submitted."""
    permissions.check_enter(user.actor, [])
    with db.session() as session:
        # the one region resolver (code, name, 简称, Traditional); NotFound when unknown
        code = region_index(session).resolve(region, year=year).code
    permissions.check_enter(user.actor, [code])
    status = permissions.entry_status(user.actor, [code])
    stored = add_observation(
        db, indicator, code, year, value, user.username, plan=plan, unit=unit, source=source,
        status=status,
    )  # fmt: skip
    found = visible_values(db, user, region=code, year=year, ids=[stored.id])
    return found[0]


def visible_values(
    db: Database,
    user: User | None,
    *,
    indicator: str | None = None,
    region: str | None = None,
    year: int | None = None,
    status: str | None = None,
    ids: list[int] | None = None,
    limit: int = 1000,
) -> list[ReportedValue]:
    """The current version of each value ``user`` (None: the public) may see, filtered."""
    O, R = ObservationVersionRow, RegionRow  # noqa: E741, N806 - short names for a long query
    C, P = CanonicalIndicatorRow, PlanIndicatorRow  # noqa: N806
    conditions = []
    prefixes = permissions.sees_drafts_of(user.actor if user else None)
    # a withdrawal ends what every reader sees, whatever its status: it is the latest seen
    published = or_(O.status == ObservationStatus.PUBLISHED.value, O.withdrawn)
    if prefixes is None:
        conditions.append(published)
    elif "" not in prefixes:
        conditions.append(or_(*(R.code.like(f"{p}%") for p in prefixes), published))
    if year is not None:
        conditions.append(O.year == year)
    if region or indicator:
        # named as every other door names them (codes, names, 简称, aliases, Traditional
        # script); an unknown one is NotFound, never an empty list that reads as "no values"
        with db.session() as session:
            if region:
                conditions.append(R.code == region_index(session).resolve(region, year=year).code)
            if indicator:
                conditions.append(_indicator_condition(session, indicator))
    if ids is not None:
        conditions.append(O.id.in_(ids))
    base = (
        select(func.max(O.id))
        .join(R, R.id == O.region_id)
        .outerjoin(C, C.id == O.canonical_id)
        .outerjoin(P, P.id == O.plan_indicator_id)
        .where(*conditions)
        .group_by(O.plan_indicator_id, O.canonical_id, O.region_id, O.year)
    )
    stmt = (
        select(O, R.code, R.name, C.code, P.name, P.plan_id)
        .join(R, R.id == O.region_id)
        .outerjoin(C, C.id == O.canonical_id)
        .outerjoin(P, P.id == O.plan_indicator_id)
        .where(O.id.in_(base), O.withdrawn.is_(False))
        # the status asked for is the current version's (an older draft of a value since
        # published is no draft any more)
        .where(*([O.status == ObservationStatus(status).value] if status else []))
        .order_by(R.code, O.year, O.id)
        .limit(limit)
    )
    with db.session() as session:
        return [
            ReportedValue(
                o.id,
                canonical or own or "?",
                plan_id,
                code,
                name,
                o.year,
                o.value,
                o.unit,
                o.source,
                o.status,
                o.version,
                o.entered_by,
                o.entered_at,
                o.note,
            )  # fmt: skip
            for o, code, name, canonical, own, plan_id in session.execute(stmt).all()
        ]


def _indicator_condition(session: Session, text: str) -> ColumnElement[bool]:
    """A catalogue indicator (code, name or alias) and any plan's own wording, folded alike.

    Both: a plan row not (yet) mapped keeps its own series under the catalogue's very
    name, and a mapped wording reads its catalogue series (one series per indicator).
    """
    C, P = CanonicalIndicatorRow, PlanIndicatorRow  # noqa: N806
    catalogue = canonical_catalogue(session)
    canonical_ids: set[int] = set()
    with suppress(NotFound):
        canonical_ids.add(catalogue.ids[catalogue.resolve_name(text)][1])  # type: ignore[arg-type]
    folded = normalise_name(text)
    rows = [
        (name, canonical_id)
        for name, canonical_id in session.execute(select(P.name, P.canonical_id).distinct())
        if normalise_name(name) == folded
    ]
    if not rows and not canonical_ids:
        raise NotFound(
            f"no indicator with code, name or alias {text!r} in the catalogue or any plan",
            message_zh=f"指标目录和各规划中都没有“{text}”这一指标",
        )
    canonical_ids |= {c for _, c in rows if c is not None}
    return or_(P.name.in_({n for n, _ in rows}), C.id.in_(canonical_ids))


ACTIONS = permissions.ACTIONS


def _current(
    db: Database, user: User, indicator: str, region: str, year: int, plan: int | None
) -> ReportedValue:
    with db.session() as session:
        code = region_index(session).resolve(region, year=year).code
    if not in_scope(user, code):
        raise PermissionDenied(f"{user.username} may not change values of region {code}")
    found = [
        v
        for v in visible_values(db, user, indicator=indicator, region=code, year=year)
        if plan is None or v.plan_id in (None, plan)
    ]
    if not found:
        raise NotFound(f"no value of {indicator} for {code} in {year}")
    return found[0]


def move_value(
    db: Database,
    user: User,
    action: str,
    indicator: str,
    region: str,
    year: int,
    *,
    comment: str | None = None,
    plan: int | None = None,
) -> ReportedValue:
    """submit / approve / return (with a comment) / publish one value, as a new version."""
    if action not in ACTIONS:
        raise InvalidData(f"unknown action {action!r}; choose one of {', '.join(ACTIONS)}")
    _, sources, target = ACTIONS[action]
    permissions.check_action(user.actor, action, None)
    current = _current(db, user, indicator, region, year, plan)
    permissions.check_action(user.actor, action, current.region)
    if ObservationStatus(current.status) not in sources:
        raise Conflict(f"a {current.status} value cannot be {action}ed")
    if action == "return" and not (comment and comment.strip()):
        raise InvalidData(
            "a returned value needs a comment",
            [Problem(None, "comment", "required", message_zh="退回时须填写意见，说明需要如何修改")],
            message_zh="退回数据须附意见",
        )
    change_status(db, indicator, current.region, year, target, user.username,
                  plan=current.plan_id, note=comment)  # fmt: skip
    return _current(db, user, indicator, current.region, year, plan)


def correct_value(
    db: Database,
    user: User,
    indicator: str,
    region: str,
    year: int,
    value: float,
    *,
    comment: str | None = None,
    plan: int | None = None,
) -> ReportedValue:
    """A corrected value as a new version (the old one stays); only a draft can be corrected by a reporter."""
    current = _current(db, user, indicator, region, year, plan)
    permissions.check_enter(user.actor, [current.region])
    if (
        not user.actor.may(permissions.REVIEWERS, current.region)
        and current.status != ObservationStatus.DRAFT.value
    ):
        raise Conflict(f"a {current.status} value is corrected by an analyst, or returned first")
    correct_observation(db, indicator, current.region, year, value, user.username,
                        plan=current.plan_id, note=comment)  # fmt: skip
    return _current(db, user, indicator, current.region, year, plan)


def enter_values(
    db: Database,
    user: User,
    plan_id: int,
    region: str,
    year: int,
    values: dict[str, str],
) -> int:
    """A data-entry form: the plan's indicators (own wording) → typed text; all stored or none.

    Empty fields are skipped; a field that is not a number refuses the whole form
    with its name in the problems. Returns how many values were stored or changed.
    """
    permissions.check_enter(user.actor, [])
    with db.session() as session:
        code = region_index(session).resolve(region, year=year).code
    permissions.check_enter(user.actor, [code])
    # the same rules as a file row (plan years, ranges, units): one validator for every input
    rows = [
        ObservationRow(n, None, name, code, year, text.strip(), source="web form")
        for n, (name, text) in enumerate(values.items(), 1)
        if text.strip()
    ]
    if not rows:
        raise InvalidData("no value was filled in", message_zh="没有填写任何数值")
    with db.session() as session:
        context = catalogue_for(session, plan_id, {r.indicator for r in rows}, {code})
        checked, report = validate_observation_rows(rows, context.validation_context(session))
    if not report.ok:
        # a form has no rows: each problem is named by its indicator
        named = [
            Problem(
                None,
                rows[p.row - 1].indicator if p.row else p.field,
                p.message,
                message_zh=p.message_zh,
            )
            for p in report.errors
        ]
        raise InvalidData.from_report("the form", ValidationReport(named), what_zh="表单")
    status = permissions.entry_status(user.actor, [code])
    observations = [replace(o, status=status, entered_by=user.username) for o in checked]
    added, corrected, _ = add_observations(db, plan_id, observations, user.username)
    return added + corrected


def import_file(db: Database, user: User, plan_id: int, path: Path) -> ImportResult:
    """A filled-in template uploaded by ``user``: validated whole, stored whole or not at all.

    The same checks as a single value: the role may enter data, every region of the
    file lies in the user's subtree; a reporter's values arrive as drafts.
    """
    permissions.check_enter(user.actor, [])
    regions = {str(r.region) for r in read_observation_rows(path)}
    with db.session() as session:
        index, codes = region_index(session), set()
        for region in regions:
            # the validator reports an unknown or ambiguous region with its row
            with suppress(NotFound, InvalidData):
                codes.add(index.resolve(region).code)
    # a region outside the user's is refused by the import, with its row among the others
    status = permissions.entry_status(user.actor, codes)
    return import_observations(db, path, user.username, plan=plan_id, status=status)


@dataclass(frozen=True)
class PublishedYear:
    plan_id: int
    year: int
    published: int  # values moved from approved to published
    records: int  # evaluation records of the public's evaluation kept for the year


def publish_year(db: Database, user: User, plan_id: int, year: int) -> PublishedYear:
    """Publish a year of a plan: its approved values in ``user``'s subtree and, with them, the
    year's evaluation judged on published values (the records the public pages and API read).

    Each value is published as a new version (who and when on record); values not yet
    approved stay as they are. The evaluation is kept even when nothing new was approved,
    so publishing twice is harmless.
    """
    permissions.check_action(user.actor, "publish", None)
    approved = [
        v
        for v in visible_values(db, user, year=year, status="approved", limit=1_000_000)
        if v.plan_id in (None, plan_id) and in_scope(user, v.region)
    ]
    stored = get_plan(db, plan_id)  # NotFound for an unknown plan
    names = {ind.name for ind in stored.plan.indicators} | {
        ind.canonical_code for ind in stored.plan.indicators if ind.canonical_code
    }
    published = 0
    for v in approved:
        if v.plan_id is None and v.indicator not in names:
            continue  # a catalogue value no row of this plan reads
        change_status(db, v.indicator, v.region, year, ObservationStatus.PUBLISHED,
                      user.username, plan=v.plan_id)  # fmt: skip
        published += 1
    records = refresh_plan_results(db, plan_id, year, published_only=True)
    with db.session() as session:
        audit_repo.record(
            session, user.username, "year.publish", f"{stored.title} · {year}",
            region=user.region_code, after={"values": published, "evaluation_records": records},
        )  # fmt: skip
    return PublishedYear(plan_id, year, published, records)


def plan_values(
    db: Database, user: User | None, plan_id: int, **filters: object
) -> list[ReportedValue]:
    """The values ``user`` may see that a plan's rows read, named in the plan's own wording.

    A row mapped to the catalogue reads the catalogue's one series (stored without a plan,
    named by its code); an unmapped row its own series.
    """
    wording: dict[str, str] = {}
    for ind in get_plan(db, plan_id).plan.indicators:
        wording[ind.name] = ind.name
        if ind.canonical_code:
            wording.setdefault(ind.canonical_code, ind.name)
    return [
        replace(v, indicator=wording[v.indicator], plan_id=plan_id)
        for v in visible_values(db, user, limit=1_000_000, **filters)  # type: ignore[arg-type]
        if v.plan_id in (plan_id, None) and v.indicator in wording
    ]
