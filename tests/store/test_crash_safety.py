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


IMPORT = """
import sys
from minsheng.services.observations import import_observations
from minsheng.store.database import Database
print("importing", flush=True)
import_observations(Database(sys.argv[1]), sys.argv[2], None, "catalogue")
print("done", flush=True)
"""


@pytest.mark.slow
def test_kill_9_during_a_200k_row_import_leaves_all_or_nothing(
    tmp_path: Path, _seeded_sqlite_template: Path
) -> None:
    """kill -9 at several moments of one import: the file passes integrity_check and holds
    either the whole file's 200,000 values or none of them."""
    import os
    import random
    import shutil
    import signal

    from minsheng.data.catalogue import load_catalogue
    from minsheng.data.divisions import load_divisions

    codes = [c.code for c in load_catalogue() if c.unit == "%"][:10]
    regions = [r.code for r in load_divisions()][:2000]
    rows = [
        f"{c},{r},{y},{50 + (i % 400) / 10}"
        for i, (c, r, y) in enumerate(
            (c, r, y) for c in codes for r in regions for y in range(2015, 2025)
        )
    ][:200_000]
    assert len(rows) == 200_000
    csv = tmp_path / "big.csv"
    csv.write_text("指标,地区,年份,数值\n" + "\n".join(rows) + "\n", encoding="utf-8")
    rng = random.Random(14)
    outcomes = []
    for moment in (rng.uniform(0.5, 3), rng.uniform(3, 8), rng.uniform(8, 14)):
        path = tmp_path / f"kill-{moment:.1f}.db"
        shutil.copyfile(_seeded_sqlite_template, path)
        child = subprocess.Popen(
            [sys.executable, "-c", IMPORT, f"sqlite:///{path}", str(csv)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None and child.stdout.readline().strip() == "importing"
        time.sleep(moment)
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
        child.wait()
        check = sqlite3.connect(path)
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = check.execute("SELECT count(*) FROM observations").fetchone()[0]
        check.close()
        assert stored in (0, 200_000), f"killed after {moment:.1f} s: {stored} values stored"
        outcomes.append(stored)
    assert 0 in outcomes  # at least one kill landed before the commit
