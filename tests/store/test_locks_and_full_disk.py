"""A writer that meets another writer's lock waits, then succeeds or says so in one line; a full
disk refuses an import cleanly, leaving the database as it was.

The lock is held by a real second process (SQLite ``BEGIN IMMEDIATE``; PostgreSQL
``LOCK TABLE … IN EXCLUSIVE MODE``); the full disk is a real small tmpfs (the
suite runs as root in CI).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from durability_helpers import (
    cli_env,
    hold_postgres_lock,
    hold_sqlite_write_lock,
    integrity,
    run_minsheng,
    snapshot,
    write_long_csv,
)

from minsheng.store.database import BUSY_MESSAGE, FULL_MESSAGE

BUSY_TIMEOUT = 1.5  # seconds, through MINSHENG_BUSY_TIMEOUT


def _hold_lock(db, seconds: float) -> subprocess.Popen[bytes]:  # noqa: ANN001
    if db.is_sqlite:
        return hold_sqlite_write_lock(Path(db.url.split("///", 1)[1]), seconds)
    return hold_postgres_lock(db.url, "observations", seconds)


@pytest.fixture
def small_import(seeded_db, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    data = tmp_path / "obs.csv"
    write_long_csv(data, 500)
    seeded_db.dispose()
    return data, cli_env(seeded_db.url, tmp_path / "data", MINSHENG_BUSY_TIMEOUT=str(BUSY_TIMEOUT))


def test_a_writer_locked_out_longer_than_the_timeout_says_busy_in_one_line(
    seeded_db, small_import
) -> None:
    data, env = small_import
    before = snapshot(seeded_db.url)
    holder = _hold_lock(seeded_db, BUSY_TIMEOUT + 15)
    try:
        started = time.monotonic()
        code, output = run_minsheng(["import", str(data)], env)
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert code == 1
    assert output.strip() == f"error: {BUSY_MESSAGE}", output
    assert waited >= BUSY_TIMEOUT  # it waited before giving up
    assert snapshot(seeded_db.url) == before


def test_a_writer_locked_out_shorter_than_the_timeout_waits_and_succeeds(
    seeded_db, small_import
) -> None:
    data, env = small_import
    env = dict(env, MINSHENG_BUSY_TIMEOUT="60")
    before = snapshot(seeded_db.url)
    holder = _hold_lock(seeded_db, 3)
    try:
        code, output = run_minsheng(["import", str(data)], env)
    finally:
        holder.wait(timeout=60)
    assert holder.returncode == 0  # the holder kept its lock to the end, then let go
    assert code == 0, output
    assert "500 new" in output
    assert snapshot(seeded_db.url)["observations"] == before["observations"] + 500


# --------------------------------------------------------------------------- full disk


def _mount_tmpfs(where: Path, size: str, uid: int | None = None) -> None:
    where.mkdir(parents=True, exist_ok=True)
    options = f"size={size}" + (f",uid={uid},mode=0700" if uid is not None else "")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, (
        f"cannot mount a tmpfs (the full-disk test needs root, as CI has): {done.stderr.strip()}"
    )


def _umount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(where: Path, leave: int) -> None:
    """Fill the file system at ``where`` until ``leave`` bytes remain free."""
    free = shutil.disk_usage(where).free - leave
    if free > 0:
        with (where / "filler").open("wb") as fh:
            fh.write(b"\0" * free)


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root (CI runs as root)")
def test_an_import_onto_a_full_disk_fails_in_one_line_and_changes_nothing(
    engine_name, seeded_db, tmp_path: Path
) -> None:
    data = tmp_path / "obs.csv"
    write_long_csv(data, 20_000)
    mount = tmp_path / "small"
    if engine_name == "sqlite":
        source = Path(seeded_db.url.split("///", 1)[1])
        seeded_db.dispose()
        _mount_tmpfs(mount, f"{source.stat().st_size + 3 * 2**20}")
        try:
            copy = mount / "minsheng.db"
            shutil.copyfile(source, copy)
            url = f"sqlite:///{copy}"
            before = snapshot(url)
            _fill(mount, 64 * 1024)
            code, output = run_minsheng(["import", str(data)], cli_env(url, tmp_path / "d"))
            assert code == 1
            assert output.strip() == f"error: {FULL_MESSAGE}", output
            (mount / "filler").unlink()
            assert integrity(copy) == "ok"
            assert snapshot(url) == before
        finally:
            _umount(mount)
        return
    # The server's own user must reach the mount: not under pytest's private tmp folder.
    import tempfile

    mount = Path(tempfile.mkdtemp(prefix="minsheng-full-disk-"))
    try:
        _full_disk_postgres(seeded_db, data, mount, tmp_path)
    finally:
        mount.rmdir()


def _full_disk_postgres(db, data: Path, mount: Path, tmp_path: Path) -> None:  # noqa: ANN001
    """The observations table moved to a tablespace on a small tmpfs, then the tmpfs filled."""
    from sqlalchemy import text

    with db.engine.connect() as connection:
        data_dir = connection.execute(text("SHOW data_directory")).scalar_one()
    owner = Path(data_dir).stat().st_uid  # the server's own user must own the tablespace
    space = f"small_{uuid.uuid4().hex[:8]}"
    _mount_tmpfs(mount, "8M", uid=owner)
    autocommit = db.engine.execution_options(isolation_level="AUTOCOMMIT")
    try:
        with autocommit.connect() as connection:
            connection.execute(text(f"CREATE TABLESPACE {space} LOCATION '{mount}'"))
            connection.execute(text(f"ALTER TABLE observations SET TABLESPACE {space}"))
        db.dispose()
        before = snapshot(db.url)
        filler = mount / "filler"
        _fill(mount, 0)
        code, output = run_minsheng(["import", str(data)], cli_env(db.url, tmp_path / "d"))
        assert code == 1
        assert output.strip() == f"error: {FULL_MESSAGE}", output
        filler.unlink()
        assert snapshot(db.url) == before
        # The server is unharmed and takes the same import once there is room.
        code, output = run_minsheng(["import", str(data)], cli_env(db.url, tmp_path / "d"))
        assert code == 0, output
        assert snapshot(db.url)["observations"] == before["observations"] + 20_000
    finally:
        with autocommit.connect() as connection:
            connection.execute(text("ALTER TABLE observations SET TABLESPACE pg_default"))
            connection.execute(text(f"DROP TABLESPACE IF EXISTS {space}"))
        db.dispose()
        _umount(mount)


def test_a_restore_meeting_a_writer_says_busy_and_leaves_the_database(
    seeded_db, small_import, tmp_path: Path
) -> None:
    data, env = small_import
    backup = tmp_path / "before.backup"
    code, output = run_minsheng(["backup", str(backup)], env)
    assert code == 0, output
    code, output = run_minsheng(["import", str(data)], env)
    assert code == 0, output
    after_import = snapshot(seeded_db.url)
    holder = _hold_lock(seeded_db, BUSY_TIMEOUT + 15)
    try:
        code, output = run_minsheng(["restore", str(backup), "--yes"], env)
    finally:
        holder.kill()
        holder.wait()
    assert code == 1
    assert output.strip() == f"error: {BUSY_MESSAGE}", output
    assert snapshot(seeded_db.url) == after_import
