"""Observations in: ``minsheng template``, ``import``, ``history``, ``correct``, ``withdraw``, ``export``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from minsheng.cli.common import user_or_login
from minsheng.cli.setup import settings_and_database
from minsheng.domain.errors import InvalidData
from minsheng.domain.moments import moment_text
from minsheng.domain.observations import ObservationStatus

if TYPE_CHECKING:  # loaded when a command runs, not for --help
    pass

_YEARS = re.compile(r"^\s*(\d{4})\s*(?:[-–~到至]\s*(\d{4})\s*)?$")


def parse_years(text: str | None) -> list[int] | None:
    """``2021-2025`` → 2021…2025; ``2021,2023`` → both; None → the plan's period."""
    if text is None or not text.strip():
        return None
    years: list[int] = []
    for part in re.split(r"[,，;；\s]+", text.strip()):
        if not part:
            continue
        m = _YEARS.match(part)
        if not m:
            raise InvalidData(f"--years takes e.g. 2021-2025 or 2021,2023, not {text!r}")
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if last < first or last - first > 100:
            raise InvalidData(f"--years: {part!r} is not a range of years")
        years.extend(range(first, last + 1))
    return sorted(set(years))


def template(
    plan: Annotated[str, typer.Argument(help="The plan (id or part of its title).")],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Workbook to write (.xlsx, or .csv for a long table)."),
    ],
    regions: Annotated[
        str | None,
        typer.Option(
            "--regions",
            "-r",
            help="Comma-separated region codes or names (default: the plan's region and the units under it).",
        ),
    ] = None,
    years: Annotated[
        str | None, typer.Option("--years", "-y", help="e.g. 2021-2025 (default: the plan period).")
    ] = None,
    layout: Annotated[
        str, typer.Option("--layout", help="wide (one sheet a year) or long (one value a row).")
    ] = "wide",
) -> None:
    """Write a fill-in workbook for a plan: indicator names, units, regions and years pre-filled."""
    from minsheng.services.observations import make_template

    _, db = settings_and_database()
    region_list = (
        [r.strip() for r in re.split(r"[,，;；]", regions) if r.strip()] if regions else None
    )
    console = Console()
    with console.status(f"writing {out.name}…"):
        path = make_template(db, plan, region_list, parse_years(years), out, layout)
    console.print(f"wrote {path}")


def import_(
    file: Annotated[Path, typer.Argument(help="A filled-in .xlsx or .csv file.")],
    plan: Annotated[
        str | None,
        typer.Option(
            "--plan",
            "-p",
            help="The plan the file reports on, or 'catalogue' (default: chosen by its indicator names and regions).",
        ),
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Who enters the data (default: your login name).")
    ] = None,
    status: Annotated[
        str, typer.Option("--status", help="draft, submitted, approved or published.")
    ] = "submitted",
) -> None:
    """Import observations: the whole file, or nothing if any row is wrong (each problem is listed).

    A value already stored and now different becomes a new version; the earlier one is kept.
    """
    from minsheng.services.observations import import_observations

    try:
        state = ObservationStatus(status)
    except ValueError:
        raise InvalidData(
            f"--status must be one of {', '.join(s.value for s in ObservationStatus)}"
        ) from None
    _, db = settings_and_database()
    console = Console()
    with console.status(f"validating {file.name}…"):
        result = import_observations(db, file, user_or_login(user), plan, state)
    console.print(
        f"[green]imported[/] {file.name} into {result.plan_title}: {result.added} new, "
        f"{result.corrected} corrected (new versions), {result.unchanged} unchanged "
        f"({result.rows_read} values read)"
    )
    for problem in result.warnings:
        console.print(f"  [yellow]warning[/] {problem}")


