"""The observation scan on SQLite: two values a row, read in C, turned into Arrow by NumPy.

Python's ``sqlite3`` module hands rows over as tuples of Python objects, and at a
whole country's observations (840,000 rows) that was nearly the whole cost of the
read: SQLite ran the query in 0.1 s, building nine objects a row took 1.5 s and
zipping them into columns another second. No Arrow reader for SQLite may be used
instead — each links a second SQLite library into the process, and two copies
break each other's file locks (see :mod:`minsheng.store.bulk`) — and a text
SQLite writes cannot carry the values (SQLite 3.40 writes a REAL with 15
significant digits, which loses bits). So SQLite is asked for two numbers a row:
the value as it is stored, and one integer holding everything else — the series
(a plan indicator's id, or a canonical one's with a flag bit), the region's id,
the year, the version, the synthetic flag, status and bound as small codes
(:data:`LAYOUT`), and the unit as its place in the list of units the plans and the
catalogue use (a value keeps the unit it was entered in; readers convert). The
widths of the ids are those the request needs: the series from the ids asked for,
the region from the largest region id. The two columns are read in C on the
connection's own handle (:mod:`minsheng.store._sqlite_columns`: still two Python
objects a row cost 0.35 s of a 0.63 s read), or as tuples where that reader is not
built. NumPy unpacks the integer in a few vectorised steps, region codes are looked
up once per region rather than joined per row, and the table is built from the arrays.
The rows come from the covering index :data:`SCAN_INDEX`, each series sought in it,
so the wide rows (sources, notes, timestamps) are never read.

Anything the packing cannot carry is detected, not assumed away: ids too wide
for the 40 bits they share, a year outside 1900–2155 or a version above 127 make
the statement give NULL, which both readers refuse; a status or bound outside the
known ones gets a code of its own, as does a unit outside the list; a region
missing from the lookup is seen — and then the caller reads the rows one by one,
so the result is always the row read's. (The integer columns are taken to hold
integers, as their type and every writer make them.) The rows come from one
statement, so one snapshot even while others write, and nothing is cached: each
call reads the database as it is.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import cache
from operator import itemgetter
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy.engine import Connection

from minsheng.arrow_arrays import compute, from_numpy, texts
from minsheng.domain.observations import ObservationStatus
from minsheng.store.models.observations import SERIES_SCAN_INDEX as SCAN_INDEX

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

#: The bounds a value may carry (``>95``); code 0 is none, 7 anything else.
BOUND_CODES = (">", ">=", "<", "<=")
_STATUSES = tuple(s.value for s in ObservationStatus)
_OTHER = 7  # the code of a status or bound outside the lists: read row by row instead
#: The packed integer's fields below the ids, lowest first, with their widths in bits.
LAYOUT = (("bound", 3), ("status", 3), ("synthetic", 1), ("version", 7), ("year", 8))
_YEAR0 = 1900  # the year field holds year − 1900
_LOW = sum(bits for _, bits in LAYOUT)
#: Bits the series and region ids share: the packed integer stays below 2**62.
ID_BITS = 62 - _LOW
# a full scan of the table costs less than following the index once the series
# asked for are this share of all of them (the index pays a lookup per row read)
_SCAN_SHARE = 1 / 3


def _widths(
    plan_ids: Sequence[int], canonical_ids: Sequence[int], regions: Sequence[int], units: int
) -> tuple[int, int, int] | None:
    """Bits for the series id (its kind flag included), the region id and the unit's code
    (0 for none, 1… for ``units`` known ones, all ones for any other); None if too wide."""
    series = max((*plan_ids, *canonical_ids, 1)).bit_length() + 1
    region = max((*regions, 1)).bit_length()
    unit = (units + 1).bit_length()
    if min((*plan_ids, *canonical_ids, *regions, 0)) < 0 or series + region + unit > ID_BITS:
        return None
    return series, region, unit


def packed_sql(
    wheres: Sequence[str],
    source: str,
    series_bits: int,
    region_bits: int,
    units: Sequence[str],
    *,
    series_asked: bool = False,
) -> str:
    """The statement: one branch per condition of ``wheres`` (ids inlined as literals), each
    reading ``source`` (the table, with its access path); ``units`` are coded 1… in order,
    inlined as quoted literals. ``series_asked``: each branch admits only rows whose series
    (the plan's id where set, else the catalogue's) is one asked for, so no row's series
    can be too wide and the statement need not test it."""
    assert len(_STATUSES) < _OTHER and len(BOUND_CODES) < _OTHER
    status = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(_STATUSES))
    bound = " ".join(f"WHEN '{b}' THEN {i + 1}" for i, b in enumerate(BOUND_CODES))
    flag = 1 << (series_bits - 1)  # canonical series carry it; ids stay below it
    fits = (
        ("" if series_asked else f"ifnull(plan_indicator_id, canonical_id) BETWEEN 1 AND {flag - 1} AND ")
        + f"region_id BETWEEN 0 AND {(1 << region_bits) - 1}"
        f" AND year BETWEEN {_YEAR0} AND {_YEAR0 + 255} AND version BETWEEN 0 AND 127"
    )  # fmt: skip
    fields = {
        "series": f"CASE WHEN plan_indicator_id IS NULL THEN canonical_id + {flag} ELSE plan_indicator_id END",
        "region": "region_id",
        "unit": _unit_case(units),
        "year": f"year - {_YEAR0}",
        "version": "version",
        "synthetic": "(synthetic <> 0)",
        "status": f"CASE status {status} ELSE {_OTHER} END",
        "bound": f"CASE WHEN bound IS NULL THEN 0 ELSE (CASE bound {bound} ELSE {_OTHER} END) END",
    }
    packed = fields["series"]
    unit_bits = (len(units) + 1).bit_length()
    for name, bits in (("region", region_bits), ("unit", unit_bits), *reversed(LAYOUT)):
        packed = f"({packed}) * {1 << bits} + {fields[name]}"
    return " UNION ALL ".join(
        f"SELECT CASE WHEN {fits} THEN {packed} END, value FROM {source} WHERE {where}"
        for where in wheres
    )


#: Every unit a value may carry: those of the catalogue's indicators and the plans' rows
#: (writers store one of them); a value in any other is read row by row.
_UNITS = (
    "SELECT unit FROM canonical_indicators WHERE unit IS NOT NULL"
    " UNION SELECT unit FROM plan_indicators WHERE unit IS NOT NULL ORDER BY 1"
)


def _unit_case(units: Sequence[str]) -> str:
    """The unit's code: 0 for none, its place (1…) in ``units``, all ones for another."""
    other = (1 << (len(units) + 1).bit_length()) - 1
    if not units:
        return f"CASE WHEN unit IS NULL THEN 0 ELSE {other} END"
    quoted = " ".join(
        f"WHEN '{u.replace(chr(39), chr(39) * 2)}' THEN {i + 1}" for i, u in enumerate(units)
    )
    return f"CASE WHEN unit IS NULL THEN 0 ELSE (CASE unit {quoted} ELSE {other} END) END"


