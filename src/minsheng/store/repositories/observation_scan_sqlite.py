"""The observation scan on SQLite: three columns a row, turned into Arrow by NumPy.

Python's ``sqlite3`` module hands rows over as tuples of Python objects, and at a
whole country's observations (840,000 rows) that is nearly the whole cost of the
read: SQLite runs the query in 0.1 s, building nine objects a row took 1.5 s and
zipping them into columns another second. No Arrow reader for SQLite may be used
instead — each links a second SQLite library into the process, and two copies
break each other's file locks (see :mod:`minsheng.store.bulk`) — and a text
SQLite writes cannot carry the values (SQLite 3.40 writes a REAL with 15
significant digits, which loses bits). So SQLite is asked for three objects a
row: one integer holding the series (the plan indicator's id, or minus the
canonical one) and the region's id, one holding the year, the synthetic flag,
status and bound as small codes and the version, and the value as it is stored.
NumPy unpacks the integers in a few vectorised steps, region codes are looked up
once per region rather than joined per row, and the table is built from the
arrays. Anything the packing cannot carry is detected, not assumed away: an id
too large overflows the integer, which SQLite answers with a REAL that NumPy
refuses; a region id beyond 32 bits or a version beyond 16 gives NULL; a status
or bound outside the known ones gets a code of its own; a region missing from
the lookup is seen — and then the caller reads the rows one by one, so the
result is always the row read's. (The integer columns are taken to hold
integers, as their type and every writer make them.) It is one statement, so
one snapshot even while others write, and nothing is cached: each call reads the
database as it is.
"""

from __future__ import annotations

from operator import itemgetter
from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection

from minsheng.domain.observations import ObservationStatus

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

#: The bounds a value may carry (``>95``); code 0 is none, 7 anything else.
BOUND_CODES = (">", ">=", "<", "<=")
_STATUSES = tuple(s.value for s in ObservationStatus)
_OTHER = 7  # the code of a status or bound outside the lists: read row by row instead
# a full scan of the table costs less than following the index once the series
# asked for are this share of all of them (the index pays a lookup per row read)
_SCAN_SHARE = 1 / 3


def packed_sql(where: str, *, scan: bool) -> str:
    """The statement: ``where`` selects the rows (ids inlined as literals)."""
    assert len(_STATUSES) < _OTHER and len(BOUND_CODES) < _OTHER
    status = " ".join(f"WHEN '{s}' THEN {i * 8}" for i, s in enumerate(_STATUSES))
    bound = " ".join(f"WHEN '{b}' THEN {i + 1}" for i, b in enumerate(BOUND_CODES))
    return (
        # series and region in one integer: a series id of 2**31 or more overflows it, which
        # SQLite answers with a REAL; a region id outside 32 bits gives NULL
        "SELECT CASE WHEN region_id BETWEEN 0 AND 4294967295"
        " THEN ifnull(plan_indicator_id, -canonical_id) * 4294967296 + region_id END,"
        # year, flags and version in another: a version outside 16 bits gives NULL
        " CASE WHEN version BETWEEN 0 AND 65535 THEN"
        f" (year * 128 + (synthetic <> 0) * 64 + (CASE status {status} ELSE {_OTHER * 8} END)"
        f" + (CASE WHEN bound IS NULL THEN 0 ELSE (CASE bound {bound} ELSE {_OTHER} END) END))"
        " * 65536 + version END,"
        " value"
        f" FROM observations{' NOT INDEXED' if scan else ''} WHERE {where}"
    )


def full_scan_pays(connection: Connection, n_plan: int, n_canonical: int) -> bool:
    """Whether the series asked for are enough of all series that a table scan is cheaper."""
    total = connection.exec_driver_sql(
        "SELECT (SELECT count(*) FROM plan_indicators) + (SELECT count(*) FROM canonical_indicators)"
    ).scalar()
    return bool(total) and (n_plan + n_canonical) >= _SCAN_SHARE * int(total or 0)


def read_packed(connection: Connection, sql: str) -> pa.Table | None:
    """The rows of :func:`packed_sql` as columns of ``SCAN_COLUMNS``, or None: read row by row."""
    import numpy as np
    import pyarrow as pa

    cursor = connection.connection.cursor()
    try:
        rows = cursor.execute(sql).fetchall()
        regions = cursor.execute("SELECT id, code FROM regions").fetchall()
    finally:
        cursor.close()
    n = len(rows)
    try:
        keys, packed = (
            np.fromiter(map(itemgetter(i), rows), dtype=np.int64, count=n) for i in range(2)
        )
        value = np.fromiter(map(itemgetter(2), rows), dtype=np.float64, count=n)
    except (TypeError, OverflowError, ValueError):  # a NULL, or an integer that overflowed
        return None
    del rows
    series, region_id = keys >> 32, keys & 0xFFFFFFFF
    version, packed = packed & 0xFFFF, packed >> 16
    if (series == 0).any():  # no id is 0; the packing could not tell its kind
        return None
    status, bound = (packed >> 3) & 7, packed & 7
    if (status >= len(_STATUSES)).any() or (bound > len(BOUND_CODES)).any():
        return None
    codes = _region_codes(regions, region_id)
    if codes is None:
        return None
    return pa.table(
        {
            "plan_indicator_id": pa.array(series, mask=series <= 0),
            "canonical_id": pa.array(-series, mask=series >= 0),
            "region_code": codes,
            "year": pa.array(packed >> 7),
            "value": pa.array(value),
            "version": pa.array(version),
            "synthetic": pa.array(((packed >> 6) & 1).astype(bool)),
            "status": pa.array(_STATUSES).take(pa.array(status)),
            "bound": pa.array([None, *BOUND_CODES], pa.string()).take(pa.array(bound)),
        }
    )


def _region_codes(regions: list[tuple[int, str]], region_id: np.ndarray) -> pa.Array | None:
    """Each row's region code, looked up by id; None if a row's region is not in ``regions``."""
    import numpy as np
    import pyarrow as pa

    ids = np.fromiter((r[0] for r in regions), dtype=np.int64, count=len(regions))
    if not len(region_id):
        return pa.array([], pa.string())
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
    return pa.array([r[1] for r in regions], pa.string()).take(pa.array(at))
