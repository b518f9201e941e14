"""``minsheng backup FILE`` and ``minsheng restore FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from minsheng.cli.setup import settings_and_database


def backup(
    out: Annotated[
        Path, typer.Argument(metavar="FILE", help="The backup file to write (must not exist).")
    ],
) -> None:
    """Write a consistent copy of the whole database (SQLite online backup, or pg_dump)."""
    from minsheng.services.backup import backup_database

    _, db = settings_and_database()
    result = backup_database(db, out)
    Console().print(
        f"backed up to {result.path} ({result.bytes:,} bytes, schema {result.revision})"
    )


def restore(
    file: Annotated[Path, typer.Argument(help="A backup written by `minsheng backup`.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Confirm: the current database is replaced.")
    ] = False,
) -> None:
    """Replace the database with a backup; its schema version is checked first."""
    from minsheng.services.backup import restore_database

    _, db = settings_and_database(require_init=False)
    result = restore_database(db, file, confirmed=yes)
    Console().print(f"restored {result.path} (schema {result.revision})")


def register(app: typer.Typer) -> None:
    """Add ``backup`` and ``restore`` to the root app."""
    app.command("backup")(backup)
    app.command("restore")(restore)
