"""Copying a whole database to one file and back, with each engine's own tool.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent
snapshot while other processes keep reading and writing; the copy is a plain
SQLite file (rollback journal, so it is one file) written beside the target and
renamed into place, so a killed backup never leaves half a file under the name.
Restoring copies it back the same way, in one write transaction on the live file.

PostgreSQL: ``pg_dump`` in its custom format, of the schema the connection uses.
Restoring turns the dump into SQL (``pg_restore -f -``) and runs it with the
existing tables dropped first, all through ``psql --single-transaction``: a
restore that fails or is killed leaves the database as it was.

The schema revision travels inside the copy (Alembic's ``alembic_version`` table)
and :func:`backup_revision` reads it back without restoring anything.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from minsheng.domain.errors import InvalidData, MinshengError, NotFound, Unavailable
from minsheng.store.database import BUSY_MESSAGE, FULL_MESSAGE, Database, store_errors

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


@dataclass(frozen=True)
class BackupFile:
    """What a backup file holds: its engine and the schema revision it was taken at."""

    engine: str  # "sqlite" or "postgresql"
    revision: str | None
    schema: str | None = None  # PostgreSQL: the schema the dump holds


def backup_engine(path: Path) -> str:
    """``sqlite`` or ``postgresql`` from the file's first bytes; InvalidData for anything else."""
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise InvalidData(f"{path.name} is not a minsheng backup (neither a SQLite file nor a pg_dump)")


def sqlite_path(db: Database) -> Path:
    database = make_url(db.url).database
    if not database or database == ":memory:":
        raise MinshengError("an in-memory database cannot be backed up or restored")
    return Path(database).expanduser()


# --------------------------------------------------------------------------- SQLite


def _give_up_when_busy(status: int, _remaining: int, _total: int) -> None:
    """Progress callback of ``Connection.backup``: stop on a lock instead of retrying for ever.

    Python's backup loop sleeps and retries a busy step without end; each step has
    already waited the connection's busy timeout, so a busy status means: give up.
    """
    if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        raise Unavailable(BUSY_MESSAGE)


def sqlite_backup(db: Database, target: Path) -> None:
    """A consistent copy of the live file at ``target`` (written aside, then renamed)."""
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    with store_errors():
        source = sqlite3.connect(sqlite_path(db), timeout=db.busy_timeout)
        try:
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy, progress=_give_up_when_busy)
                copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
                copy.commit()
            finally:
                copy.close()
        finally:
            source.close()
    with partial.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(partial, target)


def _sqlite_revision(path: Path) -> str | None:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        check = connection.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise InvalidData(f"{path.name} is damaged (SQLite integrity check: {check})")
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            raise InvalidData(f"{path.name} is a SQLite file but not a minsheng database") from None
    except sqlite3.DatabaseError as exc:
        raise InvalidData(f"{path.name} cannot be read as a SQLite database: {exc}") from None
    finally:
        connection.close()
    return row[0] if row else None


def sqlite_restore(db: Database, source: Path) -> None:
    """Replace the live file's content by the backup's, in one write transaction."""
    target = sqlite_path(db)
    target.parent.mkdir(parents=True, exist_ok=True)
    db.dispose()
    with store_errors():  # a writer holding the live file: "busy", as for any write
        copy = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            live = sqlite3.connect(target, timeout=db.busy_timeout)
            try:
                copy.backup(live, progress=_give_up_when_busy)
            finally:
                live.close()
        finally:
            copy.close()


# --------------------------------------------------------------------------- PostgreSQL


def postgres_tool(name: str) -> str:
    """A PostgreSQL client program: the newest under /usr/lib/postgresql/*/bin, else on PATH.

    Debian's versioned folders come first because ``pg_dump`` must be at least as new
    as the server, and the PATH wrapper may pick an older one.
    """
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version_key)
    if found:
        return found[-1]
    on_path = shutil.which(name)
    if on_path:
        return on_path
    raise NotFound(f"{name} is not installed (Debian: apt-get install postgresql-client)")


def _version_key(path: str) -> tuple[int, ...]:
    version = Path(path).parts[-3]
    return tuple(int(p) for p in version.split(".") if p.isdigit())


