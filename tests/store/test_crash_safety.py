"""SQLite in WAL mode with a busy timeout; a writer that meets a lock waits, then says it is busy."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from minsheng.domain.errors import Conflict
from minsheng.store.database import Database


def test_a_file_database_is_in_wal_mode(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'm.db'}")
    db.upgrade()
    with db.engine.connect() as connection:
        mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    db.dispose()
    assert mode == "wal"


HOLD = """
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
c.execute("CREATE TABLE IF NOT EXISTS held (x)")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
c.execute("COMMIT")
"""


def _hold(path: Path, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    return holder


def _write(db: Database) -> None:
    with db.session() as session:
        session.connection().exec_driver_sql("CREATE TABLE IF NOT EXISTS mine (x)")
        session.connection().exec_driver_sql("INSERT INTO mine VALUES (1)")


def test_a_writer_waits_for_a_short_lock_then_succeeds(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    sqlite3.connect(path).execute("PRAGMA journal_mode=WAL").close()
    holder = _hold(path, 1.0)
    db = Database(f"sqlite:///{path}", busy_timeout=20)
    try:
        _write(db)  # waits for the holder's commit
    finally:
        holder.wait()
        db.dispose()
    assert sqlite3.connect(path).execute("SELECT count(*) FROM mine").fetchone() == (1,)


def test_a_writer_behind_a_long_lock_is_told_the_database_is_busy(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    sqlite3.connect(path).execute("PRAGMA journal_mode=WAL").close()
    holder = _hold(path, 6.0)
    db = Database(f"sqlite:///{path}", busy_timeout=0.5)
    started = time.monotonic()
    try:
        with pytest.raises(Conflict, match="busy") as refused:
            _write(db)
    finally:
        holder.kill()
        holder.wait()
        db.dispose()
    assert time.monotonic() - started < 6.0  # it gave up after its timeout, not the holder's
    assert "\n" not in refused.value.message
