"""``minsheng plans [PLAN]``: list stored plans, show one, confirm indicator mappings, link plans."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated

import click
import typer
from rich.console import Console
from rich.table import Table

from minsheng.cli.common import AppendConflicts, ConfirmUser, user_or_login
from minsheng.cli.setup import settings_and_database
from minsheng.domain.errors import InvalidData
from minsheng.domain.targets import format_target
from minsheng.ingest.documents.extraction import NEEDS_REVIEW

if TYPE_CHECKING:  # loaded when a command runs, not for --help
    from minsheng.services.plans import (
        ConfirmedMapping,
        StoredPlan,
    )


def _parse_confirmations(items: list[str]) -> list[tuple[int, str]]:
    out = []
    for item in items:
        row, sep, code = item.partition("=")
        if not sep or not row.strip().isdigit() or not code.strip():
            raise InvalidData(f"--confirm takes ROW_ID=CODE (e.g. 12=ED01), not {item!r}")
        out.append((int(row), code.strip()))
    return out


def domain_name(code: str) -> str:
    """A service domain as a line shows it: 劳有所得 (employment)."""
    from minsheng.domain.service_domains import DOMAINS_BY_CODE

    domain = DOMAINS_BY_CODE.get(code)
    return f"{domain.name_zh} ({code})" if domain else code


def report_confirmed(console: Console, confirmed: ConfirmedMapping) -> None:
    """One line for the mapping and what became of the row's own values; a line per conflict."""
    moved, same, appended = (confirmed.count(o) for o in ("moved", "same", "appended"))
    parts = [f"{moved} value(s) moved into the canonical series"] if moved else []
    if same:
        parts.append(f"{same} already there")
    if appended:
        parts.append(f"{appended} added as the canonical series' next version")
    if confirmed.filed:
        parts.append(f"filed under {domain_name(confirmed.filed)}, the plan gave it no domain")
    console.print(
        f"[green]confirmed[/] {confirmed.name} → {confirmed.canonical_code} (remembered as an alias)"
        + (f"; {', '.join(parts)}" if parts else "")
    )
    for m in confirmed.conflicts:
        console.print(
            f"  [yellow]conflict[/] {m.region_code or m.region_id}, {m.year}: the plan's series has "
            f"{m.value:g}, the canonical series {m.canonical_value:g} (kept current); "
            "--append-conflicts adds the plan's value as a later version"
        )


def _show(console: Console, stored: StoredPlan) -> None:
    plan, meta = stored.plan, stored.plan.metadata
    console.print(f"[bold]{stored.id}: {meta.title}[/]")
    region = f"{meta.region_name or ''} {stored.region_code or ''}".strip() or (
        f"[yellow]unknown[/] (set it with `minsheng plans {stored.id} --region CODE`)"
    )
    details = [
        ("region", region),
        ("version", str(plan.version) if plan.version > 1 else ""),
        ("period", f"{meta.period_start or '?'}–{meta.period_end or '?'}"),
        ("issuer", meta.issuer or ""),
        ("document number", meta.document_number or ""),
        ("issued", meta.issue_date.isoformat() if meta.issue_date else ""),
        (
            "source",
            f"{plan.source_file or ''} {plan.checksum[:12] + '…' if plan.checksum else ''}".strip(),
        ),
        ("higher-level plan", str(plan.higher_plan_id or "")),
    ]
    for label, value in details:
        if value:
            console.print(f"  {label}: {value}")
    # an extraction stored as needing review says so wherever the plan is shown
    review = [w for w in plan.warnings if w.startswith(NEEDS_REVIEW)]
    if review:
        console.print("  [bold red]需要人工复核 (needs review)[/]")
        for reason in review:
            console.print(f"    {reason}")
    table = Table(
        show_header=True, header_style="bold", caption=f"{len(plan.indicators)} indicator(s)"
    )
    for column in (
        "row id",
        "seq",
        "domain",
        "indicator",
        "unit",
        "baseline",
        "target",
        "nature",
        "canonical",
    ):
        table.add_column(column)
    for row_id, ind in zip(stored.indicator_ids, plan.indicators, strict=True):
        table.add_row(
            str(row_id),
            str(ind.seq or ""),
            ind.domain_code or "",
            ind.name,
            ind.unit or "",
            ind.baseline_raw or "",
            ind.target_raw or (format_target(ind.target) if ind.target.is_measurable else ""),
            ind.nature.label_zh if ind.nature else "",
            f"{ind.canonical_code} ({ind.match_score:.2f})"
            if ind.canonical_code and ind.match_score
            else (ind.canonical_code or ""),
        )
    console.print(table)
    console.print(
        f"  service list domains: {len(plan.services)}; key projects: {len(plan.projects)}"
    )


