"""Backups: a consistent copy of the whole database, and putting one back.

SQLite uses its online backup API (a consistent copy while others keep reading and
writing); PostgreSQL uses ``pg_dump``/``pg_restore`` (custom format). A restore
checks the copy's schema version first: a backup made by a newer minsheng (a
revision these migrations do not know) is refused; an older one is restored and
then upgraded, as ``minsheng init`` would.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from minsheng.domain.errors import Conflict, InvalidData, MinshengError, NotFound
from minsheng.services.setup import head_revision
from minsheng.store.database import Database


@dataclass(frozen=True)
class BackupResult:
    path: Path
    revision: str | None
    bytes: int


def _sqlite_path(db: Database) -> Path:
    name = make_url(db.url).database
    if not name or name == ":memory:":
        raise InvalidData("an in-memory database cannot be backed up")
    return Path(name).expanduser()


def _known_revisions(db: Database) -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(db.alembic_config()).walk_revisions()}


def _target(path: Path) -> Path:
    path = Path(path).expanduser()
    if path.exists():
        raise Conflict(f"{path} exists; choose a new name (a backup never overwrites a file)")
    if not path.parent.is_dir():
        raise NotFound(f"{path}: the folder {path.parent} does not exist")
    return path


def backup_database(db: Database, path: str | Path) -> BackupResult:
    """Write a consistent copy of the database to a new file ``path``."""
    target = _target(Path(path))
    revision = db.current_revision()
    if revision is None:
        raise MinshengError(f"the database {db!r} is empty; nothing to back up")
    if db.is_sqlite:
        source = sqlite3.connect(_sqlite_path(db))
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            copy.close()
            source.close()
    else:
        _run(["pg_dump", "--format=custom", f"--file={target}", _pg_url(db)], "pg_dump")
    return BackupResult(target, revision, target.stat().st_size)


def _backup_revision(path: Path) -> str | None:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        raise InvalidData(
            f"{path.name}: not a minsheng backup (no SQLite database with a schema version)"
        ) from None
    return row[0] if row else None


def restore_database(db: Database, path: str | Path, *, confirmed: bool = False) -> BackupResult:
    """Replace the database's contents with the backup at ``path`` (schema version checked).

    Replacing everything is done only when ``confirmed``: the backup is checked first,
    so a wrong file is named before anyone is asked to confirm.
    """
    source = Path(path).expanduser()
    if not source.is_file():
        raise NotFound(f"{source}: no such file")
    if db.is_sqlite:
        revision = _backup_revision(source)
        if revision is None or revision not in _known_revisions(db):
            raise InvalidData(
                f"{source.name}: schema version {revision or 'none'} is not one this minsheng "
                f"knows (it reads up to {head_revision(db)}); restore it with the minsheng that made it"
            )
        _confirmed(db, source, confirmed)
        db.dispose()
        target = _sqlite_path(db)
        origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        live = sqlite3.connect(target, timeout=db.busy_timeout)
        try:
            origin.backup(live)
        finally:
            live.close()
            origin.close()
    else:
        _confirmed(db, source, confirmed)
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                f"--dbname={_pg_url(db)}",
                str(source),
            ],
            "pg_restore",
        )
        revision = db.current_revision()
        if revision not in _known_revisions(db):
            raise InvalidData(
                f"{source.name}: schema version {revision} is not one this minsheng knows"
            )
    if revision != head_revision(db):
        db.upgrade()
    return BackupResult(source, db.current_revision(), source.stat().st_size)


def _confirmed(db: Database, source: Path, confirmed: bool) -> None:
    if not confirmed:
        raise Conflict(
            f"restoring {source.name} replaces everything in {db!r}; add --yes to confirm"
        )


def _pg_url(db: Database) -> str:
    url = make_url(db.url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _run(command: list[str], tool: str) -> None:
    if shutil.which(tool) is None:
        raise MinshengError(f"{tool} is not installed (PostgreSQL client tools are needed)")
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise MinshengError(f"{tool}: {last}")
