"""Observations, append-only: each write is a new version of its (indicator, region, year) key.

Nothing here updates or deletes a row. The current value of a key is the one
with the highest version; :func:`history` lists them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from minsheng.domain.errors import Conflict
from minsheng.domain.observations import ObservationStatus
from minsheng.store.models import ObservationVersionRow, RegionRow
from minsheng.store.utils import chunks


@dataclass(frozen=True)
class SeriesKey:
    """Exactly one of plan_indicator_id / canonical_id is set."""

    plan_indicator_id: int | None
    canonical_id: int | None
    region_id: int
    year: int


@dataclass(frozen=True)
class NewValue:
    key: SeriesKey
    value: float
    unit: str | None = None
    source: str | None = None
    note: str | None = None
    synthetic: bool = False
    status: ObservationStatus = ObservationStatus.SUBMITTED


@dataclass(frozen=True)
class StoredValue:
    id: int
    key: SeriesKey
    region_code: str
    value: float
    version: int
    unit: str | None
    source: str | None
    note: str | None
    status: ObservationStatus
    synthetic: bool
    entered_by: str | None
    entered_at: datetime | None


def _key_of(row: ObservationVersionRow) -> SeriesKey:
    return SeriesKey(row.plan_indicator_id, row.canonical_id, row.region_id, row.year)


def _series_filter(stmt: Select, keys: Sequence[SeriesKey]) -> Select:
    plan_keys = [(k.plan_indicator_id, k.region_id, k.year) for k in keys if k.plan_indicator_id]
    canon_keys = [(k.canonical_id, k.region_id, k.year) for k in keys if k.canonical_id]
    o = ObservationVersionRow
    conditions = []
    if plan_keys:
        conditions.append(tuple_(o.plan_indicator_id, o.region_id, o.year).in_(plan_keys))
    if canon_keys:
        conditions.append(tuple_(o.canonical_id, o.region_id, o.year).in_(canon_keys))
    from sqlalchemy import or_

    return stmt.where(or_(*conditions)) if conditions else stmt.where(o.id.is_(None))


def latest_versions(
    session: Session, keys: Iterable[SeriesKey]
) -> dict[SeriesKey, ObservationVersionRow]:
    """The current row of each key that has one."""
    o = ObservationVersionRow
    found: dict[SeriesKey, ObservationVersionRow] = {}
    for part in chunks(list(dict.fromkeys(keys)), 300):
        for row in session.scalars(_series_filter(select(o), part)):
            key = _key_of(row)
            if key not in found or found[key].version < row.version:
                found[key] = row
    return found


def append_versions(
    session: Session, values: Sequence[NewValue], entered_by: str | None
) -> list[int]:
    """Insert each value as the next version of its key; returns the versions written."""
    current = latest_versions(session, (v.key for v in values))
    next_version = {k: r.version + 1 for k, r in current.items()}
    now = datetime.now().astimezone()
    rows = []
    versions = []
    for v in values:
        version = next_version.get(v.key, 1)
        next_version[v.key] = version + 1
        versions.append(version)
        rows.append(
            {
                "plan_indicator_id": v.key.plan_indicator_id,
                "canonical_id": v.key.canonical_id,
                "region_id": v.key.region_id,
                "year": v.key.year,
                "value": float(v.value),
                "unit": v.unit,
                "source": v.source,
                "note": v.note,
                "synthetic": v.synthetic,
                "status": v.status.value,
                "version": version,
                "entered_by": entered_by,
                "entered_at": now,
            }
        )
    try:
        for part in chunks(rows, 2000):
            session.execute(ObservationVersionRow.__table__.insert(), part)
        session.flush()
    except IntegrityError as exc:  # another writer added the same version first
        raise Conflict("observations changed while saving; try again") from exc
    return versions


def history(session: Session, key: SeriesKey) -> list[StoredValue]:
    """Every version of one key, oldest first."""
    o = ObservationVersionRow
    stmt = _series_filter(
        select(o, RegionRow.code).join(RegionRow, RegionRow.id == o.region_id), [key]
    ).order_by(o.version)
    return [_stored(row, code) for row, code in session.execute(stmt).all()]


def _stored(row: ObservationVersionRow, code: str) -> StoredValue:
    return StoredValue(
        id=row.id,
        key=_key_of(row),
        region_code=code,
        value=row.value,
        version=row.version,
        unit=row.unit,
        source=row.source,
        note=row.note,
        status=ObservationStatus(row.status),
        synthetic=row.synthetic,
        entered_by=row.entered_by,
        entered_at=row.entered_at,
    )


def scan_columns(
    session: Session,
    plan_indicator_ids: Sequence[int] = (),
    canonical_ids: Sequence[int] = (),
) -> dict[str, list]:
    """Every version of the given series as columns (plain lists), for a DataFrame.

    Columns: plan_indicator_id, canonical_id, region_code, year, value, version,
    synthetic, status. Selecting the latest version is left to the caller, where
    it is one vectorised step.
    """
    o = ObservationVersionRow
    columns: dict[str, list] = {
        "plan_indicator_id": [],
        "canonical_id": [],
        "region_code": [],
        "year": [],
        "value": [],
        "version": [],
        "synthetic": [],
        "status": [],
    }
    base = select(
        o.plan_indicator_id,
        o.canonical_id,
        RegionRow.code,
        o.year,
        o.value,
        o.version,
        o.synthetic,
        o.status,
    ).join(RegionRow, RegionRow.id == o.region_id)
    queries = []
    for part in chunks(list(plan_indicator_ids), 500):
        queries.append(base.where(o.plan_indicator_id.in_(part)))
    for part in chunks(list(canonical_ids), 500):
        queries.append(base.where(o.canonical_id.in_(part)))
    names = list(columns)
    for stmt in queries:
        result = session.execute(stmt)
        for row in result:
            for name, value in zip(names, row, strict=True):
                columns[name].append(value)
    return columns


def existing_values(
    session: Session,
    plan_indicator_ids: Sequence[int] = (),
    canonical_ids: Sequence[int] = (),
) -> dict[tuple[str, int | None, int | None, int], float]:
    """Current value per (kind, id, region_code, year): kind is "plan" or "canonical"."""
    cols = scan_columns(session, plan_indicator_ids, canonical_ids)
    best: dict[tuple, tuple[int, float]] = {}
    for pid, cid, code, year, value, version in zip(
        cols["plan_indicator_id"],
        cols["canonical_id"],
        cols["region_code"],
        cols["year"],
        cols["value"],
        cols["version"],
        strict=True,
    ):
        key = ("plan", pid, code, year) if pid is not None else ("canonical", cid, code, year)
        if key not in best or best[key][0] < version:
            best[key] = (version, value)
    return {k: v for k, (_, v) in best.items()}


def count_versions(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(ObservationVersionRow)) or 0)
