"""Observations, append-only: each write is a new version of its (indicator, region, year) key.

Nothing here updates or deletes a row. The current value of a key is the one
with the highest version, unless that version withdraws it (:mod:`.withdrawals`):
then the key has none. :func:`history` lists them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from minsheng.domain.audit import current_origin
from minsheng.domain.errors import Conflict
from minsheng.domain.observations import ObservationStatus
from minsheng.store.bulk import read_arrow
from minsheng.store.models import ObservationVersionRow, RegionRow
from minsheng.store.repositories import observation_scan_sqlite as scan_sqlite
from minsheng.store.repositories import withdrawals
from minsheng.store.utils import chunks

if TYPE_CHECKING:
    import pyarrow as pa


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
    entered_at: datetime | None = None  # when it was reported, if not now (back-filled history)
    bound: str | None = None  # '>', '>=', '<', '<=': the value is only a bound ('>95')
    withdrawn: bool = False  # this version takes the value back (:mod:`.withdrawals`)


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
    bound: str | None = None
    withdrawn: bool = False  # a withdrawal: the value's key has no value from here on

    @property
    def shown(self) -> str:
        """The value as reported: ``>95`` for a bound, ``96.5`` otherwise."""
        return f"{self.bound or ''}{self.value:g}"


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


@dataclass(frozen=True)
class Current:
    """The highest version of a key and its value (none if ``withdrawn``: it took it back)."""

    version: int
    value: float
    bound: str | None = None
    unit: str | None = None  # the unit the value was entered in
    withdrawn: bool = False


_FEW = 300  # up to this many keys, ask for them; beyond, scan their indicators' series


def latest_versions(session: Session, keys: Iterable[SeriesKey]) -> dict[SeriesKey, Current]:
    """The current version and value of each key that has one.

    Few keys are looked up by (indicator, region, year); many (a file, a demo
    load) by scanning their indicators' series once, which costs one query
    instead of thousands.
    """
    wanted = set(keys)
    o = ObservationVersionRow
    columns = (
        o.plan_indicator_id,
        o.canonical_id,
        o.region_id,
        o.year,
        o.version,
        o.value,
        o.bound,
        o.unit,
        o.withdrawn,
    )
    statements: list[Select] = []
    if len(wanted) <= _FEW:
        if wanted:
            statements.append(_series_filter(select(*columns), list(wanted)))
    else:
        plan_ids = sorted({k.plan_indicator_id for k in wanted if k.plan_indicator_id is not None})
        canon_ids = sorted({k.canonical_id for k in wanted if k.canonical_id is not None})
        statements += [
            select(*columns).where(o.plan_indicator_id.in_(p)) for p in chunks(plan_ids, 500)
        ]
        statements += [
            select(*columns).where(o.canonical_id.in_(p)) for p in chunks(canon_ids, 500)
        ]
    found: dict[SeriesKey, Current] = {}
    for stmt in statements:
        for pid, cid, region_id, year, version, value, bound, unit, gone in session.execute(stmt):
            key = SeriesKey(pid, cid, region_id, year)
            if key in wanted and (key not in found or found[key].version < version):
                found[key] = Current(version, value, bound, unit, bool(gone))
    return found


def append_versions(
    session: Session,
    values: Sequence[NewValue],
    entered_by: str | None,
    current: dict[SeriesKey, Current] | None = None,
) -> list[int]:
    """Insert each value as the next version of its key; returns the versions written.

    ``current`` (from :func:`latest_versions`, in the same transaction) saves looking them up again.
    """
    if current is None:
        current = latest_versions(session, (v.key for v in values))
    next_version = {k: c.version + 1 for k, c in current.items()}
    now = datetime.now(UTC)
    table = ObservationVersionRow.__table__
    dialect = session.get_bind().dialect
    # Rows go to the driver's executemany directly: at hundreds of thousands of
    # rows SQLAlchemy's per-row parameter processing costs more than the insert.
    # Only the timestamp needs the column type's conversion, and it is the same
    # for every row.
    stamp_processor = table.c.entered_at.type.bind_processor(dialect)
    stamp = stamp_processor(now) if stamp_processor else now
    names = [
        "plan_indicator_id", "canonical_id", "region_id", "year", "value", "unit", "source",
        "note", "synthetic", "status", "version", "entered_by", "entered_at", "bound",
        "entered_from", "withdrawn",
    ]  # fmt: skip
    origin = current_origin()
    rows = []
    versions = []
    for v in values:
        version = next_version.get(v.key, 1)
        next_version[v.key] = version + 1
        versions.append(version)
        k = v.key
        when = stamp if v.entered_at is None else _stamp(stamp_processor, v.entered_at)
        rows.append(
            (k.plan_indicator_id, k.canonical_id, k.region_id, k.year, float(v.value), v.unit, v.source,
             v.note, bool(v.synthetic), v.status.value, version, entered_by, when, v.bound, origin,
             bool(v.withdrawn))
        )  # fmt: skip
    marks = ", ".join(_placeholder(dialect.paramstyle, i) for i in range(len(names)))
    sql = f"INSERT INTO {ObservationVersionRow.__tablename__} ({', '.join(names)}) VALUES ({marks})"
    connection = session.connection()
    try:
        if dialect.name == "postgresql" and len(rows) > _FEW:
            _copy_rows(connection, ObservationVersionRow.__tablename__, names, rows)
        else:
            for part in chunks(rows, 5000):
                connection.exec_driver_sql(sql, list(part))
    except IntegrityError as exc:  # another writer added the same version first
        raise Conflict("observations changed while saving; try again") from exc
    return versions


def _stamp(processor, when: datetime):  # noqa: ANN001, ANN202 - the column type's bind processor
    return processor(when) if processor else when


def _copy_rows(connection: Connection, table: str, names: list[str], rows: list[tuple]) -> None:
    """PostgreSQL's COPY: the fastest bulk insert, an order of magnitude above executemany."""
    import psycopg

    cursor = connection.connection.cursor()
    try:
        with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    except psycopg.IntegrityError as exc:
        raise Conflict("observations changed while saving; try again") from exc
    finally:
        cursor.close()


