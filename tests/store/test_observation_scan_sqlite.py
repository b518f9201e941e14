"""The packed SQLite scan (store/repositories/observation_scan_sqlite.py) equals the row read.

Rows are written straight into the table, odd ones included — doubles of every
kind, years and versions beyond what the packing carries, ids beyond 31 and 32
bits, statuses and bounds no writer produces — and the packed read must either
give exactly the row read's table or decline (and ``scan_table`` then reads row
by row). Each example runs in a transaction rolled back afterwards.
"""

from __future__ import annotations

import struct

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from minsheng.domain.observations import ObservationStatus
from minsheng.services.plans import save_extracted_plan
from minsheng.store.models import RegionRow
from minsheng.store.repositories import observation_scan_sqlite as packed
from minsheng.store.repositories import observations as observations_repo

HUGE_REGION = 2**32 + 7  # with any series, wider than the 40 bits the ids share
HUGE_CANONICAL = 2**39 + 3  # alone wider than those 40 bits
SORT = ["plan_indicator_id", "canonical_id", "region_code", "year", "version"]
COLUMNS = (
    "plan_indicator_id, canonical_id, region_id, year, value, version, synthetic, status, "
    "bound, entered_at, unit"
)
#: Units a value may carry: none, the catalogue's and plans' ones, and ones no writer stores
#: (a quote in one tests the statement's quoting).
UNITS = [None, "%", "万张", "张", "万平方米", "it's odd", "斤"]


@pytest.fixture
def engine_name() -> str:
    return "sqlite"  # the packed read is SQLite's own


@pytest.fixture
def ids(seeded_db, plan_factory):  # noqa: ANN001, ANN201 - (db, plan ids, canonical ids, region ids)
    stored = save_extracted_plan(seeded_db, plan_factory())
    with seeded_db.session() as session:
        regions = list(session.scalars(select(RegionRow.id).order_by(RegionRow.id).limit(5)))
        canonical = [
            int(i)
            for (i,) in session.connection().exec_driver_sql(
                "SELECT id FROM canonical_indicators ORDER BY id LIMIT 3"
            )
        ]
    assert len(regions) == 5 and len(canonical) == 3
    return seeded_db, [int(i) for i in stored.indicator_ids][:4], canonical, regions


def _add_outliers(connection) -> None:  # noqa: ANN001 - ids no writer hands out, but SQLite allows
    connection.exec_driver_sql(
        "INSERT INTO regions (id, code, name, level) VALUES (?, '999999', 'far', 'county')",
        (HUGE_REGION,),
    )
    domain = connection.exec_driver_sql("SELECT code FROM service_domains LIMIT 1").scalar()
    connection.exec_driver_sql(
        "INSERT INTO canonical_indicators (id, code, name, polarity, domain_code)"
        " VALUES (?, 'far', 'far', 'higher', ?)",
        (HUGE_CANONICAL, domain),
    )


doubles = st.one_of(
    st.floats(allow_nan=False),  # every double: subnormal, huge, infinite, negative zero
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.integers(0, 2**64 - 1)
    .map(lambda b: struct.unpack("<d", b.to_bytes(8, "little"))[0])
    .filter(lambda x: x == x),
)
row = st.tuples(
    st.booleans(),  # a plan's series, or a canonical one
    st.integers(0, 3),  # which id (the last canonical one may be the huge one)
    st.integers(0, 5),  # which region (5: the huge one)
    st.one_of(
        st.integers(1990, 2035),
        st.integers(1895, 1905),
        st.integers(2150, 2160),
        st.integers(-(2**45), 2**45),
    ),
    doubles,
    st.one_of(st.integers(1, 4), st.integers(124, 131), st.integers(65530, 65540)),
    st.sampled_from([0, 1, 2]),
    st.sampled_from([s.value for s in ObservationStatus] + ["odd"]),
    st.sampled_from([None, *packed.BOUND_CODES, "~"]),
    st.sampled_from(UNITS),
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(row, min_size=0, max_size=30),
    outliers=st.booleans(),
    scan=st.sampled_from([None, True, False]),  # the covering index, the table whole, its keys
    in_c=st.booleans(),  # the two columns read in C, or as the sqlite3 module's tuples
)
def test_the_packed_read_is_the_row_read_or_declines(ids, rows, outliers, scan, in_c) -> None:  # noqa: ANN001
    db, plan_ids, canonical_ids, region_ids = ids
    with db.session() as session:
        connection = session.connection()
        if outliers:
            _add_outliers(connection)
        canon = [*canonical_ids, HUGE_CANONICAL if outliers else canonical_ids[0]]
        regions = [*region_ids, HUGE_REGION if outliers else region_ids[0]]
        values, seen = [], set()
        for own, which, where, year, value, version, synthetic, status, bound, unit in rows:
            pid, cid = (plan_ids[which], None) if own else (None, canon[which])
            key = (pid, cid, regions[where], year, version)
            if key in seen:
                continue
            seen.add(key)
            values.append(
                (pid, cid, regions[where], year, value, version, synthetic, status, bound,
                 "2026-01-01 00:00:00", unit)
            )  # fmt: skip
        if values:
            connection.exec_driver_sql(
                f"INSERT INTO observations ({COLUMNS}) VALUES ({', '.join('?' * 11)})", values
            )
        reference = observations_repo.scan_table(session, plan_ids, canon, bulk=False)
        fast = packed.read_packed(connection, plan_ids, canon, scan=scan, in_c=in_c)
        known = {u for (u,) in connection.exec_driver_sql(packed._UNITS)}
        ordinary = not outliers and all(
            1900 <= v[3] <= 2155 and v[5] <= 127 and v[7] != "odd" and v[8] != "~"
            and (v[10] is None or v[10] in known)
            for v in values
        )  # fmt: skip
        if ordinary:  # what writers produce is always read the fast way
            assert fast is not None
        if fast is not None:
            _assert_same(fast, reference)
        _assert_same(observations_repo.scan_table(session, plan_ids, canon), reference)
        session.rollback()


def _assert_same(got: pa.Table, want: pa.Table) -> None:
    """Equal tables, row order aside, doubles compared bit for bit."""
    assert got.schema == want.schema
    got, want = (
        got.sort_by([(c, "ascending") for c in SORT]),
        want.sort_by([(c, "ascending") for c in SORT]),
    )
    assert got.drop_columns(["value"]).equals(want.drop_columns(["value"]))
    bits = [t.column("value").to_numpy().view(np.int64) for t in (got, want)]
    assert np.array_equal(bits[0], bits[1])


def test_the_scan_reads_the_covering_index_alone(ids) -> None:  # noqa: ANN001
    """Both kinds of series are sought in the index holding every column read: the table's
    wide rows are never visited (what made the whole-country read a fifth slower)."""
    db, plan_ids, canonical_ids, _ = ids
    captured: list[str] = []
    with db.session() as session:
        connection = session.connection()
        connection.connection.set_trace_callback(captured.append)
        try:
            assert packed.read_packed(connection, plan_ids, canonical_ids) is not None
        finally:
            connection.connection.set_trace_callback(None)
        statement = next(s for s in captured if "UNION ALL" in s)
        plan = [row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}")]
    searches = [step for step in plan if step.startswith("SEARCH")]
    assert len(searches) == 2, plan
    assert all(f"USING COVERING INDEX {packed.SCAN_INDEX}" in step for step in searches), plan
