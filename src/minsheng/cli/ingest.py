"""``minsheng ingest FILE...`` and ``minsheng map PLAN_JSON``: read plan documents.

``--json`` prints the extraction (one object, or an array for several files)
and stores nothing; without it the plans are stored and a summary of each is
printed. ``map`` lists the indicators of an extraction that did not match the
catalogue, with the best candidates, for a person to confirm.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from minsheng.domain.errors import MinshengError
from minsheng.ingest.catalogue_matching import load_catalogue, match_indicators
from minsheng.ingest.document import read_plan
from minsheng.ingest.extraction import Extraction


def _read_all(files: list[Path], quiet: bool) -> list[Extraction]:
    catalogue = load_catalogue()
    if len(files) == 1:
        return [read_plan(files[0], catalogue)]
    console = Console(stderr=True, quiet=quiet)
    out = []
    with Progress(
        TextColumn("[bold]reading[/] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("", total=len(files))
        for path in files:
            progress.update(task, description=path.name)
            out.append(read_plan(path, catalogue))
            progress.advance(task)
    return out


def _summary(console: Console, extraction: Extraction, stored_id: object | None) -> None:
    plan, meta = extraction.plan, extraction.plan.metadata
    head = f"[bold]{extraction.document}[/]: {meta.title or '(no title)'} — {meta.region_name} ({meta.region_code})"
    if stored_id is not None:
        head += f" [green]stored as plan {stored_id}[/]"
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
    for line in extraction.unparsed_lines:
        console.print(f"  [red]unread line {line.line}[/] {line.text[:80]}")
    if extraction.removed:
        console.print(f"  removed {len(extraction.removed)} pieces of page chrome or spam")


def _store(extraction: Extraction) -> object:
    """Store through the plans service; the database must have been initialised."""
    from minsheng.services.plans import save_extracted_plan
    from minsheng.settings import Settings
    from minsheng.store.database import Database

    db = Database.from_settings(Settings.from_env())
    if db.current_revision() is None:
        raise MinshengError(
            "the database is not initialised: run `minsheng init` first (or use --json)"
        )
    stored = save_extracted_plan(db, extraction, if_exists="keep")
    return getattr(stored, "id", None)


def ingest(
    files: Annotated[
        list[Path], typer.Argument(help="Plan documents: .txt, .html/.htm, .docx, .pdf.")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the extraction as JSON; store nothing.")
    ] = False,
) -> None:
    """Read plan documents: indicator tables, service lists, key projects, outline and metadata."""
    for path in files:
        if not path.is_file():
            raise MinshengError(f"{path}: no such file")
    extractions = _read_all(files, quiet=as_json and not sys.stderr.isatty())
    if as_json:
        objects = [e.to_json_dict() for e in extractions]
        payload = objects[0] if len(objects) == 1 else objects
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    console = Console()
    for extraction in extractions:
        _summary(console, extraction, _store(extraction))


def map_indicators(
    plan_json: Annotated[Path, typer.Argument(help="Output of `minsheng ingest FILE --json`.")],
    show_all: Annotated[bool, typer.Option("--all", help="List matched indicators too.")] = False,
) -> None:
    """List a plan's indicators that did not match the catalogue, with the best candidates."""
    from minsheng.ingest.plan_json import load_plan_json

    catalogue = load_catalogue()
    console = Console()
    for plan in load_plan_json(plan_json):
        names = [r.name for r in plan.indicators]
        table = Table(
            title=plan.metadata.title or plan.source_file or str(plan_json), header_style="bold"
        )
        for column in ("seq", "indicator", "match", "score", "candidates"):
            table.add_column(column)
        unmatched = 0
        for row, match in zip(plan.indicators, match_indicators(names, catalogue), strict=True):
            if match.matched and not show_all:
                continue
            unmatched += 0 if match.matched else 1
            candidates = "; ".join(f"{c} {n} ({s:.2f})" for c, n, s in match.candidates)
            table.add_row(
                str(row.seq),
                row.name,
                match.code or "[red]none[/]",
                f"{match.score:.2f}",
                candidates,
            )
        console.print(table)
        console.print(f"{unmatched} of {len(names)} indicators need a person to confirm a mapping")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("ingest")(ingest)
    app.command("map")(map_indicators)