def _placeholder(paramstyle: str, index: int) -> str:
    return {"qmark": "?", "numeric": f":{index + 1}", "format": "%s", "pyformat": "%s"}.get(
        paramstyle, "?"
    )


def current_values(session: Session, keys: Sequence[SeriesKey]) -> dict[SeriesKey, StoredValue]:
    """The current (highest) version of each key that has one, with its source and who entered it
    (a key whose highest version withdrew its value has none)."""
    o = ObservationVersionRow
    found: dict[SeriesKey, StoredValue] = {}
    for part in chunks(list(dict.fromkeys(keys)), _FEW):
        stmt = _series_filter(
            select(o, RegionRow.code).join(RegionRow, RegionRow.id == o.region_id), list(part)
        )
        for row, code in session.execute(stmt).all():
            stored = _stored(row, code)
            if stored.key not in found or found[stored.key].version < stored.version:
                found[stored.key] = stored
    return {k: v for k, v in found.items() if not v.withdrawn}


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
        bound=row.bound,
        withdrawn=bool(row.withdrawn),
    )


#: Columns of :func:`scan_table`, in order.
SCAN_COLUMNS = (
    "plan_indicator_id",
    "canonical_id",
    "region_code",
    "year",
    "value",
    "version",
    "synthetic",
    "status",
    "bound",
    "unit",
)
#: What :func:`scan_table` adds, after :data:`SCAN_COLUMNS`, when a caller asks where each
#: value came from (a report's table of the values it used); the bulk scan never reads them.
PROVENANCE_COLUMNS = ("source", "entered_at")


