"""``minsheng catalogue suggest|add``: grow the indicator catalogue from the plans read.

``suggest`` lists the indicator names of stored plans that match no catalogue
entry, grouped across plans; ``add NAME --confirm`` adds one as a catalogue
indicator and maps every plan row that uses it (values move into the canonical
series). Without ``--confirm``, ``add`` only shows what it would do.
Services are imported inside the commands: ``minsheng --help`` stays light.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from minsheng.cli.common import AppendConflicts, ConfirmUser, user_or_login
from minsheng.cli.setup import settings_and_database

catalogue_app = typer.Typer(
    help="The indicator catalogue: suggest entries from the plans read, add them (指标目录).",
    no_args_is_help=True,
)


@catalogue_app.command("suggest")
def suggest(
    limit: Annotated[int, typer.Option(help="Show at most this many names.", min=1)] = 50,
) -> None:
    """Names read from stored plans that match no catalogue entry (most-used first)."""
    from minsheng.services.catalogue_growth import suggest_entries

    _settings, db = settings_and_database()
    suggestions = suggest_entries(db)
    console = Console()
    if not suggestions:
        console.print("每个已读指标都已对应目录 (every indicator read maps to the catalogue)")
        return
    # one line per name (a table of this many columns wraps the names on a narrow terminal)
    console.print("[bold]可加入目录的指标 (names no catalogue entry matches)[/]")
    for s in suggestions[:limit]:
        others = [w for w in s.wordings if w != s.name]
        console.print(
            f"{s.name}  [dim]plans[/] {len(s.plan_ids)} ({len(s.rows)} rows)  "
            f"[dim]unit[/] {s.unit or '—'}  [dim]domain[/] {s.domain or '[yellow]unknown[/]'}  "
            f"[dim]polarity[/] {s.polarity.value if s.polarity else '[yellow]unknown[/]'}  "
            f"[dim]code[/] {s.proposed_code or '[yellow]give --code[/]'}",
            soft_wrap=True,
        )
        if others:
            console.print(f"  [dim]also worded[/] {'; '.join(others)}", soft_wrap=True)
        if s.nearest:
            code, near, score = s.nearest
            console.print(
                f"  [dim]nearest entry[/] {code} {near} ({score:.2f}); "
                f"if it is the same, `minsheng map PLAN --confirm SEQ={code}` instead",
                soft_wrap=True,
            )
    more = f" (showing {limit})" if len(suggestions) > limit else ""
    console.print(
        f"{len(suggestions)} name(s){more}; add one with "
        "`minsheng catalogue add NAME --confirm` (--code/--unit/--domain/--polarity to override)"
    )


@catalogue_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="A name `catalogue suggest` lists (any wording).")],
    code: Annotated[
        str | None, typer.Option(help="Catalogue code (default: the next in its domain).")
    ] = None,
    unit: Annotated[str | None, typer.Option(help="Unit (default: the plans' own).")] = None,
    domain: Annotated[
        str | None, typer.Option(help="Service domain code (default: the plans' own).")
    ] = None,
    polarity: Annotated[
        str | None, typer.Option(help="higher, lower or keep (default: read from the rows).")
    ] = None,
    confirm: Annotated[
        bool,
        typer.Option("--confirm", help="Add it and map the plans' rows (without: only show)."),
    ] = False,
    user: ConfirmUser = None,
    append_conflicts: AppendConflicts = False,
) -> None:
    """Add a name read from plans to the catalogue and map the plans' rows to it."""
    from minsheng.cli.plans import report_confirmed
    from minsheng.services.catalogue_growth import add_entry

    _settings, db = settings_and_database()
    if user is not None:
        from minsheng.services.permissions import check_operator

        check_operator(db, user)
    done = add_entry(
        db,
        name,
        code=code,
        unit=unit,
        domain=domain,
        polarity=polarity,
        confirm=confirm,
        moved_by=user_or_login(user),
        append_conflicts=append_conflicts,
    )
    console = Console()
    ind, s = done.indicator, done.suggestion
    entry = f"{ind.code} {ind.name} ({ind.unit or '无单位'}, {ind.domain}, {ind.polarity.value})"
    plans = ", ".join(str(p) for p in s.plan_ids)
    if not done.done:
        console.print(f"would add {entry}")
        console.print(f"and map {len(s.rows)} row(s) of plan(s) {plans}:")
        for row in s.rows:
            console.print(f"  plan {row.plan_id}: {row.name}")
        console.print("[yellow]nothing changed[/]: add --confirm to do it")
        return
    console.print(f"[green]added[/] {entry}")
    for mapped in done.mapped:
        report_confirmed(console, mapped)
    console.print(f"{len(done.mapped)} row(s) of plan(s) {plans} now map to {ind.code}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.add_typer(catalogue_app, name="catalogue")
