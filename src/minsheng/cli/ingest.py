"""``minsheng ingest FILE...`` and ``minsheng map PLAN``: read plan documents.

``--json`` prints the extraction (one object, or an array for several files)
and stores nothing; without it the plans are stored and a summary of each is
printed. ``map`` lists the indicators of an extraction that did not match the
catalogue, with the best candidates, for a person to confirm.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from minsheng.cli.common import AppendConflicts, ConfirmUser, user_or_login
from minsheng.cli.setup import progress_bar, settings_and_database
from minsheng.domain.errors import MinshengError
from minsheng.ingest.documents.extraction import Extraction

if TYPE_CHECKING:  # loaded when a command runs, not for --help
    from minsheng.store.database import Database

if TYPE_CHECKING:
    from minsheng.ingest.documents.extraction import Extraction


def _summary(
    console: Console,
    extraction: Extraction,
    stored_id: object | None,
    stored_version: object | None = None,
) -> None:
    plan, meta = extraction.plan, extraction.plan.metadata
    region = (
        f"{meta.region_name} ({meta.region_code})"
        if meta.region_code
        else "地区未知 (region unknown)"
    )
    head = f"[bold]{extraction.document}[/]: {meta.title or '(no title)'} — {region}"
    if stored_id is not None:
        head += f" [green]stored as plan {stored_id}[/]"
        version = getattr(stored_version, "version", 1)
        if version > 1:
            head += f" [green](version {version})[/]"
    if extraction.needs_review:
        head += " [bold red]需要人工复核 (needs review)[/]"
    console.print(head)
    table = Table(show_header=True, header_style="bold")
    for column in (
        "indicators",
        "matched",
        "service lists",
        "key projects",
        "unparsed lines",
        "confidence",
    ):
        table.add_column(column, justify="right")
    matched = sum(1 for r in plan.indicators if r.canonical_code)
    table.add_row(
        str(len(plan.indicators)),
        str(matched),
        str(len(plan.services)),
        str(len(plan.projects)),
        str(len(extraction.unparsed_lines)),
        f"{extraction.confidence:.2f}",
    )
    console.print(table)
    for warning in extraction.warnings:
        console.print(f"  [yellow]warning[/] {warning}")
    for reason in extraction.review_reasons:
        console.print(f"  [bold red]needs review[/] {reason}")
    for line in extraction.unparsed_lines:
        console.print(f"  [red]unread line {line.line}[/] {line.text[:80]}")
    if extraction.removed:
        console.print(f"  removed {len(extraction.removed)} pieces of page chrome or spam")


def _sqlite_file_exists(url: str) -> bool:
    from sqlalchemy.engine import make_url

    database = make_url(url).database
    return database is not None and Path(database).is_file()


def ingest(
    files: Annotated[
        list[Path], typer.Argument(help="Plan documents: .txt, .html/.htm, .docx, .pdf.")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the extraction as JSON; store nothing.")
    ] = False,
) -> None:
    """Read plan documents: indicator tables, service lists, key projects, outline and metadata.

    Exit status: 0 all read; 1 an error (nothing stored); 3 all read (and stored), but at
    least one document needs review (a table header with no rows, or low confidence)."""

    from minsheng.services.mapping import read_documents, store_documents

    settings, database = settings_and_database(require_init=False)
    db: Database | None = database
    if as_json and settings.is_sqlite and not _sqlite_file_exists(settings.database_url):
        db = None  # --json stores nothing, and must not create an empty database either
    quiet = len(files) < 2 or (as_json and not sys.stderr.isatty())
    with progress_bar(Console(stderr=True, quiet=quiet)) as start:
        step = start("reading", len(files))
        if as_json:
            extractions = read_documents(db, files, lambda _name: step(1))
        else:
            stored = store_documents(database, files, lambda _name: step(1))
    if as_json:
        objects = [e.to_json_dict() for e in extractions]
        payload = objects[0] if len(objects) == 1 else objects
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=1))
        _exit_if_review(extractions, Console(stderr=True))
        return
    console = Console()
    for extraction, plan in stored:
        _summary(console, extraction, plan.id, plan.plan)
        for change in plan.changes:  # what this edition changed in the plan stored before
            console.print(f"  [cyan]version {plan.plan.version}[/] {change}")
    _exit_if_review([e for e, _ in stored], console)


def _exit_if_review(extractions: list[Extraction], console: Console) -> None:
    """Everything was read and stored, but a person must check some of it: exit status 3."""
    from minsheng.ingest.documents.extraction import EXIT_NEEDS_REVIEW

    flagged = [e.document for e in extractions if e.needs_review]
    if flagged:
        console.print(
            f"[bold red]{len(flagged)} 份文件需要人工复核 (need review)[/]: {', '.join(flagged)}"
        )
        raise typer.Exit(EXIT_NEEDS_REVIEW)


def map_indicators(
    plan: Annotated[
        str,
        typer.Argument(
            help="A stored plan's id or title, or the output of `minsheng ingest FILE --json`."
        ),
    ],
    confirm: Annotated[
        list[str] | None,
        typer.Option(
            "--confirm",
            help="KEY=CODE: the plan's indicator KEY (its seq or exact name) is canonical CODE. "
            "Remembered as an alias for later plans. Repeatable; stored plans only.",
        ),
    ] = None,
    unmap: Annotated[
        list[str] | None,
        typer.Option(
            "--unmap",
            help="KEY: undo the mapping of the plan's indicator KEY (seq or exact name); its "
            "values stay in the catalogue series and the row reads its own again. Repeatable.",
        ),
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", help="List matched indicators too.")] = False,
    user: ConfirmUser = None,
    append_conflicts: AppendConflicts = False,
) -> None:
    """List a plan's indicators that did not match the catalogue, with the best candidates."""
    console = Console()
    if Path(plan).is_file():
        if confirm or unmap:
            raise MinshengError("--confirm and --unmap need a stored plan (ingest it first)")
        from minsheng.data.catalogue import load_catalogue
        from minsheng.ingest.documents.catalogue_matching import match_indicators
        from minsheng.ingest.documents.plan_json import load_plan_json

        catalogue = load_catalogue()
        for extracted in load_plan_json(Path(plan)):
            names = [r.name for r in extracted.indicators]
            units = [r.unit for r in extracted.indicators]
            matches = match_indicators(names, catalogue, units=units)
            rows = list(zip(extracted.indicators, matches, strict=True))
            _mapping_table(console, extracted.metadata.title or plan, rows, show_all)
        return
    from minsheng.cli.plans import domain_name, report_confirmed
    from minsheng.services.mapping import confirm as confirm_one
    from minsheng.services.mapping import review_mapping

    _settings, db = settings_and_database()
    if user is not None:
        from minsheng.services.permissions import check_operator

        check_operator(db, user)
    ref: int | str = int(plan) if plan.isdigit() else plan
    for key in unmap or []:
        from minsheng.services.mapping import unmap as unmap_one

        undone = unmap_one(db, ref, key, by=user_or_login(user))
        console.print(
            f"{undone.name} no longer reads {undone.code}; its {undone.values_left} value(s) there "
            "stay in the catalogue series, and the row reads a series of its own again"
            + (
                f"; no longer filed under {domain_name(undone.unfiled)} (the mapping gave it)"
                if undone.unfiled
                else ""
            )
        )
    for item in confirm or []:
        key, sep, code = item.partition("=")
        if not sep or not key.strip() or not code.strip():
            raise MinshengError(f"--confirm takes KEY=CODE (e.g. 14=AS01), not {item!r}")
        done = confirm_one(
            db,
            ref,
            key,
            code.strip(),
            moved_by=user_or_login(user),
            append_conflicts=append_conflicts,
        )
        report_confirmed(console, done)
    stored, review = review_mapping(db, ref)
    rows = [(r.indicator, r.match) for r in review]
    _mapping_table(console, f"plan {stored.id}: {stored.title}", rows, show_all)
    unfiled = [r for r in review if r.files_under]
    if unfiled:
        # rows mapped before a mapping filed domains: shown, not filed behind the user's back
        console.print(
            f"{len(unfiled)} mapped indicator(s) have no service domain, so reports list them "
            "under 其他; confirming the mapping again files each under its catalogue entry's:"
        )
        for r in unfiled:
            entry = r.indicator.canonical_code
            console.print(
                f"  {r.indicator.seq or '—'} {r.indicator.name} → {entry}: "
                f"{domain_name(r.files_under or '')}  (minsheng map {stored.id} "
                f"--confirm {r.indicator.seq or r.indicator.name}={entry})"
            )


def _mapping_table(console: Console, title: str, rows: list, show_all: bool) -> None:  # noqa: ANN401
    table = Table(title=title, header_style="bold")
    for column in ("seq", "indicator", "mapped", "best match", "score", "candidates"):
        table.add_column(column)
    open_rows = 0
    for indicator, match in rows:
        current = indicator.canonical_code
        if current and not show_all:
            continue
        open_rows += 0 if current else 1
        candidates = "; ".join(f"{c} {n} ({s:.2f})" for c, n, s in match.candidates)
        table.add_row(
            str(indicator.seq),
            indicator.name,
            current or "[red]none[/]",
            match.code or "—",
            f"{match.score:.2f}",
            candidates,
        )
    console.print(table)
    console.print(
        f"{open_rows} of {len(rows)} indicators need a person to confirm a mapping"
        + ("" if not open_rows else " (minsheng map PLAN --confirm SEQ=CODE)")
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("ingest")(ingest)
    app.command("map")(map_indicators)
