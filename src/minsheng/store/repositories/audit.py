"""Writing and reading the audit trail: events, and the versions of values with their predecessors."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from minsheng.domain.audit import AuditEntry, current_origin
from minsheng.store.models import (
    AuditEventRow,
    CanonicalIndicatorRow,
    ObservationVersionRow,
    PlanIndicatorRow,
    RegionRow,
)


def record(
    session: Session,
    actor: str | None,
    action: str,
    subject: str,
    *,
    region: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add an event to the trail in the caller's transaction: the write and its record stand or fall together."""
    session.add(
        AuditEventRow(
            actor=actor,
            origin=current_origin(),
            action=action,
            subject=subject[:500],
            region_code=region,
            before=_dump(before),
            after=_dump(after),
        )
    )


def _dump(data: dict[str, Any] | None) -> str | None:
    return (
        None if data is None else json.dumps(data, ensure_ascii=False, default=str, sort_keys=True)
    )


def _load(text: str | None) -> dict[str, Any] | None:
    return None if text is None else json.loads(text)


def events(
    session: Session, prefix: str | None, since: datetime | None, limit: int
) -> list[AuditEntry]:
    """Events of regions under ``prefix`` ("" or None: all, with events of no region), newest first."""
    e = AuditEventRow
    stmt = select(e).order_by(e.at.desc(), e.id.desc()).limit(limit)
    if prefix:
        stmt = stmt.where(e.region_code.like(f"{prefix}%"))
    if since is not None:
        stmt = stmt.where(e.at >= since)
    return [
        AuditEntry(
            r.at,
            r.actor,
            r.origin,
            r.action,
            r.subject,
            r.region_code,
            _load(r.before),
            _load(r.after),
        )  # fmt: skip
        for r in session.scalars(stmt)
    ]


_FIELDS = ("value", "bound", "status", "unit", "source", "note")


def value_versions(
    session: Session, prefix: str | None, since: datetime | None, limit: int
) -> list[AuditEntry]:
    """The newest versions of values under ``prefix``, each beside the version it followed."""
    o, r = ObservationVersionRow, RegionRow
    c, p = CanonicalIndicatorRow, PlanIndicatorRow
    stmt = (
        select(o, r.code, r.name, c.code, c.name, p.name)
        .join(r, r.id == o.region_id)
        .outerjoin(c, c.id == o.canonical_id)
        .outerjoin(p, p.id == o.plan_indicator_id)
        .order_by(o.entered_at.desc(), o.id.desc())
        .limit(limit)
    )
    if prefix:
        stmt = stmt.where(r.code.like(f"{prefix}%"))
    if since is not None:
        stmt = stmt.where(o.entered_at >= since)
    found = session.execute(stmt).all()
    previous = _predecessors(session, [row[0] for row in found])
    out = []
    for row, code, region_name, canon_code, canon_name, own in found:
        before = previous.get(row.id)
        indicator = f"{canon_code} {canon_name}" if canon_code else (own or "?")
        out.append(
            AuditEntry(
                row.entered_at,
                row.entered_by,
                row.entered_from,
                _value_action(before, row),
                f"{indicator} · {region_name} ({code}) · {row.year} · v{row.version}",
                code,
                None if before is None else {f: getattr(before, f) for f in _FIELDS},
                {f: getattr(row, f) for f in _FIELDS},
            )
        )
    return out


def _value_action(before: ObservationVersionRow | None, row: ObservationVersionRow) -> str:
    if row.withdrawn:
        return "value.withdraw"
    if before is None or before.withdrawn:
        return "value.add"  # entered again after a withdrawal: a value anew
    if before.value != row.value or before.bound != row.bound:
        return "value.correct"
    return f"value.{row.status}"


def _predecessors(
    session: Session, rows: list[ObservationVersionRow]
) -> dict[int, ObservationVersionRow]:
    """The version before each of ``rows`` (by id), found in one query per few hundred rows."""
    o = ObservationVersionRow
    wanted = [x for x in rows if x.version > 1]
    out: dict[int, ObservationVersionRow] = {}
    for start in range(0, len(wanted), 200):
        part = wanted[start : start + 200]
        clauses = [
            (o.region_id == x.region_id) & (o.year == x.year) & (o.version == x.version - 1)
            & (o.plan_indicator_id == x.plan_indicator_id if x.plan_indicator_id is not None
               else o.plan_indicator_id.is_(None))
            & (o.canonical_id == x.canonical_id if x.canonical_id is not None
               else o.canonical_id.is_(None))
            for x in part
        ]  # fmt: skip
        earlier = {
            (y.plan_indicator_id, y.canonical_id, y.region_id, y.year, y.version): y
            for y in session.scalars(select(o).where(or_(*clauses)))
        }
        for x in part:
            key = (x.plan_indicator_id, x.canonical_id, x.region_id, x.year, x.version - 1)
            if key in earlier:
                out[x.id] = earlier[key]
    return out