def scan_table(
    session: Session,
    plan_indicator_ids: Sequence[int] = (),
    canonical_ids: Sequence[int] = (),
    *,
    bulk: bool = True,
    region: str | None = None,
    provenance: bool = False,
) -> pa.Table:
    """Every version of the given series as an Arrow table of :data:`SCAN_COLUMNS`.

    The one reader of observations in bulk (evaluation, spread, validation of a
    file): columns come straight from the engine as Arrow
    (:func:`minsheng.store.bulk.read_arrow`), never a Python object per row.
    Selecting the latest version is left to the caller, where it is one
    vectorised step; withdrawn values are already out (:mod:`.withdrawals`).
    On SQLite the rows come packed, two values a row (:mod:`.observation_scan_sqlite`),
    in no particular order. ``bulk=False`` reads through the session's own
    connection instead (the reference path the tests compare it with).

    ``region`` (a code) keeps one region's rows and ``provenance`` adds
    :data:`PROVENANCE_COLUMNS`: the same statement, narrowed or widened, read
    through the session so that the timestamps come typed on every engine. That
    read costs a Python object per value, which one region's values can afford;
    the whole-country scan above stays as it is and never reads those columns.
    """
    import pyarrow as pa

    o = ObservationVersionRow
    read: list[tuple[Any, pa.DataType]] = [  # in the order of SCAN_COLUMNS
        (o.plan_indicator_id, pa.int64()), (o.canonical_id, pa.int64()),
        (RegionRow.code, pa.string()), (o.year, pa.int64()), (o.value, pa.float64()),
        (o.version, pa.int64()), (o.synthetic, pa.bool_()), (o.status, pa.string()),
        (o.bound, pa.string()), (o.unit, pa.string()),
    ]  # fmt: skip
    if provenance:
        read += [(o.source, pa.string()), (o.entered_at, pa.timestamp("us"))]
    names = [*SCAN_COLUMNS, *PROVENANCE_COLUMNS][: len(read)]
    schema = pa.schema([(n, kind) for n, (_, kind) in zip(names, read, strict=True)])
    columns = [column for column, _ in read]
    base = select(*columns).join(RegionRow, RegionRow.id == o.region_id)
    if region is not None:
        base = base.where(RegionRow.code == region)
    queries = [
        base.where(o.plan_indicator_id.in_(part))
        for part in chunks(sorted({int(i) for i in plan_indicator_ids}), 500)
    ]
    queries += [
        base.where(o.canonical_id.in_(part))
        for part in chunks(sorted({int(i) for i in canonical_ids}), 500)
    ]
    through = withdrawals.withdrawn_through(session, plan_indicator_ids, canonical_ids, region)
    if region is not None or provenance:
        return withdrawals.drop_withdrawn(_read_typed(session, queries, schema), through)
    connection = session.connection()
    table = None
    if bulk and connection.dialect.name == "sqlite":
        table = _scan_sqlite(connection, plan_indicator_ids, canonical_ids)
    if table is None:
        # The ids inlined in the IN lists are integers of ours (int() above makes sure).
        sql = [
            str(q.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
            for q in queries
        ]
        table = read_arrow(connection, sql, schema, bulk=bulk)
    return withdrawals.drop_withdrawn(table, through)


def _read_typed(session: Session, queries: Sequence[Select], schema: pa.Schema) -> pa.Table:
    """The rows of ``queries`` through the session, each column converted by its SQL type
    (a timestamp is a ``datetime`` on SQLite too, where the driver gives text)."""
    import pyarrow as pa

    rows = [tuple(row) for q in queries for row in session.execute(q)]
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    return pa.Table.from_arrays(
        [pa.array(list(c), type=f.type) for c, f in zip(columns, schema, strict=True)],
        schema=schema,
    )


#: Most ids one packed statement names (SQLite bounds a statement's length, 1 MB by default).
_PACKED_IDS = 20_000


def _scan_sqlite(
    connection: Connection, plan_indicator_ids: Sequence[int], canonical_ids: Sequence[int]
) -> pa.Table | None:
    """:func:`scan_table` on SQLite in one statement of packed columns
    (:mod:`.observation_scan_sqlite` says why); None where it must read row by row."""
    if len(plan_indicator_ids) + len(canonical_ids) > _PACKED_IDS:
        return None  # a statement too long: the chunked read
    return scan_sqlite.read_packed(connection, plan_indicator_ids, canonical_ids)


def scan_columns(
    session: Session,
    plan_indicator_ids: Sequence[int] = (),
    canonical_ids: Sequence[int] = (),
) -> dict[str, list]:
    """:func:`scan_table` as columns (plain lists)."""
    return scan_table(session, plan_indicator_ids, canonical_ids).to_pydict()


def existing_values(
    session: Session,
    plan_indicator_ids: Sequence[int] = (),
    canonical_ids: Sequence[int] = (),
) -> dict[tuple[str, int, str, int], tuple[float, str | None]]:
    """Current (value, unit) per (kind, id, region_code, year): kind is "plan" or "canonical"."""
    cols = scan_columns(session, plan_indicator_ids, canonical_ids)
    best: dict[tuple, tuple[int, float, str | None]] = {}
    for pid, cid, code, year, value, version, unit in zip(
        cols["plan_indicator_id"],
        cols["canonical_id"],
        cols["region_code"],
        cols["year"],
        cols["value"],
        cols["version"],
        cols["unit"],
        strict=True,
    ):
        key = ("plan", pid, code, year) if pid is not None else ("canonical", cid, code, year)
        if key not in best or best[key][0] < version:
            best[key] = (version, value, unit)
    return {k: (v, u) for k, (_, v, u) in best.items()}


def count_versions(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(ObservationVersionRow)) or 0)


