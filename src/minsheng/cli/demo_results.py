"""What ``minsheng demo`` shows once the database is built: each plan judged, top-down."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:  # loaded when a command runs, not for --help
    from minsheng.services.demo import DemoBuild, PlanEvaluation
    from minsheng.store.database import Database
from minsheng.cli.evaluate import render_table
from minsheng.domain.evaluation import Status


def show_results(console: Console, db: Database, build: DemoBuild, year: int) -> None:
    from minsheng.services.demo import evaluate_demo

    evaluations = sorted(evaluate_demo(db, build, year), key=lambda e: _level_rank(e.plan.level))
    for evaluation in evaluations:
        _show_plan(console, evaluation, year)
    show_alignment(console, db, build)
    show_equity(console, db, build, year)


def _level_rank(level: str | None) -> int:
    order = ["national", "province", "prefecture", "county"]
    return order.index(level) if level in order else len(order)


def _label(region: str, evaluation: PlanEvaluation) -> str:
    return "[magenta]synthetic[/]" if region in evaluation.synthetic_regions else "real statistics"


def _show_plan(console: Console, evaluation: PlanEvaluation, year: int) -> None:
    plan, results = evaluation.plan, evaluation.results
    console.rule(
        f"[bold]{plan.title}[/] — {plan.region_name or ''} ({plan.region_code}) · 评估年 {year}"
    )
    own = results.filter(pl.col("region") == plan.region_code) if plan.region_code else results
    if own.height:
        render_table(
            own,
            f"{plan.region_name} 本级指标 ({_label(plan.region_code or '', evaluation)})",
            console,
        )
    others = results.filter(pl.col("region") != (plan.region_code or ""))
    if others.height:
        _ranking(console, others, evaluation)


def _ranking(console: Console, results: pl.DataFrame, evaluation: PlanEvaluation) -> None:
    from minsheng.analytics.rollups import rank_regions, status_counts

    ranked = rank_regions(results)
    names = dict(zip(results.get_column("region"), results.get_column("region_name"), strict=False))
    table = Table(
        title="下级地区排名 Regions judged against this plan (share achieved or on track)"
    )
    for column in (
        "排名",
        "地区",
        "已实现",
        "进度正常",
        "进度滞后",
        "逆向变化",
        "缺数据",
        "预警",
        "达标率",
        "数据",
    ):
        table.add_column(column)
    for row in ranked.iter_rows(named=True):
        share = row["share_good"]
        table.add_row(
            str(row["rank"] or "—"),
            names.get(row["region"], row["region"]),
            str(row[Status.ACHIEVED.value]),
            str(row[Status.ON_TRACK.value]),
            str(row[Status.LAGGING.value]),
            str(row[Status.REGRESSING.value]),
            str(row[Status.NO_DATA.value]),
            f"[red]{row['warnings']}[/]" if row["warnings"] else "0",
            f"{share:.0%}" if share is not None else "—",
            _label(row["region"], evaluation),
        )
    console.print(table)
    totals = status_counts(results.with_columns(pl.lit("all").alias("_all")), ["_all"]).row(
        0, named=True
    )
    console.print(
        f"{results.get_column('region').n_unique()} regions × {results.get_column('indicator').n_unique()} "
        f"indicators: 预警 binding warnings {totals['warnings']}, 提示 notices {totals['notices']}"
    )


def show_alignment(console: Console, db: Database, build: DemoBuild) -> None:
    """§6 flags for every demo plan that has a higher-level plan."""
    from minsheng.services.evaluation import align_plan

    for plan in build.plans:
        if plan.higher_plan_id is None:
            continue
        outcome = align_plan(db, plan.id)
        table = Table(title=f"上下衔接 Alignment: {plan.title} vs plan {plan.higher_plan_id}")
        for column in ("flag", "指标 indicator", "说明 message"):
            table.add_column(column, overflow="fold")
        for row in outcome.flags.iter_rows(named=True):
            table.add_row(row["flag"], row["indicator"], row["message"])
        console.print(table)


def show_equity(
    console: Console, db: Database, build: DemoBuild, year: int, limit: int = 4
) -> None:
    """§7 spread across the provinces for a few catalogue indicators, first year against ``year``."""
    from minsheng.domain.errors import NotFound
    from minsheng.services.plans import get_plan
    from minsheng.services.spread import indicator_spread

    national = next((p for p in build.plans if p.level == "national"), None)
    if national is None:
        return
    names = {
        i.canonical_code: i.name
        for i in get_plan(db, national.id).plan.indicators
        if i.canonical_code
    }
    codes = list(names)
    table = Table(
        title=f"均等化 Equalisation across provinces (population-weighted; synthetic data) · {year}"
    )
    for column in (
        "指标",
        "年份",
        "地区数",
        "加权均值",
        "CV",
        "Gini",
        "Theil T",
        "Theil L",
        "max/min",
        "较上年缩小",
    ):
        table.add_column(column)
    shown = 0
    for code in codes:
        try:
            spread, trend, _notes = indicator_spread(db, code, "100000", year)
        except NotFound:
            continue
        if spread.height < 2:
            continue
        narrowed = dict(zip(trend.get_column("year"), trend.get_column("narrowed"), strict=False))
        first, last = spread.row(0, named=True), spread.row(spread.height - 1, named=True)
        for row in (first, last):
            change = narrowed.get(row["year"])
            table.add_row(
                names[code] if row is first else "",
                str(row["year"]),
                str(row["regions"]),
                f"{row['mean']:.2f}",
                f"{row['cv']:.4f}",
                f"{row['gini']:.4f}",
                f"{row['theil_t']:.5f}",
                f"{abs(row['theil_l']):.5f}"
                if abs(row["theil_l"]) < 5e-6
                else f"{row['theil_l']:.5f}",
                f"{row['max_min_ratio']:.3f}",
                "—" if change is None else ("是" if change else "否"),
            )
        shown += 1
        if shown >= limit:
            break
    if shown:
        console.print(table)
