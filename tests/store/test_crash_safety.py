"""``kill -9`` in the middle of an import, a migration and a plan ingest leaves the database whole.

Real `minsheng` processes on real databases (a SQLite file; a PostgreSQL schema
when the suite has a server), killed at random moments — some while they are
inside their write transaction, found by asking the database, not by guessing a
time. After every kill the database must pass SQLite's integrity check (on
PostgreSQL: accept new writes) and hold, table by table, exactly the rows it held
before or exactly the rows a completed run leaves: the whole file or none of it.
The delays are random; the seed is printed so a failure can be replayed.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from durability_helpers import (
    CORPUS,
    cli_env,
    integrity,
    kill_after,
    kill_while_writing,
    run_minsheng,
    snapshot,
    write_long_csv,
)

IMPORT_ROWS = 200_000
PLAN = CORPUS / "003_cda04ece2b333a7b.txt"  # a full provincial plan: indicators, lists, projects


def _rng() -> random.Random:
    seed = random.randrange(1_000_000)
    print(f"random seed {seed}")
    return random.Random(seed)


def _check_whole(url: str, sqlite_file: Path | None) -> dict[str, int]:
    if sqlite_file is not None:
        assert integrity(sqlite_file) == "ok"
    return snapshot(url)


def _sqlite_file(db) -> Path | None:  # noqa: ANN001
    return Path(db.url.split("///", 1)[1]) if db.is_sqlite else None


def _assert_all_or_nothing(
    seen: list[tuple[str, dict[str, int]]], before: dict[str, int], after: dict[str, int]
) -> None:
    assert before != after, "the completed run changed nothing: the test would prove nothing"
    for how, state in seen:
        assert state in (before, after), f"{how}: {state} is neither {before} nor {after}"


@pytest.mark.slow
def test_an_import_killed_mid_write_stores_all_of_the_file_or_none(seeded_db, tmp_path) -> None:
    rng = _rng()
    data = tmp_path / "obs.csv"
    assert write_long_csv(data, IMPORT_ROWS) == IMPORT_ROWS
    env = cli_env(seeded_db.url, tmp_path / "data")
    sqlite_file = _sqlite_file(seeded_db)
    seeded_db.dispose()
    before = _check_whole(seeded_db.url, sqlite_file)
    args = ["import", str(data)]

    seen = []
    # One kill at a blind moment (most likely while the file is read and validated) …
    delay = rng.uniform(0.5, 6.0)
    seen.append((f"killed after {delay:.1f} s", kill_after(args, env, delay)))
    seen[-1] = (seen[-1][0], _check_whole(seeded_db.url, sqlite_file))
    # … and two inside the write transaction, a random while after it began.
    kills = 0
    for _ in range(2):
        delay = rng.uniform(0.0, 2.0)
        outcome = kill_while_writing(args, env, seeded_db.url, delay)
        kills += outcome == "killed"
        seen.append(
            (f"{outcome} {delay:.1f} s into writing", _check_whole(seeded_db.url, sqlite_file))
        )
    assert kills >= 1, "no kill landed inside the write transaction"

    code, output = run_minsheng(args, env)
    assert code == 0, output
    after = _check_whole(seeded_db.url, sqlite_file)
    assert after["observations"] == before["observations"] + IMPORT_ROWS
    _assert_all_or_nothing(seen, before, after)


def test_a_migration_killed_at_random_leaves_no_half_schema(empty_db, tmp_path) -> None:
    rng = _rng()
    env = cli_env(empty_db.url, tmp_path / "data")
    sqlite_file = _sqlite_file(empty_db)
    before = snapshot(empty_db.url)
    seen = []
    for _ in range(4):
        delay = rng.uniform(0.3, 4.0)
        kill_after(["init", "-q"], env, delay)
        seen.append((f"init killed after {delay:.1f} s", _check_whole(empty_db.url, sqlite_file)))

    code, output = run_minsheng(["init", "-q"], env)
    assert code == 0, output
    after = _check_whole(empty_db.url, sqlite_file)
    # `init` is two transactions: the migration, then the reference data. A kill may
    # fall between them, so a third whole state is allowed: every table, no rows yet.
    migrated = {name: (1 if name == "alembic_version" else 0) for name in after}
    assert after["regions"] > 3000
    for how, state in seen:
        assert state in (before, migrated, after), (
            f"{how}: half a schema or half the regions: {state}"
        )


def test_a_plan_ingest_killed_at_random_stores_the_plan_whole_or_not_at_all(
    seeded_db, tmp_path
) -> None:
    assert PLAN.is_file(), f"the shared corpus is missing: {PLAN}"
    rng = _rng()
    env = cli_env(seeded_db.url, tmp_path / "data")
    sqlite_file = _sqlite_file(seeded_db)
    seeded_db.dispose()
    before = _check_whole(seeded_db.url, sqlite_file)
    args = ["ingest", str(PLAN)]
    seen = []
    for _ in range(2):
        delay = rng.uniform(0.5, 8.0)
        kill_after(args, env, delay)
        seen.append(
            (f"ingest killed after {delay:.1f} s", _check_whole(seeded_db.url, sqlite_file))
        )
    outcome = kill_while_writing(args, env, seeded_db.url, rng.uniform(0.0, 0.3))
    seen.append((f"ingest {outcome} while writing", _check_whole(seeded_db.url, sqlite_file)))

    code, output = run_minsheng(args, env)
    # A run that ended before its kill stored the plan; storing it again is refused.
    assert code == 0 or "already stored" in output, output
    after = _check_whole(seeded_db.url, sqlite_file)
    assert after["plans"] == before["plans"] + 1 and after["plan_indicators"] > 0
    _assert_all_or_nothing(seen, before, after)


_KILL_AT_CREATE = """
import os, signal, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine
from minsheng.store.database import Database

target, seen = int(sys.argv[2]), 0


@event.listens_for(Engine, "after_cursor_execute")
def _after(conn, cursor, statement, *args):
    global seen
    if statement.lstrip().upper().startswith("CREATE TABLE"):
        seen += 1
        if seen == target:
            os.kill(os.getpid(), signal.SIGKILL)


Database(sys.argv[1]).upgrade()
"""


def test_a_migration_killed_right_after_a_create_table_leaves_no_table(empty_db, tmp_path) -> None:
    """The kill lands inside the migration for certain: the process kills itself after the
    k-th CREATE TABLE (k random). Python's sqlite3 would have committed each CREATE TABLE
    on its own; the migration must still leave nothing behind."""
    import subprocess
    import sys

    rng = _rng()
    sqlite_file = _sqlite_file(empty_db)
    before = _check_whole(empty_db.url, sqlite_file)
    for k in sorted(rng.sample(range(2, 15), 2)):
        done = subprocess.run(
            [sys.executable, "-c", _KILL_AT_CREATE, empty_db.url, str(k)],
            capture_output=True,
            check=False,
        )
        assert done.returncode == -9, done.stderr.decode()
        assert _check_whole(empty_db.url, sqlite_file) == before, f"killed after CREATE TABLE #{k}"
    code, output = run_minsheng(["init", "-q"], cli_env(empty_db.url, tmp_path / "data"))
    assert code == 0, output