def _full_scan_pays(connection: Connection, n_plan: int, n_canonical: int) -> bool:
    """Whether the series asked for are enough of all series that a table scan is cheaper."""
    total = connection.exec_driver_sql(
        "SELECT (SELECT count(*) FROM plan_indicators) + (SELECT count(*) FROM canonical_indicators)"
    ).scalar()
    return bool(total) and (n_plan + n_canonical) >= _SCAN_SHARE * int(total or 0)


def read_packed(
    connection: Connection,
    plan_ids: Sequence[int],
    canonical_ids: Sequence[int],
    *,
    scan: bool | None = None,
    in_c: bool = True,
) -> pa.Table | None:
    """Every version of the given series as columns of ``SCAN_COLUMNS``, or None: read row by row.

    By default the rows come from the covering index (:data:`SCAN_INDEX`) where the
    store has it; ``scan`` forces the table instead, scanned whole (True) or through the
    unique keys (False), as a store without that index is read (by default whichever
    costs less). The two columns are read in C where that reader is built (:func:`_read_in_c`);
    ``in_c=False`` reads them through the sqlite3 module, a tuple a row.
    """
    import numpy as np
    import pyarrow as pa

    plan_ids, canonical_ids = (
        sorted({int(i) for i in plan_ids}),
        sorted({int(i) for i in canonical_ids}),
    )
    if not plan_ids and not canonical_ids:
        return None
    plan_in, canonical_in = (
        f"IN ({', '.join(map(str, ids))})"  # integers of ours, made sure by int()
        for ids in (plan_ids, canonical_ids)
    )
    cursor = connection.connection.cursor()
    try:
        covering = scan is None and bool(
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (SCAN_INDEX,)
            ).fetchall()
        )
        if covering:
            # each series sought in the index that holds every column read (a row with a
            # catalogue indicator has no plan row: the schema's one_indicator check)
            source = f"observations INDEXED BY {SCAN_INDEX}"
            wheres = [
                *([f"plan_indicator_id {plan_in}"] if plan_ids else []),
                *([f"plan_indicator_id IS NULL AND canonical_id {canonical_in}"] if canonical_ids else []),
            ]  # fmt: skip
        else:  # a store without that index: the table, scanned whole or by its unique keys
            if scan is None:
                scan = _full_scan_pays(connection, len(plan_ids), len(canonical_ids))
            source = f"observations{' NOT INDEXED' if scan else ''}"
            wheres = [
                " OR ".join(
                    f"{column} {ids}"
                    for column, ids, asked in (
                        ("plan_indicator_id", plan_in, plan_ids),
                        ("canonical_id", canonical_in, canonical_ids),
                    )
                    if asked
                )
            ]
        regions = cursor.execute("SELECT id, code FROM regions").fetchall()
        units = [u for (u,) in cursor.execute(_UNITS).fetchall() if u is not None]
        widths = _widths(plan_ids, canonical_ids, [r[0] for r in regions], len(units))
        if widths is None:
            return None
        series_bits, region_bits, unit_bits = widths
        statement = packed_sql(
            wheres, source, series_bits, region_bits, units, series_asked=covering
        )
        columns = _read_in_c(connection.connection.dbapi_connection, statement) if in_c else None
        if columns is None:  # as Python objects, row by row
            rows = cursor.execute(statement).fetchall()
    finally:
        cursor.close()
    if columns is False:  # a NULL: what the packing cannot carry
        return None
    if columns is not None:
        packed, value = columns
    else:
        n = len(rows)
        try:
            packed = np.fromiter(map(itemgetter(0), rows), dtype=np.int64, count=n)
            value = np.fromiter(map(itemgetter(1), rows), dtype=np.float64, count=n)
        except (TypeError, OverflowError, ValueError):  # a NULL: what the packing cannot carry
            return None
        del rows
    field = {}
    for name, bits in LAYOUT:
        field[name], packed = packed & ((1 << bits) - 1), packed >> bits
    unit, packed = packed & ((1 << unit_bits) - 1), packed >> unit_bits
    region_id, series = packed & ((1 << region_bits) - 1), packed >> region_bits
    canonical = series >> (series_bits - 1) == 1
    series &= (1 << (series_bits - 1)) - 1
    status, bound = field["status"], field["bound"]
    if (
        (status >= len(_STATUSES)).any()
        or (bound > len(BOUND_CODES)).any()
        or (unit > len(units)).any()
    ):
        return None
    codes = _region_codes(regions, region_id)
    if codes is None:
        return None
    return pa.table(
        {
            "plan_indicator_id": from_numpy(series, valid=~canonical),
            "canonical_id": from_numpy(series, valid=canonical),
            "region_code": codes,
            "year": from_numpy(field["year"] + _YEAR0),
            "value": from_numpy(value),
            "version": from_numpy(field["version"]),
            "synthetic": from_numpy(field["synthetic"].astype(bool)),
            "status": _take(texts(_STATUSES), status),
            "bound": _take(texts([None, *BOUND_CODES]), bound),
            "unit": _take(texts([None, *units]), unit),
        }
    )