def history_(
    indicator: Annotated[
        str, typer.Argument(help="Indicator (the plan's wording, or a catalogue code/name).")
    ],
    region: Annotated[str, typer.Argument(help="Region code or name.")],
    year: Annotated[int, typer.Argument(help="Year of the value.")],
    plan: Annotated[
        str | None, typer.Option("--plan", "-p", help="The plan the indicator belongs to.")
    ] = None,
) -> None:
    """Show every version of one value: who entered it, when, and what it was."""
    from minsheng.services.observations import history

    _, db = settings_and_database()
    versions = history(db, indicator, region, year, plan)
    console = Console()
    if not versions:
        console.print("no value recorded")
        return
    table = Table(show_header=True, header_style="bold")
    for column in (
        "version",
        "value",
        "unit",
        "status",
        "entered by",
        "entered at (Beijing time)",
        "source",
        "note",
    ):
        table.add_column(column)
    for v in versions:
        table.add_row(
            str(v.version),
            v.shown
            + (" (synthetic)" if v.synthetic else "")
            + (" withdrawn" if v.withdrawn else ""),
            v.unit or "",
            v.status.value,
            v.entered_by or "",
            moment_text(v.entered_at, seconds=False) if v.entered_at else "",
            v.source or "",
            v.note or "",
        )
    console.print(table)


def correct(
    indicator: Annotated[
        str, typer.Argument(help="Indicator (the plan's wording, or a catalogue code/name).")
    ],
    region: Annotated[str, typer.Argument(help="Region code or name.")],
    year: Annotated[int, typer.Argument(help="Year of the value.")],
    value: Annotated[str, typer.Argument(help="The corrected value.")],
    plan: Annotated[
        str | None, typer.Option("--plan", "-p", help="The plan the indicator belongs to.")
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason", "--note", help="Why the value is corrected (required; kept with it)."
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source", help="Where the corrected value comes from (default: manual correction)."
        ),
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Who corrects it (default: your login name).")
    ] = None,
) -> None:
    """Correct a stored value; the correction is a new version and the old value is kept.

    Who, when, why (--reason) and the new value's source are recorded with it.
    """
    from minsheng.services.observations import correct_observation

    _, db = settings_and_database()
    stored = correct_observation(
        db, indicator, region, year, value, user_or_login(user), plan, reason=reason, source=source
    )
    Console().print(
        f"{indicator}, {stored.region_code}, {year}: now {stored.shown} (version {stored.version})"
    )


def withdraw(
    indicator: Annotated[
        str, typer.Argument(help="Indicator (the plan's wording, or a catalogue code/name).")
    ],
    region: Annotated[str, typer.Argument(help="Region code or name.")],
    year: Annotated[int, typer.Argument(help="Year of the value.")],
    reason: Annotated[
        str | None,
        typer.Option("--reason", help="Why the value should not count (required; kept with it)."),
    ] = None,
    plan: Annotated[
        str | None, typer.Option("--plan", "-p", help="The plan the indicator belongs to.")
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Who withdraws it (default: your login name).")
    ] = None,
) -> None:
    """Withdraw a stored value (e.g. imported under the wrong region): no reader counts it any more.

    The withdrawal is a new version with who, when and why (--reason); the history keeps
    the value, and a value entered again later becomes current.
    """
    from minsheng.services.withdrawals import withdraw_observation

    _, db = settings_and_database()
    stored = withdraw_observation(
        db, indicator, region, year, user_or_login(user), plan, reason=reason
    )
    Console().print(
        f"{indicator}, {stored.region_code}, {year}: {stored.shown} withdrawn "
        f"(version {stored.version})"
    )


def export(
    plan: Annotated[str, typer.Argument(help="The plan (id or part of its title).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The .csv file to write.")],
) -> None:
    """Write a plan's current values as a long observation file (import reads it back unchanged)."""
    from minsheng.services.observation_export import export_observations

    _, db = settings_and_database()
    rows = export_observations(db, plan, out)
    Console().print(f"{rows} value(s) written to {out}")


def register(app: typer.Typer) -> None:
    """Add ``template``, ``import``, ``history``, ``correct``, ``withdraw`` and ``export``."""
    app.command("template")(template)
    app.command("import")(import_)
    app.command("history")(history_)
    # a corrected value may be negative (a rate of change): "-0.5" is the value, not an option
    app.command("correct", context_settings={"ignore_unknown_options": True})(correct)
    app.command("withdraw")(withdraw)
    app.command("export")(export)
