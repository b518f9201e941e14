"""What ``minsheng demo`` shows once the database is built: each plan judged, top-down."""

from __future__ import annotations

import polars as pl
from rich.console import Console
from rich.table import Table

from minsheng.analytics.rollups import rank_regions, status_counts
from minsheng.cli.evaluate import render_table
from minsheng.domain.evaluation import Status
from minsheng.services.demo import DemoBuild, PlanEvaluation, evaluate_demo
from minsheng.store.database import Database


def show_results(console: Console, db: Database, build: DemoBuild, year: int) -> None:
    evaluations = sorted(evaluate_demo(db, build, year), key=lambda e: _level_rank(e.plan.level))
    for evaluation in evaluations:
        _show_plan(console, evaluation, year)


def _level_rank(level: str | None) -> int:
    order = ["national", "province", "prefecture", "county"]
    return order.index(level) if level in order else len(order)


def _label(region: str, evaluation: PlanEvaluation) -> str:
    return "[magenta]synthetic[/]" if region in evaluation.synthetic_regions else "real statistics"


def _show_plan(console: Console, evaluation: PlanEvaluation, year: int) -> None:
    plan, results = evaluation.plan, evaluation.results
    console.rule(f"[bold]{plan.title}[/] — {plan.region_name or ''} ({plan.region_code}) · 评估年 {year}")
    own = results.filter(pl.col("region") == plan.region_code) if plan.region_code else results
    if own.height:
        render_table(own, f"{plan.region_name} 本级指标 ({_label(plan.region_code or '', evaluation)})", console)
    others = results.filter(pl.col("region") != (plan.region_code or ""))
    if others.height:
        _ranking(console, others, evaluation)


def _ranking(console: Console, results: pl.DataFrame, evaluation: PlanEvaluation) -> None:
    ranked = rank_regions(results)
    names = dict(zip(results.get_column("region"), results.get_column("region_name"), strict=False))
    table = Table(title="下级地区排名 Regions judged against this plan (share achieved or on track)")
    for column in ("排名", "地区", "已实现", "进度正常", "进度滞后", "逆向变化", "缺数据", "预警", "达标率", "数据"):
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
    totals = status_counts(results.with_columns(pl.lit("all").alias("_all")), ["_all"]).row(0, named=True)
    console.print(
        f"{results.get_column('region').n_unique()} regions × {results.get_column('indicator').n_unique()} "
        f"indicators: 预警 binding warnings {totals['warnings']}, 提示 notices {totals['notices']}"
    )
