"""``minsheng backup FILE`` and ``minsheng restore FILE`` (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from minsheng.cli.setup import settings_and_database


def backup(
    out: Annotated[Path, typer.Argument(metavar="FILE", help="The backup file to write.")],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Replace FILE if it exists without asking.")
    ] = False,
) -> None:
    """Copy the whole database into FILE while others keep working (SQLite online backup; pg_dump).

    The file records the schema revision; `minsheng restore FILE` brings it back.
    """
    from minsheng.services.backup import backup as run_backup

    _, db = settings_and_database()
    if out.exists() and not out.is_dir() and not yes:
        typer.confirm(f"{out} exists; replace it?", abort=True, err=True)
    try:
        result = run_backup(db, out)
    finally:
        db.dispose()
    Console().print(
        f"backed up {db!r} to {result.path} ({result.size:,} bytes, {result.engine}, "
        f"schema revision {result.revision})"
    )


def restore(
    file: Annotated[Path, typer.Argument(help="A file written by `minsheng backup`.")],
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help="Replace a database that holds data without asking."),
    ] = False,
) -> None:
    """Replace the database by the backup in FILE; an older backup is upgraded after restoring.

    Asks before replacing a database that holds data (unless --yes); refuses a backup
    made by a newer minsheng or of the other database engine.
    """
    from minsheng.services.backup import inspect_backup, rows_held
    from minsheng.services.backup import restore as run_restore

    _, db = settings_and_database(require_init=False)
    try:
        described = inspect_backup(file)
        held = 0 if yes else rows_held(db)
        if held:
            typer.confirm(
                f"the database {db!r} holds {held:,} rows; replace them with {file.name} "
                f"(schema revision {described.revision})?",
                abort=True,
                err=True,
            )
        result = run_restore(db, file, replace=True)
    finally:
        db.dispose()
    upgraded = f", upgraded to {result.revision}" if result.upgraded else ""
    Console().print(
        f"restored {result.rows:,} rows from {file} (schema revision "
        f"{result.backup_revision}{upgraded}) into {db!r}"
    )


def register(app: typer.Typer) -> None:
    """Add ``backup`` and ``restore`` to the root app."""
    app.command("backup")(backup)
    app.command("restore")(restore)
