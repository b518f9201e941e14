"""Bulk reads as Arrow: columns straight from the engine, no Python object per row.

A whole country's observations are about a million rows; building a Python tuple
per row and then a frame from them costs ten times the read itself. ADBC drivers
(Arrow Database Connectivity: ``adbc-driver-postgresql``, over PostgreSQL's binary
COPY) return Arrow record batches built in C. SQLite is read through the session's own
connection: the SQLite ADBC driver links a second copy of the SQLite library into the
process, which breaks SQLite's file locks under concurrent writers. They open a connection of their own, which sees only committed rows, so the
session's own connection is read instead when it has written something not yet
committed (:data:`minsheng.store.database.WROTE`) or when the database lives in
memory (no other connection can see it). Both ways give the same table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import quote

from sqlalchemy.engine import Connection, make_url

from minsheng.store.database import WROTE

if TYPE_CHECKING:
    import pyarrow as pa

_PG_DEFAULT_PATH = '"$user", public'


def read_arrow(
    connection: Connection, statements: Sequence[str], schema: pa.Schema, *, bulk: bool = True
) -> pa.Table:
    """The rows of every statement, concatenated, as an Arrow table of ``schema``.

    ``statements`` are complete SQL (no parameters). ``bulk=False`` reads through
    the session's connection as the driver's tuples: the reference the tests
    compare the bulk path with.
    """
    import pyarrow as pa

    uri = _adbc_uri(connection) if bulk else None
    if uri is None:
        tables = [_read_rows(connection, sql, schema) for sql in statements]
    else:
        tables = _read_adbc(connection, uri, statements, schema)
    if not tables:
        return schema.empty_table()
    return pa.concat_tables(tables)


def _adbc_uri(connection: Connection) -> str | None:
    """The ADBC URI of the connection's database, or None when it must be read in-session."""
    if connection.info.get(WROTE):
        return None
    url = make_url(connection.engine.url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        # Never ADBC on SQLite: its driver carries its own copy of the SQLite library, and two
        # copies in one process release each other's POSIX locks when either closes the file
        # (sqlite.org/howtocorrupt.html, 2.2.1) — under concurrent writers that showed as
        # "disk I/O error". The session's own connection reads the rows instead.
        return None
    if backend == "postgresql":
        uri = url.set(drivername="postgresql").render_as_string(hide_password=False)
        path = connection.exec_driver_sql("SHOW search_path").scalar()
        if path and path != _PG_DEFAULT_PATH:
            # the session's schema (tests give each one its own) must be the reader's too
            option = "-csearch_path=" + str(path).replace(" ", "\\ ")
            uri += ("&" if "?" in uri else "?") + "options=" + quote(option)
        return uri
    return None


def _read_adbc(
    connection: Connection, uri: str, statements: Sequence[str], schema: pa.Schema
) -> list[pa.Table]:
    import adbc_driver_postgresql.dbapi as driver  # only PostgreSQL is read by ADBC (see above)

    tables = []
    with driver.connect(uri) as adbc, adbc.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            tables.append(_conform(cursor.fetch_arrow_table(), schema))
    return tables


def _read_rows(connection: Connection, sql: str, schema: pa.Schema) -> pa.Table:
    import pyarrow as pa

    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    arrays = [
        pa.array(list(values), type=_loose(field.type))
        for values, field in zip(columns, schema, strict=True)
    ]
    return _conform(pa.Table.from_arrays(arrays, names=schema.names), schema)


def _loose(kind: pa.DataType) -> pa.DataType | None:
    """Let Arrow infer booleans (SQLite gives 0/1, PostgreSQL True/False); cast after."""
    import pyarrow as pa

    return None if kind == pa.bool_() else kind


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """Columns renamed to ``schema``'s names and cast to its types (an all-NULL column
    comes back from SQLite typed as an integer; a boolean as 0/1)."""
    table = table.rename_columns(schema.names)
    return table.cast(schema) if table.schema != schema else table
