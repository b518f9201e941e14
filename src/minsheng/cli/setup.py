"""``minsheng init``: create or upgrade the database and load the reference data.

Also home to the helpers every storage-backed command uses: the settings,
read once per command, and the database they name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from minsheng.domain import limits

if TYPE_CHECKING:  # loaded when a command runs, not for --help
    from rich.console import (
        Console,
    )  # Rich: when something is drawn (every command loads this module)

    from minsheng.store.database import Database
from minsheng.settings import Settings

_settings: Settings | None = None


def load_settings() -> Settings:
    """Read and validate the settings once, when a command starts (a bad value is one line).

    The input limits they carry are put in force for every reader in this process.
    """
    global _settings
    _settings = Settings.from_env()
    limits.configure(_settings.limits)
    return _settings


def current_settings() -> Settings:
    """The settings read at start (read now when a test calls a command function directly)."""
    return _settings if _settings is not None else load_settings()


def settings_and_database(require_init: bool = True) -> tuple[Settings, Database]:
    """The settings read at start and the database they point at."""
    from minsheng.services.setup import open_database

    settings = current_settings()
    return settings, open_database(settings, require_init=require_init)


@contextmanager
def progress_bar(console: Console) -> Iterator[Callable[[str, int], Callable[[int], None]]]:
    """A Rich progress bar; yields ``start(step, total) -> advance(n)`` for services."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:

        def start(step: str, total: int) -> Callable[[int], None]:
            task = progress.add_task(step, total=total)
            return lambda n: progress.advance(task, n)

        yield start


def init(
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Create or upgrade the database and load regions, service domains and the indicator catalogue.

    Safe to run again: it migrates the schema, adds what is new and refreshes what
    changed, and never touches plans or observations. The database is a SQLite file
    in MINSHENG_DATA_DIR unless MINSHENG_DATABASE_URL names another (e.g. PostgreSQL).
    """
    from rich.console import Console
    from rich.table import Table

    from minsheng.services.setup import init_database

    settings, db = settings_and_database(require_init=False)
    console = Console(quiet=quiet)
    err = Console(stderr=True, quiet=quiet)
    with progress_bar(err) as start:
        result = init_database(db, progress=start)
    table = Table(title=f"minsheng database ready: {db!r}", show_header=True, header_style="bold")
    for column in ("", "total", "new", "updated"):
        table.add_column(column, justify="right" if column else "left")
    table.add_row(
        "regions", str(result.regions_total), str(result.regions_added), str(result.regions_updated)
    )
    table.add_row("service domains", "9", str(result.domains_added), "")
    table.add_row(
        "canonical indicators", str(result.indicators_total), str(result.indicators_added), ""
    )
    console.print(table)
    console.print(f"schema revision {result.revision}; data directory {settings.data_dir}")
    db.dispose()


def register(app: typer.Typer) -> None:
    """Add ``init`` to the root app."""
    app.command("init")(init)
