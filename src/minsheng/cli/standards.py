"""``minsheng standards …``: basic public service lists — versions, diffs, comparison, cost."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from minsheng.cli import standards_analysis
from minsheng.cli.common import user_or_login
from minsheng.cli.setup import settings_and_database
from minsheng.cli.standards_common import (
    JsonOption,
    ListArg,
    console,
    echo_json,
    fold_table,
)
from minsheng.domain.errors import InvalidData
from minsheng.domain.moments import moment_text
from minsheng.domain.standard_quantities import count_quantified
from minsheng.domain.standards import FIELD_NAMES_ZH, ListDiff

standards_app = typer.Typer(
    help="Basic public service lists (基本公共服务清单): versions, diffs, comparison, cost.",
    no_args_is_help=True,
)


@standards_app.command("list")
def list_(as_json: JsonOption = False) -> None:
    """Every stored list: its latest version, how many versions and items."""
    from minsheng.services.standards import list_summaries

    _, db = settings_and_database()
    if as_json:
        echo_json(list_summaries(db))
        return
    table = fold_table(
        "id", "清单 list", "地区 region", "版本 version", "版本数", "项目数 items", "作者 author"
    )
    for s in list_summaries(db):
        table.add_row(
            str(s.id),
            s.name,
            s.region_code or "未知",
            s.version,
            str(s.versions),
            str(s.items),
            s.author or "",
        )
    console.print(table)


@standards_app.command("show")
def show(
    ref: ListArg,
    version: Annotated[str | None, typer.Option("--version", "-v", help="Which version.")] = None,
    domain: Annotated[
        str | None, typer.Option("--domain", "-d", help="Only this domain (e.g. 病有所医).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """One list version by domain, item by item, with who made it, when and why."""
    from minsheng.services.standards import find_list, items_by_domain

    _, db = settings_and_database()
    stored = find_list(db, ref, version)
    if as_json:
        echo_json(stored)
        return
    s = stored.list
    console.print(
        f"[bold]{stored.id}: {s.name}[/] 版本 {s.version} · {s.region_code or '地区未知'}"
    )
    for label, value in (
        ("日期 date", s.issued_on.isoformat() if s.issued_on else ""),
        ("来源 source", s.source or ""),
        ("原因 reason", s.reason or ""),
        ("作者 author", s.author or ""),
        ("存入 stored (北京时间)", moment_text(s.created_at) if s.created_at else ""),
    ):
        if value:
            console.print(f"  {label}: {value}")
    columns = (
        "category",
        "item",
        "served",
        "standard",
        "spending_responsibility",
        "lead_department",
    )
    groups = items_by_domain(s, domain)
    # a column no item fills is left out (a list read from a plan gives names only)
    filled = [
        f for f in columns if f == "item" or any(getattr(i, f) for g in groups.values() for i in g)
    ]
    shown = []
    for name, items in groups.items():
        table = fold_table(
            "#", *(FIELD_NAMES_ZH[f] for f in filled), title=f"{name}（{len(items)}项）"
        )
        for n, i in enumerate(items, 1):
            table.add_row(str(n), *((getattr(i, f) or "") for f in filled))
        console.print(table)
        shown.extend(items)
    quantified, text_only = count_quantified([i.standard for i in shown])
    console.print(
        f"{len(shown)} items; {quantified} standard(s) quantified, {text_only} left as text"
    )


@standards_app.command("history")
def history(ref: ListArg) -> None:
    """Every version of a list: when, who, why, and what changed from the one before."""
    from minsheng.services.standards import list_history

    _, db = settings_and_database()
    table = fold_table(
        "id", "版本", "存入 stored", "作者 author", "原因 reason", "项目", "+", "−", "~"
    )
    for stored, diff in list_history(db, ref):
        s = stored.list
        table.add_row(
            str(stored.id),
            s.version,
            moment_text(s.created_at) if s.created_at else "",
            s.author or "",
            s.reason or "",
            str(len(s.items)),
            str(len(diff.added)) if diff else "",
            str(len(diff.removed)) if diff else "",
            str(len(diff.changed)) if diff else "",
        )
    console.print(table)


def _print_diff(diff: ListDiff) -> None:
    for item in diff.added:
        console.print(f"[green]+ {item.item}[/] ({item.domain})")
    for item in diff.removed:
        console.print(f"[red]- {item.item}[/] ({item.domain})")
    for change in diff.changed:
        console.print(f"[yellow]~ {change.item}[/]")
        for c in change.changes:
            console.print(f"    {FIELD_NAMES_ZH[c.field]}: {c.before or '∅'} → {c.after or '∅'}")
    console.print(
        f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed, {diff.unchanged} unchanged"
    )


@standards_app.command("diff")
def diff(
    ref_a: ListArg,
    ref_b: Annotated[
        str | None, typer.Argument(help="Another list (default: versions of the first).")
    ] = None,
    from_version: Annotated[
        str | None, typer.Option("--from", help="Version of the first list.")
    ] = None,
    to_version: Annotated[
        str | None, typer.Option("--to", help="Version of the second (or the same) list.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """What changed between two lists or two versions (default: the latest and the one before)."""
    from minsheng.services.standards import diff_versions

    _, db = settings_and_database()
    a, b, d = diff_versions(db, ref_a, ref_b, from_version, to_version)
    if as_json:
        echo_json(
            {
                "from": {"id": a.id, "version": a.list.version},
                "to": {"id": b.id, "version": b.list.version},
                "diff": d,
            }
        )
        return
    console.print(f"[bold]{a.list.name} v{a.list.version} → {b.list.name} v{b.list.version}[/]")
    _print_diff(d)


@standards_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX in the template's layout.")],
    name: Annotated[
        str, typer.Option("--name", help="The list's name (the same name adds a version).")
    ],
    region: Annotated[
        str | None, typer.Option("--region", help="Region code or name of the list.")
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why this version.")] = None,
    issued: Annotated[
        str | None, typer.Option("--date", help="Date the version takes effect (YYYY-MM-DD).")
    ] = None,
    source: Annotated[
        str | None,
        typer.Option("--source", help="Where the list comes from (default: the file name)."),
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Who imports (default: your login name).")
    ] = None,
) -> None:
    """Import a list: the whole file as the next version, or nothing if any row is wrong."""
    from minsheng.services.standards_files import import_list_file

    if region is None:
        raise InvalidData("--region is needed: a list belongs to a region (100000 for 全国)")
    try:
        issued_on = date.fromisoformat(issued) if issued else None
    except ValueError:
        raise InvalidData(f"--date: {issued!r} is not YYYY-MM-DD") from None
    _, db = settings_and_database()
    stored = import_list_file(
        db, file, name, region, user_or_login(user), reason, issued_on, source
    )
    if stored.created:
        console.print(
            f"stored list {stored.id}: {stored.list.name} version {stored.list.version}, {len(stored.list.items)} items"
        )
    else:
        console.print(
            f"unchanged: list {stored.id} version {stored.list.version} already holds these items"
        )


@standards_app.command("template")
def template(
    out: Annotated[Path, typer.Option("--out", help="The .xlsx or .csv to write.")],
) -> None:
    """Write a fill-in file with the list's columns."""
    from minsheng.services.standards_files import write_list_template

    write_list_template(out)
    console.print(f"wrote {out}")


@standards_app.command("national")
def national() -> None:
    """Store the shipped national standard (2021 as version 1, 2023 as version 2) as a list."""
    from minsheng.services.standards import store_national_standard

    _, db = settings_and_database()
    for stored in store_national_standard(db):
        state = "stored" if stored.created else "already stored"
        console.print(f"{state}: list {stored.id} {stored.list.name} version {stored.list.version}")


standards_app.command("compare")(standards_analysis.compare)
standards_app.command("confirm")(standards_analysis.confirm)
standards_app.command("cost")(standards_analysis.cost)


def register(app: typer.Typer) -> None:
    app.add_typer(standards_app, name="standards")