def first_reported(
    session: Session,
    plan_indicator_ids: Sequence[int] = (),
    canonical_ids: Sequence[int] = (),
) -> list[tuple]:
    """When each (series, region, year) was first entered: rows of
    (plan_indicator_id, canonical_id, region_code, year, first entered_at).

    Timeliness is judged on the first version: a later correction does not make
    a report late, and a value first entered after its due date stays late. A
    withdrawal starts the key afresh: what it took back was never the report, so the
    first version after the last withdrawal counts, and a key withdrawn and not
    entered again has not been reported.
    """
    o = ObservationVersionRow
    base = (
        select(o.plan_indicator_id, o.canonical_id, RegionRow.code, o.year, func.min(o.entered_at))
        .join(RegionRow, RegionRow.id == o.region_id)
        .group_by(o.plan_indicator_id, o.canonical_id, RegionRow.code, o.year)
    )
    rows: list[tuple] = []
    for part in chunks(sorted({int(i) for i in plan_indicator_ids}), 500):
        rows.extend(tuple(r) for r in session.execute(base.where(o.plan_indicator_id.in_(part))))
    for part in chunks(sorted({int(i) for i in canonical_ids}), 500):
        rows.extend(tuple(r) for r in session.execute(base.where(o.canonical_id.in_(part))))
    through = withdrawals.withdrawn_through(session, plan_indicator_ids, canonical_ids)
    if not through:
        return rows
    # the few keys a withdrawal names: their first version after it, read one by one
    versions = session.execute(
        select(o.plan_indicator_id, o.canonical_id, RegionRow.code, o.year, o.version, o.entered_at)
        .join(RegionRow, RegionRow.id == o.region_id)
        .where(
            RegionRow.code.in_(sorted({k[2] for k in through})),
            o.year.in_(sorted({k[3] for k in through})),
            o.withdrawn.is_(False),
        )
    )
    after: dict[withdrawals.Key, Any] = {}
    for pid, cid, code, year, version, entered_at in versions:
        key = (pid, cid, code, int(year))
        if key in through and version > through[key]:
            after[key] = min(after.get(key, entered_at), entered_at)
    return [
        (*row[:4], after[key]) if key in through else row
        for row in rows
        if (key := (row[0], row[1], row[2], int(row[3]))) not in through or key in after
    ]
