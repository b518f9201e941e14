"""``minsheng standards compare | confirm | cost``: a list against others, and what it costs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from minsheng.cli.setup import settings_and_database
from minsheng.domain.errors import InvalidData
from minsheng.domain.standards import StandardItem

if TYPE_CHECKING:
    from minsheng.analytics.standards_cost import CostResult

from minsheng.cli.common import ConfirmUser, user_or_login
from minsheng.cli.standards_common import (
    JsonOption,
    ListArg,
    console,
    echo_json,
    fold_table,
)


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
    as_json: JsonOption = False,
) -> None:
    """Items missing, added, matched under other wording, and lower standards."""
    from minsheng.services.standards_compare import compare_list

    _, db = settings_and_database()
    r = compare_list(
        db, ref, with_, against=against, threshold=threshold, suggest_from=suggest_from
    )
    c = r.comparison
    if as_json:
        echo_json(
            {
                "list": {
                    "id": r.local.id,
                    "name": r.local.list.name,
                    "version": r.local.list.version,
                },
                "reference": {
                    "id": r.reference_id,
                    "name": r.reference.name,
                    "version": r.reference.version,
                },
                "note": r.note,
                "comparison": c,
            }
        )
        return
    console.print(
        f"[bold]{r.local.list.name} v{r.local.list.version} ↔ {r.reference.name} v{r.reference.version}[/]"
    )
    table = fold_table("本级项目 local", "对照项目 reference", "得分 score", "方式 how")
    for m in c.matched:
        table.add_row(m.local.item, m.reference.item, f"{m.score:.0f}", m.how)
    console.print(table)
    if r.note:
        console.print(f"[yellow]注 note: {r.note}[/]")
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
        f"{len(c.added)} added; standards {len(c.lower)} lower, {len(c.equal)} at, "
        f"{len(c.higher)} higher, {len(c.not_comparable)} not comparable; "
        f"{c.unparsed_standards} standard(s) not quantified"
    )


def confirm(
    local_item: Annotated[str, typer.Argument(help="The item as the local list words it.")],
    reference_item: Annotated[str, typer.Argument(help="The reference item it is the same as.")],
    reject: Annotated[
        bool, typer.Option("--reject", help="Record that they are NOT the same.")
    ] = False,
    user: ConfirmUser = None,
) -> None:
    """Confirm (or reject) that two item wordings are the same item; remembered for every comparison."""
    from minsheng.services.permissions import check_operator
    from minsheng.services.standards_compare import confirm_match

    _, db = settings_and_database()
    check_operator(db, user_or_login(user))
    confirm_match(db, local_item, reference_item, user_or_login(user), accepted=not reject)
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


def _cost_json(res: CostResult) -> dict[str, object]:
    return {
        "lines": res.lines,
        "total": res.total,
        "by_level": res.by_level,
        "budget": res.budget,
        "over_budget": res.over_budget,
        "not_costed": [{"item": n.item, "why": n.why, "why_zh": n.why_zh} for n in res.not_costed],
    }


def _cost_table(title: str, res: CostResult) -> Table:
    from minsheng.services.standards_cost import LEVEL_NAMES_ZH

    LEVEL_KEYS = tuple(LEVEL_NAMES_ZH)  # noqa: N806 - central, provincial, local, unsplit
    t = fold_table(
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
    as_json: JsonOption = False,
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
    if as_json:
        echo_json(
            [
                {
                    "region": r.region_code,
                    "year": r.year,
                    "population_source": r.population_source,
                    "baseline": _cost_json(r.baseline),
                    "scenario": _cost_json(r.scenario) if r.scenario else None,
                    "changes": r.changes,
                }
                for r in results
            ]
        )
        return
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
        for n in result.baseline.not_costed:
            console.print(f"  {n.item}: {n.why_zh} ({n.why})")
    if len(results) > 1 or any(r.baseline.budget is not None for r in results):
        summary = fold_table(
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