def plans(
    plan: Annotated[
        str | None, typer.Argument(help="Show this plan (id or part of its title).")
    ] = None,
    confirm: Annotated[
        list[str] | None,
        typer.Option("--confirm", help="Confirm a mapping: ROW_ID=CANONICAL_CODE (repeatable)."),
    ] = None,
    higher: Annotated[
        str | None,
        typer.Option(
            "--higher", help="Record the plan's higher-level plan (id or title); 'none' clears it."
        ),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option("--region", help="Say which region the plan is for (code or name)."),
    ] = None,
    delete: Annotated[
        bool, typer.Option("--delete", help="Remove the plan (asks what becomes of its values).")
    ] = False,
    observations: Annotated[
        str | None,
        typer.Option(
            "--observations",
            help="With --delete: keep (move them to the catalogue series) or delete its values.",
        ),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", help="With --delete: do not ask to confirm.")
    ] = False,
    correct: Annotated[
        list[str] | None,
        typer.Option(
            "--correct",
            help="Correct an indicator row: ROW.FIELD=VALUE, ROW its seq or exact name, FIELD "
            "unit, baseline, target or nature (e.g. 32.unit=万次); repeatable; a new version.",
        ),
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="With --correct: why (kept in the audit trail).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    user: ConfirmUser = None,
    append_conflicts: AppendConflicts = False,
) -> None:
    """List the stored plans, or show one with its indicator rows.

    With a PLAN, ``--confirm 12=ED01`` maps indicator row 12 to canonical
    indicator ED01 (the row's wording becomes an alias), ``--higher`` links
    the plan to the plan it implements, ``--region CODE`` sets a region the
    document did not name, and ``--delete`` removes the plan
    (``--observations keep|delete`` says what becomes of its values).
    """
    from minsheng.services.plans import (
        confirm_mapping,
        get_plan,
        list_plans,
        set_higher_plan,
        set_plan_region,
    )

    _, db = settings_and_database()
    if user is not None:  # a named operator is an account, whatever the command then does
        from minsheng.services.permissions import check_operator

        check_operator(db, user)
    console = Console()
    if plan is None and (confirm or higher or region or delete or correct):
        raise InvalidData("--confirm, --correct, --higher, --region and --delete need a PLAN")
    if reason is not None and not correct:
        raise InvalidData("--reason goes with --correct")
    if observations is not None and not delete:
        raise InvalidData("--observations goes with --delete")
    if plan is not None and delete:
        _delete(console, db, plan, observations, yes)
        return
    if plan is None:
        summaries = list_plans(db)
        if as_json:
            typer.echo(
                json.dumps(
                    [s.__dict__ for s in summaries], ensure_ascii=False, default=str, indent=1
                )
            )
            return
        if not summaries:
            console.print("no plans stored yet; `minsheng ingest FILE` reads one")
            return
        table = Table(show_header=True, header_style="bold", caption=f"{len(summaries)} plan(s)")
        for column in (
            "id",
            "title",
            "region",
            "level",
            "period",
            "indicators",
            "mapped",
            "higher",
        ):
            table.add_column(column)
        for s in summaries:
            table.add_row(
                str(s.id),
                s.title,
                f"{s.region_name or ''} {s.region_code or ''}".strip(),
                s.level or "",
                f"{s.period_start or '?'}–{s.period_end or '?'}",
                str(s.indicators),
                str(s.mapped),
                str(s.higher_plan_id or ""),
            )
        console.print(table)
        return
    stored = get_plan(db, plan)
    for row_id, code in _parse_confirmations(confirm or []):
        if row_id not in stored.indicator_ids:
            raise InvalidData(f"row {row_id} is not an indicator of plan {stored.id}")

        confirmed = confirm_mapping(
            db, row_id, code, moved_by=user_or_login(user), append_conflicts=append_conflicts
        )
        report_confirmed(console, confirmed)
    if correct:
        _correct(console, db, stored.id, correct, user, reason)
    if higher is not None:
        set_higher_plan(db, stored.id, None if higher.strip().lower() == "none" else higher)
    if region is not None:
        set_plan_region(db, stored.id, region)
    if confirm or correct or higher is not None or region is not None:
        stored = get_plan(db, stored.id)
    if as_json:
        from minsheng.ingest.documents.plan_json import plan_to_dict

        data = {
            "id": stored.id,
            "higher_plan_id": stored.plan.higher_plan_id,
            **plan_to_dict(stored.plan),
        }
        for row_id, row in zip(stored.indicator_ids, data["indicators"], strict=True):  # type: ignore[call-overload]
            row["id"] = row_id
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1, default=str))
        return
    _show(console, stored)


