"""``minsheng draft``: the next plan's targets, with evidence; ``minsheng targets``: higher-level targets as data.

minsheng draft PLAN --to 2030 [--rule pace|higher|peers|SEQ=RULE …] [--add CODE] [--drop SEQ]
                    [--json] [--out F.docx|.xlsx|.json|.pdf]
minsheng draft PLAN --cascade          do the plans under PLAN reach its targets together?
minsheng draft import F.xlsx           store a confirmed draft workbook as a plan
minsheng targets FILE.csv --region CODE --source "…"    a table of targets as a partial plan
minsheng targets --national            the shipped national 2030 targets
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from minsheng.cli.setup import settings_and_database
from minsheng.domain.errors import InvalidData


def _ref(text: str) -> int | str:
    return int(text) if text.isdigit() else text


def _rules(items: list[str]) -> tuple[str, dict[int, str]]:
    default, per_row = "pace", {}
    for item in items:
        seq, sep, rule = item.partition("=")
        if not sep:
            default = item.strip()
        elif seq.strip().isdigit():
            per_row[int(seq)] = rule.strip()
        else:
            raise InvalidData(f"--rule takes RULE or SEQ=RULE (e.g. 17=higher), not {item!r}")
    return default, per_row


def _targets(items: list[str]) -> dict[int, float]:
    out = {}
    for item in items:
        seq, sep, value = item.partition("=")
        try:
            out[int(seq)] = float(value)
        except ValueError:
            raise InvalidData(f"--target takes SEQ=VALUE (e.g. 17=70), not {item!r}") from None
        if not sep:
            raise InvalidData(f"--target takes SEQ=VALUE (e.g. 17=70), not {item!r}")
    return out


def _clean(value: Any) -> Any:
    return None if isinstance(value, float) and value != value else value


def draft(
    plan: Annotated[str, typer.Argument(help="A stored plan (id or title), or `import`.")],
    file: Annotated[
        Path | None, typer.Argument(help="With `import`: the confirmed workbook.")
    ] = None,
    to: Annotated[int, typer.Option("--to", help="The new plan's target year.")] = 2030,
    rule: Annotated[
        list[str] | None,
        typer.Option("--rule", help="pace | higher | peers, or SEQ=RULE for one row; repeatable."),
    ] = None,
    add: Annotated[
        list[str] | None, typer.Option("--add", help="Add a catalogue indicator (code, e.g. HE01).")
    ] = None,
    drop: Annotated[
        list[int] | None, typer.Option("--drop", help="Drop the row with this 序号.")
    ] = None,
    higher: Annotated[
        str | None,
        typer.Option("--higher", help="The higher plan with targets for --to (default: found)."),
    ] = None,
    peers: Annotated[
        str,
        typer.Option(
            "--peers", help="parent: same level under the same parent; all: all of that level."
        ),
    ] = "parent",
    target: Annotated[
        list[str] | None,
        typer.Option(
            "--target",
            help="SEQ=VALUE: your own candidate target for a row, checked like a proposal.",
        ),
    ] = None,
    cascade: Annotated[
        bool, typer.Option("--cascade", help="Check the plans under PLAN against its targets.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the draft as JSON.")] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Export to .docx, .xlsx, .json or .pdf.")
    ] = None,
    region: Annotated[
        str | None,
        typer.Option("--region", help="With `import`: the region, if the workbook lacks it."),
    ] = None,
    allow_unconfirmed: Annotated[
        bool,
        typer.Option(
            "--allow-unconfirmed", help="With `import`: store rows not marked 是 in 确认."
        ),
    ] = False,
) -> None:
    """Draft the successor of a stored plan: per indicator a proposed target, the rule and the evidence."""
    if plan != "import" and (file is not None or region is not None):
        raise InvalidData("a workbook FILE and --region go with `minsheng draft import FILE`")
    _, db = settings_and_database()
    console = Console()
    try:
        if plan == "import":
            if file is None:
                raise InvalidData(
                    "`minsheng draft import` needs the workbook: minsheng draft import F.xlsx"
                )
            from minsheng.services.target_plans import import_draft

            stored = import_draft(db, file, region=region, allow_unconfirmed=allow_unconfirmed)
            console.print(
                f"stored plan {stored.id}: {stored.plan.metadata.title} "
                f"({len(stored.plan.indicators)} indicators, higher plan {stored.plan.higher_plan_id or '—'})"
            )
            return
        default, per_row = _rules(rule or [])
        if cascade:
            _cascade(console, db, _ref(plan), to, default, as_json)
            return
        from minsheng.reports.draft_pdf import draft_suffix, write_draft
        from minsheng.services.drafting import draft_plan

        if out is not None:
            draft_suffix(out)  # a wrong suffix is refused before the work, not after it

        result = draft_plan(
            db, _ref(plan), to_year=to, rule=default, rules=per_row, add=add or [], drop=drop or [],
            higher=_ref(higher) if higher else None, peers=peers, targets=_targets(target or []),
        )  # fmt: skip
        if out is not None:
            write_draft(result, out)
        if as_json:
            typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str))
            return
        _show(console, result)
        if out is not None:
            console.print(f"written: {out}")
    finally:
        db.dispose()


def _show(console: Console, result: Any) -> None:
    from minsheng.analytics.draft_rows import RULE_ZH

    plan = result.plan
    console.print(
        f"[bold]{plan.metadata.title}[/] — drafted from plan {result.source_plan_id}, higher plan {result.higher_plan_id or '—'}"
    )
    table = Table(show_header=True, header_style="bold", show_lines=False)
    for column in (
        "序号",
        "指标",
        "单位",
        f"{plan.baseline_year}年",
        f"{plan.target_year}年",
        "属性",
        "规则",
        "依据",
    ):
        table.add_column(column, overflow="fold", max_width={"指标": 22, "单位": 8}.get(column))
    rows = {r["indicator"]: r for r in result.table.iter_rows(named=True)}
    for ind in plan.indicators:
        r = rows.get(ind.name, {})
        table.add_row(
            str(ind.seq), ind.name, ind.unit or "", ind.baseline_raw or "—", ind.target_raw or "—",
            ind.nature.label_zh if ind.nature else "", RULE_ZH.get(r.get("rule_used") or "", ""),
            r.get("explanation") or "",
        )  # fmt: skip
    console.print(table)
    for note in result.notes:
        console.print(f"[dim]note: {note}[/]")


def _cascade(console: Console, db: Any, plan: int | str, to: int, rule: str, as_json: bool) -> None:
    from minsheng.data.divisions import divisions_by_code
    from minsheng.services.drafting_cascade import cascade_check

    result = cascade_check(db, plan, to_year=to, rule=rule)
    names = divisions_by_code()
    label = lambda code: f"{names[code].name}({code})" if code in names else code  # noqa: E731
    rows = [{k: _clean(v) for k, v in r.items()} for r in result.table.iter_rows(named=True)]
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "parent_plan_id": result.parent_plan_id,
                    "children": result.children,
                    "indicators": rows,
                    "notes": result.notes,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    console.print(
        f"[bold]cascade of plan {result.parent_plan_id}[/]: {len(result.children)} plan(s) under it"
    )
    table = Table(show_header=True, header_style="bold")
    for column in (
        "指标",
        "上级目标",
        "合成方式",
        "下级合成",
        "下级数",
        "达到",
        "差距",
        "未达上级目标的下级",
    ):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(
            f"{r['name']} ({r['canonical_code']})", f"{r['parent_target']:g}",
            ("人口加权" if r["method"] == "weighted" else "加总")
            + ("（年均值）" if r["form"] == "annual_average" else ""),
            "—" if r["combined"] is None else f"{r['combined']:.2f}", str(r["children"]),
            "—" if r["reaches"] is None else ("[green]是[/]" if r["reaches"] else "[red]否[/]"),
            "" if r["short_by"] is None else f"{r['short_by']:.2f}",
            "；".join(
                words + "、".join(label(c) for c in r[key])
                for key, words in (("short_children", ""), ("other_unit", "单位不同未加总："),
                                   ("other_form", "表述形式不同未合成："))
                if r[key]
            ),
        )  # fmt: skip
    console.print(table)
    for note in result.notes:
        console.print(f"[dim]note: {note}[/]")


def targets(
    file: Annotated[
        Path | None,
        typer.Argument(help="A CSV/XLSX table: 指标, 单位, 2025年, 2030年, 属性, 来源."),
    ] = None,
    region: Annotated[
        str | None, typer.Option("--region", help="Whose targets (code or name).")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="The plan's title.")] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Where the figures come from.")
    ] = None,
    higher: Annotated[
        str | None, typer.Option("--higher", help="Its own higher plan (id or title).")
    ] = None,
    national: Annotated[
        bool, typer.Option("--national", help="Load the shipped national 2030 targets.")
    ] = False,
    link: Annotated[
        list[str] | None,
        typer.Option("--link", help="Make this plan the higher plan of PLAN; repeatable."),
    ] = None,
) -> None:
    """Store a higher level's targets, entered without a document, as a partial plan with its source."""
    from minsheng.services.plans import set_higher_plan
    from minsheng.services.target_plans import load_national_targets, load_target_table

    _, db = settings_and_database()
    try:
        if national:
            stored = load_national_targets(db)
        elif file is None:
            raise InvalidData("give a table of targets (CSV/XLSX) or --national")
        else:
            stored = load_target_table(
                db,
                file,
                region=region,
                title=title,
                source=source,
                higher=_ref(higher) if higher else None,
            )
        for ref in link or []:
            set_higher_plan(db, _ref(ref), stored.id)
        Console().print(
            f"plan {stored.id}: {stored.plan.metadata.title} — {len(stored.plan.indicators)} target(s), "
            f"source: {stored.plan.source}"
            + (f"; higher plan of {', '.join(link)}" if link else "")
        )
    finally:
        db.dispose()


def register(app: typer.Typer) -> None:
    """Add ``draft`` and ``targets`` to the root app."""
    app.command("draft")(draft)
    app.command("targets")(targets)
