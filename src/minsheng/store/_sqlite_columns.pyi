# The C reader of two columns of an SQLite statement (_sqlite_columns.c says why it is C).
import sqlite3

def bind(path: str, /) -> bool: ...
def read(
    connection: sqlite3.Connection,
    sql: str,
    filename: str,
    total_changes: int,
    autocommit: int,
    /,
) -> tuple[bytes, bytes] | bool | None: ...
