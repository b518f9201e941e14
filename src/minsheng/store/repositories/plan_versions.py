"""A plan's life after it is first stored: new versions, its region set by hand, deletion.

A plan's indicator rows carry observations (``ON DELETE CASCADE``), so a new
version of the document updates the rows in place, matched by their wording,
instead of replacing them: values reported against a row stay with it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from minsheng.domain.errors import Conflict, InvalidData, NotFound
from minsheng.domain.plans import Plan
from minsheng.store.models import ObservationVersionRow, PlanIndicatorRow, PlanRow, RegionRow
from minsheng.store.repositories import row_domains
from minsheng.store.repositories.plans import (
    _resolve_region,
    add_services_and_projects,
    canonical_ids,
    fill_indicator,
    fill_plan,
    indicator_row,
)


def same_plan(session: Session, plan: Plan) -> tuple[PlanRow | None, str | None]:
    """The stored plan this document is a version of, and why: ``"checksum"`` (the very
    same file) or ``"title"`` (same region and title); (None, None) when it is new."""
    if plan.checksum:
        row = session.scalar(
            select(PlanRow).where(PlanRow.checksum == plan.checksum).order_by(PlanRow.id)
        )
        if row is not None:
            return row, "checksum"
    title = plan.metadata.title
    if not title:
        return None, None
    region = _resolve_region(session, plan.metadata)
    condition = (
        PlanRow.region_id == region.id if region is not None else PlanRow.region_id.is_(None)
    )
    row = session.scalar(
        select(PlanRow).where(PlanRow.title == title, condition).order_by(PlanRow.id)
    )
    return (row, "title") if row is not None else (None, None)


def _observed_rows(session: Session, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    o = ObservationVersionRow
    return set(
        session.scalars(select(o.plan_indicator_id).where(o.plan_indicator_id.in_(ids)).distinct())
    )


# Plan-level fields a document may leave unsaid: a later edition that does not state one
# (a reposted head without its issuer, a table of contents without its dates) keeps the
# stored value instead of erasing it.
_KEPT_WHEN_UNSAID = (
    "issuer",
    "document_number",
    "issue_date",
    "publish_date",
    "period_start",
    "period_end",
    "outline",
)


def update_plan(session: Session, row: PlanRow, plan: Plan) -> list[str]:
    """Make ``plan`` the next version of ``row``; returns what changed, in words.

    A document replaces only what it states. Indicator rows are matched by wording:
    a matched row keeps its id, its values and a mapping a person confirmed; new rows
    are added; a row the new version dropped is removed unless values were reported
    against it (then it stays, said so). A document with no indicator table, no service
    list or no key projects at all (a reposted head, a table of contents) says nothing
    about them, so the stored ones stay; likewise a plan-level field it leaves unsaid,
    and a region set by hand is not replaced by an unknown one.
    """
    canonical = canonical_ids(session, plan)
    region = _resolve_region(session, plan.metadata)
    kept_region = region is None and row.region_id is not None
    history = list(row.history or [])
    history.append(
        {
            "version": row.version or 1,
            "checksum": row.checksum,
            "source_file": row.source_file,
            "indicators": len(row.indicators),
            "replaced_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
    )
    old_region = (row.region_id, row.region_name, row.level, row.region_confidence)
    stated_before = {name: getattr(row, name) for name in _KEPT_WHEN_UNSAID}
    fill_plan(row, plan, region)
    if kept_region:
        row.region_id, row.region_name, row.level, row.region_confidence = old_region
    for name, value in stated_before.items():
        if getattr(row, name) in (None, "", []) and value not in (None, "", []):
            setattr(row, name, value)
    row.version = (row.version or 1) + 1
    row.history = history
    changes: list[str] = []
    if plan.indicators or not row.indicators:
        changes += _update_indicators(session, row, plan, canonical)
    else:
        changes.append(
            f"no indicator table in this document: the {len(row.indicators)} stored "
            "indicators are kept"
        )
    kept_services = not plan.services and bool(row.services)
    kept_projects = not plan.projects and bool(row.projects)
    if kept_services:
        changes.append(
            f"no service list in this document: the {len(row.services)} stored lists are kept"
        )
    else:
        row.services.clear()
    if kept_projects:
        changes.append(
            f"no key projects in this document: the {len(row.projects)} stored projects are kept"
        )
    else:
        row.projects.clear()
    session.flush()
    add_services_and_projects(
        row,
        replace(
            plan,
            services=[] if kept_services else plan.services,
            projects=[] if kept_projects else plan.projects,
        ),
    )
    session.flush()
    session.expire(row)  # reload the collections in their new order
    return changes


def _update_indicators(
    session: Session, row: PlanRow, plan: Plan, canonical: dict[str, int]
) -> list[str]:
    changes: list[str] = []
    by_name: dict[str, PlanIndicatorRow] = {}
    for old in row.indicators:
        by_name.setdefault(old.name, old)
    used: set[int] = set()
    for position, ind in enumerate(plan.indicators):
        match = by_name.get(ind.name)
        if match is not None and match.id not in used:
            used.add(match.id)
            confirmed = match.match_score == 1.0 and match.canonical_id is not None
            mapping = (match.canonical_id, match.match_score)
            domain = (match.domain_code, match.domain_from)
            fill_indicator(match, ind, canonical)
            match.position = position
            if confirmed:
                match.canonical_id, match.match_score = mapping
                row_domains.keep_on_new_edition(match, *domain)
        else:
            row.indicators.append(indicator_row(position, ind, canonical))
            changes.append(f"new indicator {ind.name}")
    dropped = [old for old in row.indicators if old.id is not None and old.id not in used]
    observed = _observed_rows(session, [old.id for old in dropped])
    for old in dropped:
        if old.id in observed:
            old.position = len(plan.indicators) + old.position
            changes.append(
                f"indicator {old.name} is no longer in the document; kept for its values"
            )
        else:
            row.indicators.remove(old)
            changes.append(f"indicator {old.name} removed")
    return changes


def set_region(session: Session, row: PlanRow, region: RegionRow) -> None:
    """A person says which region the plan is for: certain from now on."""
    row.region_id = region.id
    row.region_name = region.name
    row.level = region.level
    row.region_confidence = 1.0
    session.flush()


def count_observations(session: Session, row: PlanRow) -> int:
    ids = [i.id for i in row.indicators]
    if not ids:
        return 0
    o = ObservationVersionRow
    return int(
        session.scalar(
            select(func.count()).select_from(o).where(o.plan_indicator_id.in_(ids))
        ) or 0
    )  # fmt: skip


def delete_plan(
    session: Session, row: PlanRow, observations: Literal["keep", "delete"]
) -> tuple[int, int]:
    """Remove a plan; returns (values kept, values deleted).

    ``keep``: the values of an indicator mapped to a canonical indicator move to
    the canonical series, every version and who entered it kept; where the
    catalogue's series already holds that region and year, the plan's value must
    agree (then it is dropped as a duplicate) or the deletion is refused. Values of
    unmapped indicators have no series to go to: the deletion is refused until
    they are mapped (``minsheng map``) or ``delete`` is chosen.
    ``delete``: the plan's values go with it.
    """
    if observations not in ("keep", "delete"):
        raise InvalidData(f"--observations must be keep or delete, not {observations!r}")
    o = ObservationVersionRow
    total = count_observations(session, row)
    if observations == "delete" or total == 0:
        _delete_row(session, row)
        return 0, total
    unmapped = [i for i in row.indicators if i.canonical_id is None]
    stranded = _observed_rows(session, [i.id for i in unmapped])
    if stranded:
        names = ", ".join(i.name for i in unmapped if i.id in stranded)
        raise Conflict(
            f"values of {len(stranded)} unmapped indicator(s) ({names[:200]}) have no other "
            "series to go to: map them first (`minsheng map PLAN --confirm SEQ=CODE`) "
            "or delete them with the plan (--observations delete)"
        )
    moved = 0
    for indicator in row.indicators:
        values = list(session.scalars(select(o).where(o.plan_indicator_id == indicator.id)))
        if not values:
            continue
        keys = {(v.region_id, v.year) for v in values}
        existing: dict[tuple[int, int], tuple[int, float, bool]] = {}
        for region_id, year, version, value, gone in session.execute(
            select(o.region_id, o.year, o.version, o.value, o.withdrawn).where(
                o.canonical_id == indicator.canonical_id
            )
        ):
            if (region_id, year) in keys and existing.get((region_id, year), (-1, 0.0, False))[
                0
            ] < version:
                existing[(region_id, year)] = (version, value, bool(gone))
        latest: dict[tuple[int, int], ObservationVersionRow] = {}
        for v in values:
            key = (v.region_id, v.year)
            if key not in latest or latest[key].version < v.version:
                latest[key] = v
        # a withdrawn plan value is no value to keep; one the catalogue withdrew is no
        # duplicate of the plan's (dropping the plan's as one would lose it)
        clashes = [
            k
            for k in existing
            if not latest[k].withdrawn
            and (existing[k][2] or abs(existing[k][1] - latest[k].value) > 1e-9)
        ]
        if clashes:
            raise Conflict(
                f"{indicator.name}: {len(clashes)} value(s) differ from the catalogue series it "
                "maps to for the same region and year (or were withdrawn there); correct one of "
                "them first, or delete the plan's values (--observations delete)"
            )
        for v in values:
            if (v.region_id, v.year) in existing:
                session.delete(v)  # the catalogue already holds this very value
            else:
                moved += 1
        session.flush()
        session.execute(
            update(o)
            .where(o.plan_indicator_id == indicator.id)
            .values(plan_indicator_id=None, canonical_id=indicator.canonical_id)
        )
    _delete_row(session, row)
    return moved, total - moved


def _delete_row(session: Session, row: PlanRow) -> None:
    session.execute(
        update(PlanRow).where(PlanRow.higher_plan_id == row.id).values(higher_plan_id=None)
    )
    ids = [i.id for i in row.indicators]
    if ids:
        session.execute(
            delete(ObservationVersionRow).where(ObservationVersionRow.plan_indicator_id.in_(ids))
        )
    session.delete(row)
    session.flush()


def plan_by_id(session: Session, plan_id: int) -> PlanRow:
    row = session.get(PlanRow, plan_id)
    if row is None:
        raise NotFound(f"no plan with id {plan_id}")
    return row
