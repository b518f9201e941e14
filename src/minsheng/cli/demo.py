"""``minsheng demo``: build the demo database from the real plans and statistics, judge it, show it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from minsheng.cli.setup import progress_bar, settings_and_database


def demo(
    shared: Annotated[
        Path | None,
        typer.Option(
            help="Folder with corpus/ and data/ (default: MINSHENG_SHARED_DIR or ../shared)."
        ),
    ] = None,
    year: Annotated[
        int, typer.Option(help="Evaluation year (2025: the final evaluation of 十四五).")
    ] = 2025,
    serve: Annotated[
        bool,
        typer.Option(
            "--serve/--no-serve",
            help="Serve the web app on the demo database (--no-serve: print the terminal summary).",
        ),
    ] = True,
    host: Annotated[str, typer.Option(help="Address the web app listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port the web app listens on.")] = 8000,
) -> None:
    """Build the demo database from real plan documents and national statistics, evaluate it and show the results.

    Plans already in the database are kept, so running it twice is quick. Values the
    shared statistics do not provide are generated and labelled synthetic. Then it
    serves the web app on the demo database (``--no-serve``: prints the results instead).
    """
    from minsheng.domain.years import check_year
    from minsheng.services.demo import build_demo, find_shared_dir

    check_year(year, "--year")  # before minutes of building, not after
    settings, db = settings_and_database(require_init=False)
    console = Console()
    shared_dir = find_shared_dir(shared)
    with progress_bar(Console(stderr=True)) as start:
        build = build_demo(db, shared_dir, start)

    if serve:
        import os

        from minsheng.cli.serve import serve_app
        from minsheng.services.demo_accounts import (
            DEMO_ACCOUNTS,
            ensure_demo_accounts,
            ensure_demo_due_dates,
            ensure_demo_reported_below,
        )
        from minsheng.services.results import refresh_all

        with console.status("评估并保存结果 judging every plan and keeping the results…"):
            refresh_all(db, list(range(2021, year + 1)), about_tolerance=settings.about_tolerance)
        created, password = ensure_demo_accounts(db, os.environ.get("MINSHENG_DEMO_PASSWORD"))
        ensure_demo_due_dates(db)
        ensure_demo_reported_below(db)
        db.dispose()
        accounts = ", ".join(name for name, _, _ in DEMO_ACCOUNTS)
        if password and not os.environ.get("MINSHENG_DEMO_PASSWORD"):
            console.print(f"演示账号 demo accounts: {accounts} — password [bold]{password}[/]")
        elif created:
            console.print(
                f"演示账号 demo accounts: {accounts} — password from MINSHENG_DEMO_PASSWORD"
            )
        else:
            console.print(f"演示账号 demo accounts: {accounts} (kept, with their passwords)")
        serve_app(
            settings,
            host,
            port,
            banner=f"demo database {settings.database_url}: {len(build.plans)} plans, "
            f"{build.real_observations:,} real and {build.synthetic_observations:,} synthetic values added",
        )
        return
    console.print(
        Panel.fit(
            f"数据库 database: [bold]{settings.database_url}[/]\n"
            f"行政区划 regions: {build.init.regions_total:,}   "
            f"指标目录 catalogue: {build.init.indicators_total}   "
            f"共享材料 shared: {shared_dir}",
            title="minsheng demo",
        )
    )
    _plans_table(console, build)
    console.print(
        f"观测值 observations added: real {build.real_observations:,} "
        f"(national statistics), baselines {build.baseline_observations:,} "
        "(each plan's baseline column, as its region's value), "
        f"[magenta]synthetic {build.synthetic_observations:,}[/] "
        "(generated around each plan's baselines and targets; labelled synthetic)"
    )
    for reason in build.skipped_statistics:
        console.print(f"  [dim]national statistics — {reason}[/]")
    if build.unmatched_statistics:
        console.print(
            f"  [dim]statistics not in the catalogue: {', '.join(build.unmatched_statistics)}[/]"
        )

    from minsheng.cli.demo_results import show_results

    show_results(console, db, build, year)


def _plans_table(console: Console, build) -> None:  # noqa: ANN001 - DemoBuild
    from minsheng.services.mapping import NOT_A_PLAN

    table = Table(title="规划 Plans ingested")
    for column in (
        "id",
        "规划 title",
        "地区 region",
        "层级 level",
        "指标 indicators",
        "对应目录 mapped",
        "置信度",
        "上级规划",
    ):
        table.add_column(column)
    for plan in build.plans:
        table.add_row(
            str(plan.id),
            plan.title,
            f"{plan.region_name or '—'} ({plan.region_code or '?'})",
            plan.level or "—",
            str(plan.indicators),
            f"{plan.mapped}/{plan.indicators}",
            f"{plan.confidence:.2f}",
            str(plan.higher_plan_id or "—"),
        )
    console.print(table)
    for name, plan_id in build.same_plan.items():
        console.print(
            f"  [dim]{name}: 同一规划 the same plan as plan {plan_id} (kept as stored)[/]"
        )
    for name in build.not_plans:
        console.print(f"  [dim]{name}: 不是规划，未存入 not a plan, not stored ({NOT_A_PLAN})[/]")


def register(app: typer.Typer) -> None:
    app.command()(demo)
