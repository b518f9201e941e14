"""``minsheng standards …``: basic public service lists — versions, diffs, comparison, cost."""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from minsheng.cli.setup import settings_and_database
from minsheng.domain.errors import InvalidData
from minsheng.domain.standard_quantities import count_quantified
from minsheng.domain.standards import FIELD_NAMES_ZH, ListDiff, StandardItem

if TYPE_CHECKING:
    from minsheng.analytics.standards_cost import CostResult

standards_app = typer.Typer(
    help="Basic public service lists (基本公共服务清单): versions, diffs, comparison, cost.",
    no_args_is_help=True,
)
console = Console()

ListArg = Annotated[str, typer.Argument(help="A list: its id, or its name (latest version).")]


def _user(user: str | None) -> str:
    if user:
        return user
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "cli"


def _pairs(values: list[str], option: str) -> dict[str, float]:
    out = {}
    for value in values:
        name, sep, number = value.rpartition("=")
        try:
            out[name.strip()] = float(number.rstrip("%"))
        except ValueError:
            name = ""
        if not sep or not name.strip():
            raise InvalidData(f"{option} takes ITEM=PERCENT (e.g. 生育保险=10), not {value!r}")
    return out


@standards_app.command("list")
def list_() -> None:
    """Every stored list: its latest version, how many versions and items."""
    from minsheng.services.standards import list_summaries

    _, db = settings_and_database()
    table = Table(
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
) -> None:
    """One list version by domain, item by item, with who made it, when and why."""
    from minsheng.services.standards import find_list, items_by_domain

    _, db = settings_and_database()
    stored = find_list(db, ref, version)
    s = stored.list
    console.print(
        f"[bold]{stored.id}: {s.name}[/] 版本 {s.version} · {s.region_code or '地区未知'}"
    )
    for label, value in (
        ("日期 date", s.issued_on.isoformat() if s.issued_on else ""),
        ("来源 source", s.source or ""),
        ("原因 reason", s.reason or ""),
        ("作者 author", s.author or ""),
        ("存入 stored", s.created_at.isoformat(timespec="seconds") if s.created_at else ""),
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
    shown = []
    for name, items in items_by_domain(s, domain).items():
        table = Table("#", *(FIELD_NAMES_ZH[f] for f in columns), title=f"{name}（{len(items)}项）")
        for n, i in enumerate(items, 1):
            table.add_row(str(n), *((getattr(i, f) or "") for f in columns))
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
    table = Table("id", "版本", "存入 stored", "作者 author", "原因 reason", "项目", "+", "−", "~")
    for stored, diff in list_history(db, ref):
        s = stored.list
        table.add_row(
            str(stored.id),
            s.version,
            s.created_at.isoformat(timespec="seconds") if s.created_at else "",
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
) -> None:
    """What changed between two lists or two versions (default: the latest and the one before)."""
    from minsheng.services.standards import diff_versions

    _, db = settings_and_database()
    a, b, d = diff_versions(db, ref_a, ref_b, from_version, to_version)
    console.print(f"[bold]{a.list.name} v{a.list.version} → {b.list.name} v{b.list.version}[/]")
    _print_diff(d)


@standards_app.command("compare")
def compare(
    ref: ListArg,
    with_: Annotated[str, typer.Option("--with", help="national or higher.")] = "national",
    against: Annotated[
        str | None, typer.Option("--against", help="Compare with this stored list instead.")
    ] = None,
    threshold: Annotated[
        float, typer.Option(help="Fuzzy score (0–100) from which a match applies.")
    ] = 90.0,
    suggest_from: Annotated[
        float, typer.Option(help="Fuzzy score from which a match is suggested.")
    ] = 60.0,
) -> None:
    """Items missing, added, matched under other wording, and lower standards."""
    from minsheng.services.standards_compare import compare_list

    _, db = settings_and_database()
    r = compare_list(
        db, ref, with_, against=against, threshold=threshold, suggest_from=suggest_from
    )
    c = r.comparison
    console.print(
        f"[bold]{r.local.list.name} v{r.local.list.version} ↔ {r.reference.name} v{r.reference.version}[/]"
    )
    table = Table("本级项目 local", "对照项目 reference", "得分 score", "方式 how")
    for m in c.matched:
        table.add_row(m.local.item, m.reference.item, f"{m.score:.0f}", m.how)
    console.print(table)
    for s in c.suggestions:
        console.print(
            f"[cyan]? {s.local.item} ≈ {s.reference.item} ({s.score:.0f} < {c.threshold:g}): "
            f"suggestion only; confirm with `minsheng standards confirm`[/]"
        )
    for item in c.missing:
        console.print(f"[red]缺少 missing: {item.item}[/]")
    for item in c.added:
        console.print(f"[green]新增 added: {item.item}[/]")
    for low in c.lower:
        console.print(
            f"[bold red]标准偏低 lower: {low.local.item}: {low.local.standard} < {low.reference.standard}[/]"
        )
    console.print(
        f"{len(c.matched)} matched, {len(c.suggestions)} suggested, {len(c.missing)} missing, "
        f"{len(c.added)} added, {len(c.lower)} lower; {c.unparsed_standards} standard(s) not quantified"
    )


@standards_app.command("confirm")
def confirm(
    local_item: Annotated[str, typer.Argument(help="The item as the local list words it.")],
    reference_item: Annotated[str, typer.Argument(help="The reference item it is the same as.")],
    reject: Annotated[
        bool, typer.Option("--reject", help="Record that they are NOT the same.")
    ] = False,
    user: Annotated[
        str | None, typer.Option("--user", help="Who confirms (default: your login name).")
    ] = None,
) -> None:
    """Confirm (or reject) that two item wordings are the same item; remembered for every comparison."""
    from minsheng.services.standards_compare import confirm_match

    _, db = settings_and_database()
    confirm_match(db, local_item, reference_item, _user(user), accepted=not reject)
    console.print(f"{'rejected' if reject else 'confirmed'}: {local_item} = {reference_item}")


def _budgets(values: list[str], regions: list[str]) -> dict[str, float]:
    """``--budget B`` (every region) or ``--budget CODE=B`` (repeatable)."""
    out: dict[str, float] = {}
    for value in values:
        code, sep, number = value.rpartition("=")
        try:
            amount = float(number.replace(",", ""))
        except ValueError:
            raise InvalidData(f"--budget takes B or REGION=B (元), not {value!r}") from None
        for region in [code.strip()] if sep else regions:
            out[region] = amount
    return out


def _cost_table(title: str, res: CostResult) -> Table:
    from minsheng.services.standards_cost import LEVEL_NAMES_ZH

    LEVEL_KEYS = tuple(LEVEL_NAMES_ZH)  # noqa: N806 - central, provincial, local, unsplit
    t = Table(
        "服务项目",
        "受益人数",
        "每人每年(元)",
        "年度成本(元)",
        *(LEVEL_NAMES_ZH[k] for k in LEVEL_KEYS),
        "超预算",
        title=title,
    )
    for line in res.lines:
        t.add_row(
            line.item,
            f"{line.population:,.0f}",
            f"{line.per_year:,.2f}",
            f"{line.cost:,.0f}",
            *(f"{line.by_level.get(k, 0):,.0f}" for k in LEVEL_KEYS),
            "" if line.over_budget is None else ("是" if line.over_budget else "否"),
        )
    levels = res.by_level
    t.add_row(
        "合计 total",
        "",
        "",
        f"{res.total:,.0f}",
        *(f"{levels[k]:,.0f}" for k in LEVEL_KEYS),
        "" if res.over_budget is None else ("是" if res.over_budget else "否"),
    )
    return t


@standards_app.command("cost")
def cost(
    ref: ListArg,
    region: Annotated[
        list[str], typer.Option("--region", help="Region code or name (repeatable).")
    ],
    year: Annotated[int, typer.Option("--year", help="The year costed.")],
    budget: Annotated[
        list[str] | None,
        typer.Option(
            "--budget", help="Budget in 元: B for every region, or REGION=B (repeatable)."
        ),
    ] = None,
    table_file: Annotated[
        Path | None,
        typer.Option(
            "--table", help="CSV/XLSX: 服务项目, 受益人数 [, 地区, 中央, 省级, 市县, 预算]."
        ),
    ] = None,
    raise_: Annotated[
        list[str] | None, typer.Option("--raise", help="What-if: ITEM=PERCENT (repeatable).")
    ] = None,
    add: Annotated[
        list[str] | None,
        typer.Option(
            "--add", help="What-if: add 'ITEM=STANDARD' (its population in --table; repeatable)."
        ),
    ] = None,
    version: Annotated[str | None, typer.Option("--version", "-v", help="Which version.")] = None,
) -> None:
    """Yearly cost = eligible population × standard × period, by level of government."""
    from minsheng.services.standards_cost import cost_regions

    _, db = settings_and_database()
    additions = []
    for text in add or []:
        item, sep, standard = text.partition("=")
        if not sep or not item.strip() or not standard.strip():
            raise InvalidData(
                f"--add takes ITEM=STANDARD (its population in --table), not {text!r}"
            )
        additions.append(StandardItem("", item.strip(), standard=standard.strip()))
    results = cost_regions(
        db,
        ref,
        region,
        year,
        _budgets(budget or [], region),
        table_file,
        _pairs(raise_ or [], "--raise"),
        additions,
        version,
    )
    for result in results:
        console.print(f"[bold]{result.region_code} · {result.year}[/]")
        if result.population_source:
            console.print(f"常住人口 resident population: {result.population_source}")
        console.print(_cost_table("现行 baseline", result.baseline))
        if result.scenario is not None:
            console.print(
                _cost_table("情景 what-if: " + "；".join(result.changes), result.scenario)
            )
        console.print(f"{len(result.baseline.not_costed)} item(s) not costed:")
        for item, why in result.baseline.not_costed:
            console.print(f"  {item}: {why}")
    if len(results) > 1 or any(r.baseline.budget is not None for r in results):
        summary = Table(
            "地区 region",
            "成本 cost",
            "情景 what-if",
            "预算 budget",
            "超预算 over",
            title="地区汇总",
        )
        for r in results:
            over = r.baseline.over_budget
            summary.add_row(
                r.region_code,
                f"{r.baseline.total:,.0f}",
                f"{r.scenario.total:,.0f}" if r.scenario else "",
                f"{r.baseline.budget:,.0f}" if r.baseline.budget is not None else "",
                "" if over is None else ("[bold red]是[/]" if over else "否"),
            )
        console.print(summary)


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
    stored = import_list_file(db, file, name, region, _user(user), reason, issued_on, source)
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


def register(app: typer.Typer) -> None:
    app.add_typer(standards_app, name="standards")
