"""The C reader of two columns (store/_sqlite_columns.c) against the sqlite3 module's own rows.

It runs on the connection's own handle, so it must see exactly what a cursor on that
connection sees — uncommitted writes of the open transaction included — and hand back
None, never a guess, for anything it does not read as the cursor would.
"""

from __future__ import annotations

import sqlite3
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minsheng.store import _sqlite_columns
from minsheng.store.repositories.observation_scan_sqlite import _c_reader, _read_in_c


@pytest.fixture
def connection(tmp_path: Path):  # noqa: ANN201 - a file database with a table of two columns
    con = sqlite3.connect(tmp_path / "two.db")
    con.execute("CREATE TABLE t (k INTEGER, v REAL, w)")
    yield con
    con.close()


def test_the_reader_is_built_and_bound_here() -> None:
    """The project's machines build it (./run installs a compiler): the fast path is the one tested."""
    assert _c_reader() is not None


def _rows(con: sqlite3.Connection, sql: str) -> tuple[np.ndarray, np.ndarray]:
    rows = con.execute(sql).fetchall()
    return (
        np.array([r[0] for r in rows], dtype=np.int64),
        np.array([r[1] for r in rows], dtype=np.float64),
    )


doubles = st.one_of(
    st.floats(allow_nan=False),
    st.integers(0, 2**64 - 1)
    .map(lambda b: struct.unpack("<d", b.to_bytes(8, "little"))[0])
    .filter(lambda x: x == x),
)


@settings(max_examples=50)
@given(
    rows=st.lists(st.tuples(st.integers(-(2**63), 2**63 - 1), doubles), max_size=300),
    committed=st.booleans(),
)
def test_the_columns_are_the_cursor_rows(tmp_path_factory, rows, committed) -> None:  # noqa: ANN001
    con = sqlite3.connect(tmp_path_factory.mktemp("c") / "two.db")
    try:
        con.execute("CREATE TABLE t (k INTEGER, v REAL)")
        con.commit()
        con.executemany("INSERT INTO t VALUES (?, ?)", rows)
        if committed:
            con.commit()
        assert con.in_transaction is not committed  # the open transaction's rows are read too
        sql = "SELECT k, v FROM t ORDER BY rowid"
        got = _read_in_c(con, sql)
        assert got is not None
        want = _rows(con, sql)
        assert np.array_equal(got[0], want[0])
        assert np.array_equal(got[1].view(np.int64), want[1].view(np.int64))  # bit for bit
    finally:
        con.close()


def test_an_integer_value_is_converted_as_numpy_converts_it(connection) -> None:  # noqa: ANN001
    connection.executemany("INSERT INTO t (k, w) VALUES (?, ?)", [(1, 2**53 + 1), (2, -7)])
    got = _read_in_c(connection, "SELECT k, w FROM t")
    assert got is not None
    assert got[1].tolist() == [float(2**53 + 1), -7.0]


def test_a_null_packed_integer_declines_at_once(connection) -> None:  # noqa: ANN001
    """A row the packing cannot carry: no second read through the cursor."""
    connection.executemany("INSERT INTO t (k, v) VALUES (?, ?)", [(1, 1.0), (None, 2.0)])
    assert _read_in_c(connection, "SELECT k, v FROM t") is False


@pytest.mark.parametrize(
    "row, sql",
    [
        ((1, None), "SELECT k, v FROM t"),
        ((1.5, 1.0), "SELECT k, v FROM t"),  # not an integer
        ((1, 1.0), "SELECT k, 'text' FROM t"),  # not a number
        ((1, 1.0), "SELECT k, v, v FROM t"),  # three columns
        ((1, 1.0), "SELECT k, v FROM no_such_table"),  # SQLite's error: the cursor raises it
    ],
)
def test_anything_else_is_left_to_the_cursor(connection, row, sql) -> None:  # noqa: ANN001
    connection.execute("INSERT INTO t (k, v) VALUES (?, ?)", row)
    assert _read_in_c(connection, sql) is None


def test_a_handle_that_does_not_answer_as_the_connection_is_not_used(connection) -> None:  # noqa: ANN001
    connection.execute("INSERT INTO t (k, v) VALUES (1, 2.0)")
    sql = "SELECT k, v FROM t"
    main = next(r[2] for r in connection.execute("PRAGMA database_list") if r[1] == "main")
    changes, autocommit = connection.total_changes, 0 if connection.in_transaction else 1
    assert _sqlite_columns.read(connection, sql, main, changes, autocommit) is not None
    assert _sqlite_columns.read(connection, sql, main + "x", changes, autocommit) is None
    assert _sqlite_columns.read(connection, sql, main, changes + 1, autocommit) is None
    assert _sqlite_columns.read(connection, sql, main, changes, 1 - autocommit) is None


def test_an_in_memory_database_is_read_too() -> None:
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t (k INTEGER, v REAL)")
    con.executemany("INSERT INTO t VALUES (?, ?)", [(i, i / 3) for i in range(100_000)])
    got = _read_in_c(con, "SELECT k, v FROM t")
    assert got is not None and len(got[0]) == 100_000  # past the first buffer's growth
    assert np.array_equal(got[1], np.arange(100_000) / 3)
    con.close()


def test_a_database_another_connection_locks_is_left_to_the_cursor(tmp_path: Path) -> None:
    """SQLite's busy answer (a writer holding the file) is no result: the cursor then waits
    with the connection's own timeout and raises the error a user is told about."""
    path = tmp_path / "locked.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=DELETE")
    writer.execute("CREATE TABLE t (k INTEGER, v REAL)")
    writer.execute("INSERT INTO t VALUES (1, 2.0)")
    writer.execute("BEGIN EXCLUSIVE")
    reader = sqlite3.connect(path, timeout=0.05)
    try:
        assert _read_in_c(reader, "SELECT k, v FROM t") is None
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            reader.execute("SELECT k, v FROM t").fetchall()
    finally:
        reader.close()
        writer.execute("ROLLBACK")
        writer.close()
