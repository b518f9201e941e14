"""``minsheng regions [QUERY] [--level L] [--under CODE]``: find regions of the GB/T 2260 tree."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from minsheng.cli.setup import settings_and_database

if TYPE_CHECKING:  # loaded when a command runs, not for --help
    pass


class OutputFormat(StrEnum):
    TABLE = "table"
    TSV = "tsv"
    JSON = "json"


def regions(
    query: Annotated[
        str | None, typer.Argument(help="Part of a region's name or code, e.g. 成都 or 5101.")
    ] = None,
    level: Annotated[
        str | None, typer.Option("--level", "-l", help="national, province, prefecture or county.")
    ] = None,
    under: Annotated[
        str | None,
        typer.Option("--under", "-u", help="Only regions below this one (code or unique name)."),
    ] = None,
    chain: Annotated[
        bool, typer.Option("--chain", help="Show each region's parent chain up to its province.")
    ] = False,
    count: Annotated[
        bool, typer.Option("--count", help="Print only how many regions match.")
    ] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=1, help="Show at most N regions.")
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table, tsv or json.")
    ] = OutputFormat.TABLE,
) -> None:
    """List regions by name or code fragment, level and ancestor.

    Examples: ``minsheng regions --level county --count``;
    ``minsheng regions 锦江 --chain``; ``minsheng regions --under 510000 --level prefecture``.
    """
    from minsheng.services.regions import count_regions, search_regions

    _, db = settings_and_database()
    console = Console()
    if count and query is None and under is None:
        console.print(count_regions(db, level))
        return
    hits = search_regions(db, query, level, under, with_chain=chain, limit=None if count else limit)
    if count:
        console.print(len(hits))
        return
    if output is OutputFormat.JSON:
        rows = [
            {
                "code": h.region.code,
                "name": h.region.name,
                "level": h.region.level.value,
                "parent_code": h.region.parent_code,
                **({"chain": [r.code for r in h.chain]} if chain else {}),
            }
            for h in hits
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if output is OutputFormat.TSV:
        lines = [
            "\t".join(
                [h.region.code, h.region.name, h.region.level.value, h.region.parent_code or ""]
                + ([h.chain_names] if chain else [])
            )
            for h in hits
        ]
        typer.echo("\n".join(lines))
        return
    if not hits:
        console.print("no region matches")
        return
    table = Table(show_header=True, header_style="bold", caption=f"{len(hits)} region(s)")
    for column in ("code", "name", "level", "parent"):
        table.add_column(column)
    if chain:
        table.add_column("chain")
    for h in hits:
        row = [h.region.code, h.region.name, h.region.level.label_zh, h.region.parent_code or ""]
        table.add_row(*row, *([h.chain_names] if chain else []))
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``regions`` to the root app."""
    app.command("regions")(regions)
