"""Helpers for the crash, lock, full-disk and backup tests: real `minsheng` processes on real files."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

SHARED = (Path(__file__).parents[2] / ".." / "shared").resolve()
CORPUS = SHARED / "corpus"


def minsheng(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start `minsheng ARGS` as its own process (so it can be killed like a real one)."""
    return subprocess.Popen(
        [sys.executable, "-c", "from minsheng.cli.main import run; run()", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def run_minsheng(args: list[str], env: dict[str, str], timeout: float = 600) -> tuple[int, str]:
    process = minsheng(args, env)
    out, err = process.communicate(timeout=timeout)
    return process.returncode, (out + err).decode("utf-8", "replace")


def kill_after(args: list[str], env: dict[str, str], delay: float) -> int | None:
    """Run `minsheng ARGS`, SIGKILL it after ``delay`` seconds; its exit code if it ended first."""
    process = minsheng(args, env)
    try:
        process.wait(timeout=delay)
        return process.returncode
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return None


def cli_env(url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(MINSHENG_DATABASE_URL=url, MINSHENG_DATA_DIR=str(data_dir), **extra)
    return env


def count(url: str, table: str) -> int:
    """Rows of ``table`` seen by a fresh connection (0 when the table does not exist)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if table not in _tables(connection):
                return 0
            return int(connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())
    finally:
        engine.dispose()


def _tables(connection) -> set[str]:  # noqa: ANN001
    from sqlalchemy import inspect

    return set(inspect(connection).get_table_names())


def tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return _tables(connection)
    finally:
        engine.dispose()


def integrity(path: Path) -> str:
    """SQLite's own verdict on a file (opening it replays or discards the WAL as SQLite does)."""
    connection = sqlite3.connect(path)
    try:
        return "; ".join(r[0] for r in connection.execute("PRAGMA integrity_check").fetchall())
    finally:
        connection.close()


def write_long_csv(path: Path, rows: int, start_year: int = 2001) -> int:
    """A long-format observation file of ``rows`` values: percentage catalogue indicators × regions × years."""
    from minsheng.data.catalogue import load_catalogue
    from minsheng.data.divisions import load_divisions

    indicators = [c.code for c in load_catalogue() if c.unit == "%"]
    regions = [d.code for d in load_divisions()]
    written = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["indicator", "region", "year", "value"])
        year = start_year
        while written < rows:
            for code in indicators:
                for region in regions:
                    if written >= rows:
                        break
                    writer.writerow([code, region, year, round(40 + (written % 577) / 10, 1)])
                    written += 1
            year += 1
    return written


def hold_sqlite_write_lock(path: Path, seconds: float) -> subprocess.Popen[bytes]:
    """Another process that takes the write lock (BEGIN IMMEDIATE), holds it, then rolls back.

    Returns once the lock is held (the child prints "held").
    """
    code = (
        "import sqlite3, sys, time\n"
        f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
        "c.execute('BEGIN IMMEDIATE')\n"
        "print('held', flush=True)\n"
        f"time.sleep({seconds})\n"
        "c.execute('ROLLBACK')\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == b"held"
    return process


def hold_postgres_lock(url: str, table: str, seconds: float) -> subprocess.Popen[bytes]:
    """Another process holding an EXCLUSIVE lock on ``table`` (writes wait), then rolling back."""
    code = (
        "import time\n"
        "from sqlalchemy import create_engine, text\n"
        f"e = create_engine({url!r})\n"
        "with e.connect() as c:\n"
        f"    c.execute(text('LOCK TABLE \"{table}\" IN EXCLUSIVE MODE'))\n"
        "    print('held', flush=True)\n"
        f"    time.sleep({seconds})\n"
        "    c.rollback()\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    assert line == b"held", process.stderr.read() if process.stderr else line
    return process


def snapshot(url: str) -> dict[str, int]:
    """Rows in every table (alembic_version included): the state a crash must leave whole."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                name: int(connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one())
                for name in sorted(_tables(connection))
            }
    finally:
        engine.dispose()


def is_writing(url: str, app_name: str) -> bool:
    """Whether another process holds an open write transaction on the database now.

    SQLite: our own ``BEGIN IMMEDIATE`` without waiting is refused. PostgreSQL: a
    backend of the child (its ``application_name``) has a transaction id.
    """
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1]
        connection = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            connection.close()
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE application_name = :a AND backend_xid IS NOT NULL"
                ),
                {"a": app_name},
            ).scalar_one()
            return bool(found)
    finally:
        engine.dispose()


def kill_while_writing(
    args: list[str], env: dict[str, str], url: str, extra_delay: float, limit: float = 300
) -> str:
    """Start `minsheng ARGS`, wait until it is inside its write transaction, wait ``extra_delay``
    more, SIGKILL it. Returns "killed" or, if it ended first, "ended <code>"."""
    env = dict(env, PGAPPNAME=env.get("PGAPPNAME", "minsheng-durability-test"))
    process = minsheng(args, env)
    deadline = time.monotonic() + limit
    while process.poll() is None and time.monotonic() < deadline:
        if is_writing(url, env["PGAPPNAME"]):
            break
        time.sleep(0.05)
    try:
        process.wait(timeout=extra_delay)
        return f"ended {process.returncode}"
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return "killed"
