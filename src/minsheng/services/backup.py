"""``minsheng backup`` / ``minsheng restore``: the whole database to one file and back.

The rules live here, the engines' tools in :mod:`minsheng.store.backup`: a backup
records the schema revision it was taken at; a restore refuses a backup made by a
newer minsheng (a revision these migrations do not know), upgrades an older one
after restoring it, refuses a backup of the other engine, and replaces a database
that holds data only when the caller says so (the CLI asks, or ``--yes``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from minsheng.domain.errors import Conflict, InvalidData, NotFound
from minsheng.store import backup as engine_backup
from minsheng.store.backup import BackupFile
from minsheng.store.database import Database

__all__ = ["BackupFile", "BackupResult", "RestoreResult", "backup", "inspect_backup", "restore"]


@dataclass(frozen=True)
class BackupResult:
    path: Path
    engine: str
    revision: str | None
    size: int


@dataclass(frozen=True)
class RestoreResult:
    path: Path
    engine: str
    backup_revision: str | None
    revision: str | None  # after the upgrade, if one was needed
    upgraded: bool
    rows: int


def _engine(db: Database) -> str:
    return "sqlite" if db.is_sqlite else "postgresql"


def backup(db: Database, path: str | Path) -> BackupResult:
    """Copy the whole database into ``path`` (replaced if it exists; the caller asks first)."""
    target = Path(path).expanduser()
    if not target.parent.is_dir():
        raise NotFound(f"no such folder: {target.parent}")
    if target.is_dir():
        raise InvalidData(f"{target} is a folder; give a file name")
    revision = db.current_revision()
    if revision is None:
        raise NotFound(f"the database {db!r} is empty; there is nothing to back up")
    if db.is_sqlite:
        engine_backup.sqlite_backup(db, target)
    else:
        engine_backup.postgres_backup(db, target)
    return BackupResult(target, _engine(db), revision, target.stat().st_size)


def inspect_backup(path: str | Path) -> BackupFile:
    """What a backup holds (engine, schema revision), or InvalidData/NotFound."""
    source = Path(path).expanduser()
    if not source.is_file():
        raise NotFound(f"no such backup file: {source}")
    return engine_backup.describe_backup(source)


def rows_held(db: Database) -> int:
    """Rows the database holds now (0 for an empty or missing one): what a restore would replace."""
    if db.is_sqlite and not engine_backup.sqlite_path(db).exists():
        return 0
    return sum(engine_backup.row_counts(db).values())


def _known_revisions(db: Database) -> list[str]:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(db.alembic_config())
    return [s.revision for s in scripts.walk_revisions()]


def restore(db: Database, path: str | Path, *, replace: bool = False) -> RestoreResult:
    """Replace the database by the backup at ``path``; upgrade it if it predates these migrations.

    ``replace`` must be True to overwrite a database that holds rows (Conflict otherwise).
    """
    from minsheng.services.setup import head_revision

    source = Path(path).expanduser()
    described = inspect_backup(source)
    if described.engine != _engine(db):
        raise InvalidData(
            f"{source.name} is a {described.engine} backup; the database is {_engine(db)}"
        )
    if described.revision is None:
        raise InvalidData(f"{source.name} holds no schema revision; it is not a minsheng backup")
    if described.revision not in _known_revisions(db):
        raise InvalidData(
            f"{source.name} comes from a newer minsheng (schema revision {described.revision}; "
            f"this one knows up to {head_revision(db)}); upgrade minsheng before restoring it"
        )
    held = rows_held(db)
    if held and not replace:
        raise Conflict(
            f"the database {db!r} holds {held:,} rows; restoring would replace them "
            "(say yes, or pass --yes)"
        )
    if described.engine == "sqlite":
        engine_backup.sqlite_restore(db, source)
    else:
        schema = engine_backup.current_schema(db)
        if described.schema != schema:
            raise InvalidData(
                f"{source.name} holds schema {described.schema!r}; the database uses {schema!r}"
            )
        engine_backup.postgres_restore(db, source, schema)
    upgraded = described.revision != head_revision(db)
    if upgraded:
        db.upgrade()
    return RestoreResult(
        path=source,
        engine=described.engine,
        backup_revision=described.revision,
        revision=db.current_revision(),
        upgraded=upgraded,
        rows=rows_held(db),
    )