def _take(values: pa.Array, at: np.ndarray) -> pa.Array:
    """``values[at]``, by Arrow's kernel (``Array.take`` would import ``pyarrow.compute``)."""
    return compute("take", values, from_numpy(at))


@cache
def _c_reader() -> ModuleType | None:
    """The C reader of two columns, bound to Python's own SQLite; None where it cannot be.

    It reads the connection handle out of CPython's ``sqlite3.Connection`` object, whose
    layout it knows for CPython 3.11–3.13 only; and it is optional at install (no compiler,
    no reader).
    """
    if sys.implementation.name != "cpython" or not (3, 11) <= sys.version_info[:2] <= (3, 13):
        return None
    try:
        import _sqlite3

        from minsheng.store import _sqlite_columns
    except ImportError:
        return None
    path = getattr(_sqlite3, "__file__", None)  # None: SQLite built into the interpreter
    return _sqlite_columns if path and _sqlite_columns.bind(path) else None


def _read_in_c(
    dbapi_connection: Any, statement: str
) -> tuple[np.ndarray, np.ndarray] | Literal[False] | None:
    """The statement's packed integers and values, read in C on the connection's own handle
    (:mod:`minsheng.store._sqlite_columns`); False: a row the packing cannot carry (decline);
    None: read them as rows instead."""
    import sqlite3

    import numpy as np

    reader = _c_reader()
    if reader is None or type(dbapi_connection) is not sqlite3.Connection:
        return None
    main_file = next(
        (row[2] for row in dbapi_connection.execute("PRAGMA database_list") if row[1] == "main"),
        None,
    )
    if main_file is None:
        return None
    got = reader.read(
        dbapi_connection,
        statement,
        main_file,
        dbapi_connection.total_changes,
        0 if dbapi_connection.in_transaction else 1,
    )
    if got is None or got is False:
        return got
    packed, value = got
    return np.frombuffer(packed, dtype=np.int64), np.frombuffer(value, dtype=np.float64)


def _region_codes(regions: list[tuple[int, str]], region_id: np.ndarray) -> pa.Array | None:
    """Each row's region code, looked up by id; None if a row's region is not in ``regions``."""
    import numpy as np

    ids = np.fromiter((r[0] for r in regions), dtype=np.int64, count=len(regions))
    if not len(region_id):
        return texts([])
    if not len(ids):
        return None
    order = np.argsort(ids)
    ids = ids[order]
    if ids[0] >= 0 and ids[-1] < 4 * len(ids) + 65536:  # ids as handed out: a direct table
        where = np.full(int(ids[-1]) + 1, -1, dtype=np.int64)
        where[ids] = order
        inside = (region_id >= 0) & (region_id <= ids[-1])
        at = np.where(inside, where[np.where(inside, region_id, 0)], -1)
    else:  # ids far apart: a binary search
        found = np.minimum(np.searchsorted(ids, region_id), len(ids) - 1)
        at = np.where(ids[found] == region_id, order[found], -1)
    if (at < 0).any():
        return None
    return _take(texts([r[1] for r in regions]), at)