def _correct(
    console: Console, db: object, plan_id: int, texts: list[str], user: str | None,
    reason: str | None,
) -> None:  # fmt: skip
    from minsheng.services.plan_corrections import correct_plan_rows, parse_correction

    corrections = [parse_correction(t) for t in texts]
    by = user_or_login(user)
    done = correct_plan_rows(db, plan_id, corrections, by=by, reason=reason or "")  # type: ignore[arg-type]
    if not done.changes:
        console.print("nothing to correct: the rows already say so")
        return
    console.print(f"plan {plan_id} version {done.version}: " + "; ".join(done.changes))
    for name, old, new, entered, converts in done.units_changed:
        if not entered:
            continue
        how = (
            f"they now read in {new}, converted"
            if converts
            else f"{old} and {new} measure different things, so they are not judged until "
            "re-entered in the new unit (`minsheng quality` lists them)"
        )
        console.print(f"  {name}: {entered} value(s) were entered in {old}; {how}")


def _delete(console: Console, db: object, plan: str, observations: str | None, yes: bool) -> None:
    from minsheng.services.plans import delete_plan, get_plan, plan_observation_count

    stored = get_plan(db, plan)  # type: ignore[arg-type]
    count = plan_observation_count(db, stored.id)  # type: ignore[arg-type]
    choice = (observations or "").strip().lower() or None
    if choice not in (None, "keep", "delete"):
        raise InvalidData(f"--observations must be keep or delete, not {observations!r}")
    if choice is None and count == 0:
        choice = "delete"
    if choice is None:
        if not sys.stdin.isatty():
            raise InvalidData(
                f"plan {stored.id} has {count} reported value(s): say what becomes of them "
                "with --observations keep (to the catalogue series) or --observations delete"
            )
        choice = typer.prompt(
            f"plan {stored.id} has {count} reported value(s): keep them in the catalogue "
            "series, or delete them?",
            type=click.Choice(["keep", "delete"]),
        )
    if not yes and sys.stdin.isatty():
        typer.confirm(f"delete plan {stored.id} ({stored.title})?", abort=True)
    title, kept, deleted = delete_plan(db, stored.id, choice)  # type: ignore[arg-type]  # checked above
    console.print(
        f"deleted plan {stored.id} ({title}); values kept in the catalogue series: {kept}, "
        f"deleted: {deleted}"
    )


def register(app: typer.Typer) -> None:
    """Add ``plans`` to the root app."""
    app.command("plans")(plans)