def _libpq(db: Database) -> tuple[str, dict[str, str]]:
    """A libpq URI (password kept out of argv, in PGPASSWORD) for the client programs."""
    url = make_url(db.url)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(args: list[str], env: dict[str, str], what: str, stdin: bytes | None = None) -> bytes:
    done = subprocess.run(args, input=stdin, env=env, capture_output=True, check=False)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace")
        if "lock timeout" in message:
            raise Unavailable(BUSY_MESSAGE)
        if "No space left on device" in message or "could not extend file" in message:
            raise Unavailable(FULL_MESSAGE)
        detail = message.strip().splitlines()
        raise MinshengError(f"{what} failed: {detail[-1] if detail else done.returncode}")
    return done.stdout


def current_schema(db: Database) -> str:
    with db.engine.connect() as connection:
        return str(connection.execute(text("SELECT current_schema()")).scalar_one())


def postgres_backup(db: Database, target: Path) -> None:
    uri, env = _libpq(db)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    schema = current_schema(db)
    _run(
        [
            postgres_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--schema={schema}",
            f"--file={partial}",
            f"--dbname={uri}",
        ],
        env,
        "pg_dump",
    )
    with partial.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(partial, target)


def _postgres_describe(path: Path) -> BackupFile:
    env = dict(os.environ)
    listing = _run([postgres_tool("pg_restore"), "--list", str(path)], env, "pg_restore --list")
    schema = None
    for line in listing.decode("utf-8", "replace").splitlines():
        parts = line.split()
        # "215; 1259 16390 TABLE public alembic_version postgres"
        if len(parts) >= 6 and parts[3] == "TABLE" and parts[5] == "alembic_version":
            schema = parts[4]
    if schema is None:
        raise InvalidData(f"{path.name} is a pg_dump but not of a minsheng database")
    data = _run(
        [
            postgres_tool("pg_restore"),
            "--data-only",
            "--table=alembic_version",
            "--file=-",
            str(path),
        ],
        env,
        "pg_restore",
    ).decode("utf-8", "replace")
    lines = data.splitlines()
    revision = None
    for i, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and i + 1 < len(lines):
            revision = None if lines[i + 1] == "\\." else lines[i + 1].strip()
    return BackupFile("postgresql", revision, schema)


def postgres_restore(db: Database, source: Path, schema: str) -> None:
    """Drop the schema's tables and load the dump, in one transaction (``psql -1``)."""
    uri, env = _libpq(db)
    with db.engine.connect() as connection:
        tables = (
            connection.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema}
            )
            .scalars()
            .all()
        )
    db.dispose()
    listing = _run([postgres_tool("pg_restore"), "--list", str(source)], env, "pg_restore --list")
    # The schema itself exists already (it is the one we restore into): skip its CREATE.
    keep = [
        line
        for line in listing.decode("utf-8", "replace").splitlines()
        if not (len(line.split()) > 3 and line.split()[3] == "SCHEMA")
    ]
    list_file = source.with_name(f".{source.name}.list")
    try:
        list_file.write_text("\n".join(keep) + "\n", encoding="utf-8")
        script = _run(
            [
                postgres_tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                f"--use-list={list_file}",
                "--file=-",
                str(source),
            ],
            env,
            "pg_restore",
        )
    finally:
        list_file.unlink(missing_ok=True)
    # Another session's lock on a table makes the drop wait busy_timeout, not for ever.
    wait = f"SET lock_timeout = {max(0, round(db.busy_timeout * 1000))};\n"
    drops = wait + "".join(f'DROP TABLE IF EXISTS "{schema}"."{t}" CASCADE;\n' for t in tables)
    _run(
        [
            postgres_tool("psql"),
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            f"--dbname={uri}",
            "--file=-",
        ],
        env,
        "restoring with psql",
        stdin=drops.encode() + script,
    )


# --------------------------------------------------------------------------- both


def describe_backup(path: Path) -> BackupFile:
    """The engine and schema revision of a backup file, read without restoring it."""
    engine = backup_engine(path)
    if engine == "sqlite":
        return BackupFile("sqlite", _sqlite_revision(path))
    return _postgres_describe(path)


def row_counts(db: Database) -> dict[str, int]:
    """Rows in each table of the database (alembic's own table left out); {} if it has none."""
    with db.engine.connect() as connection:
        names = [n for n in db.table_names() if n != "alembic_version"]
        return {
            name: int(connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one())
            for name in names
        }
