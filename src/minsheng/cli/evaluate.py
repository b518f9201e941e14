"""``minsheng evaluate``: judge a plan's indicators at an evaluation year (method §3–§5).

Two ways in: ``--plan PLAN.json --observations OBS.csv`` needs no database; a
stored plan's id or title reads the plan and its observations from the store.
Output is a Rich table (Chinese status names, binding warnings first), or
``--json`` / ``--csv`` rows for other programs.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from minsheng.cli.setup import current_settings
from minsheng.domain.errors import MinshengError
from minsheng.domain.evaluation import Grade, SdgProgress, Status

if TYPE_CHECKING:
    import polars as pl

#: JSON fields, in order: the issue's required ones first, then the audit record.
JSON_FIELDS = (
    "indicator", "region", "year", "status", "rho", "expected", "warning", "projected_linear",
    "anticipated_ratio", "grade",
    "region_name", "data_year", "value", "baseline", "target", "elapsed", "notice", "likely",
    "sdg_progress", "nature", "target_kind", "polarity", "polarity_inferred", "y0", "yT",
    "method", "baseline_source", "years_observed", "reason", "seq", "name", "canonical_code", "part",
    "unit",
    "domain", "baseline_raw", "target_raw", "judged_by", "judged_at", "plan", "plan_title", "level",
    "plan_region", "own_plan", "own_indicator", "own_target", "own_status", "own_rho", "own_reason",
)  # fmt: skip

_STYLE = {
    "achieved": "green",
    "on_track": "cyan",
    "lagging": "yellow",
    "regressing": "red",
    "no_data": "dim",
    "not_assessable": "dim",
    "undetermined": "dim",
}


def _clean(value: Any) -> Any:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def result_rows(results: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows for ``--json``: required fields first; NaN becomes null."""
    fields = [f for f in JSON_FIELDS if f in results.columns]
    return [
        {k: _clean(v) for k, v in row.items()}
        for row in results.select(fields).iter_rows(named=True)
    ]


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _num(value: Any) -> str:
    """A value beside its target: six significant digits, so 2.4988 never shows as 2.5."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def render_table(results: pl.DataFrame, title: str, console: Console) -> None:
    """The analyst's table: binding warnings first, Chinese status names, one line a row."""
    from minsheng.analytics.rollups import status_counts, warnings_first

    regions = results.get_column("region").unique()
    many = regions.len() > 1
    if not many and regions.len():
        first = results.row(0, named=True)
        title = f"{title} · {first.get('region_name') or first['region']}"
    table = Table(title=title, show_lines=False)
    table.add_column("指标", overflow="fold", ratio=4)
    if many:
        table.add_column("地区", overflow="fold", ratio=1)
    for col in ("年份", "状态", "SDG", "ρ", "实际值", "预期值", "目标", "预测", "终期"):
        table.add_column(col, no_wrap=col in ("年份", "ρ"), overflow="fold")
    table.add_column("说明 reason", overflow="fold", ratio=4)
    beside = "own_status" in results.columns
    if beside:
        table.add_column("本地区规划 own plan", overflow="fold", ratio=2)
    for row in warnings_first(results).iter_rows(named=True):
        status = Status(row["status"])
        flag = " [red]预警[/]" if row["warning"] else (" [yellow]提示[/]" if row["notice"] else "")
        cells = [row["indicator"]]
        if many:
            cells.append(row.get("region_name") or row["region"])
        cells += [
            _fmt(row["data_year"]),
            f"[{_STYLE[status.value]}]{status.label_zh}[/]{flag}",
            SdgProgress(row["sdg_progress"]).label_zh if row.get("sdg_progress") else "—",
            _fmt(row["rho"], 3),
            _num(row["value"]),
            _num(row["expected"]),
            row.get("target_raw") or _num(row["target"]),
            _num(row["projected_linear"]),
            Grade(row["grade"]).label_zh if row["grade"] else "—",
            row.get("reason") or "",
        ]
        if beside:
            own = row.get("own_status")
            cells.append(f"{Status(own).label_zh} · {row.get('own_target') or '—'}" if own else "—")
        table.add_row(*cells)
    console.print(table)
    import polars as pl

    counts = status_counts(results.with_columns(pl.lit("all").alias("_all")), ["_all"]).row(
        0, named=True
    )
    summary = "  ".join(f"{Status(s).label_zh} {counts[s]}" for s in (x.value for x in Status))
    console.print(f"{summary}  预警 {counts['warnings']}  提示 {counts['notices']}")


def judged_on(published_only: bool, observations: Path | None = None) -> str:
    """The one line saying which values a run judged: the public pages judge published
    values only, the CLI every stored value unless asked otherwise, and the two must not be
    mistaken for each other."""
    if observations is not None:
        return (
            f"评估所用数值：文件 {observations.name} · judged on the values of {observations.name}"
        )
    if published_only:
        return (
            "评估所用数值：仅已发布数值（与公开网页相同）"
            " · judged on published values only, as the public web pages are"
        )
    return (
        "评估所用数值：全部已存数值（含草稿与审核中的数值）"
        " · judged on every stored value, drafts and values under review included"
        " (--published-only: published values only, as the public web pages)"
    )


def emit(
    results: pl.DataFrame, *, as_json: bool, as_csv: bool, title: str, judged: str | None = None
) -> None:
    """Print the results; ``judged`` (:func:`judged_on`) goes under the table, or to stderr
    where stdout carries JSON or CSV for another program."""
    if judged is not None and (as_json or as_csv):
        typer.echo(judged, err=True)
    if as_json:
        typer.echo(json.dumps(result_rows(results), ensure_ascii=False, indent=2))
    elif as_csv:
        fields = [f for f in JSON_FIELDS if f in results.columns]
        typer.echo(results.select(fields).write_csv(), nl=False)
    else:
        render_table(results, title, Console())
        if judged is not None:
            typer.echo(judged)


def evaluate_command(
    plan_ref: Annotated[
        str | None,
        typer.Argument(help="A stored plan's id or title (database mode).", show_default=False),
    ] = None,
    year: Annotated[
        int,
        typer.Option("--year", "-y", help="Evaluation year: the latest data up to it are used."),
    ] = ...,  # type: ignore[assignment]
    plan: Annotated[
        Path | None,
        typer.Option(
            "--plan",
            help="A plan JSON file (ingest --json output or gold-shaped); no database needed.",
        ),
    ] = None,
    observations: Annotated[
        Path | None,
        typer.Option("--observations", help="CSV with indicator,region,year,value (with --plan)."),
    ] = None,
    judgements: Annotated[
        Path | None,
        typer.Option(
            "--judgements",
            help="With --plan: CSV indicator,region,status,judged_by,judged_at for qualitative targets.",
        ),
    ] = None,
    region: Annotated[
        str | None, typer.Option("--region", help="Only this region (GB/T 2260 code or name).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON rows.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV rows.")] = False,
    with_lower: Annotated[
        bool,
        typer.Option(
            "--with-lower",
            help="Database mode: also every plan below this one, each on its own targets.",
        ),
    ] = False,
    record: Annotated[
        bool,
        typer.Option(
            "--record/--no-record", help="Database mode: keep each result's calculation record."
        ),
    ] = True,
    beside_own: Annotated[
        bool,
        typer.Option(
            "--beside-own",
            help="With --region: set the region's own plan's verdict on the same indicator beside each row.",
        ),
    ] = False,
    published_only: Annotated[
        bool,
        typer.Option(
            "--published-only",
            help="Database mode: judge published values only, as the public web pages do "
            "(default: every stored value, drafts and values under review included).",
        ),
    ] = False,
) -> None:
    """Status, completion ρ, expected value, warnings, projections and final grade of every indicator."""
    if as_json and as_csv:
        raise MinshengError("choose one of --json and --csv")
    settings = current_settings()
    err = Console(stderr=True)
    if plan is not None:
        if observations is None:
            raise MinshengError("--plan needs --observations OBS.csv")
        if published_only:
            raise MinshengError(
                "--published-only reads the store's values; with --plan the values are the file's"
            )
        from minsheng.services.evaluation_files import evaluate_files

        with err.status("evaluating…"):
            outcome = evaluate_files(
                plan,
                observations,
                year,
                region=region,
                settings=settings,
                judgements_path=judgements,
            )
        for problem in outcome.warnings:
            err.print(f"[yellow]warning[/]: {problem}")
        emit(outcome.results, as_json=as_json, as_csv=as_csv, title=f"{plan.name} · {year}",
             judged=judged_on(False, observations))  # fmt: skip
        return
    if plan_ref is None:
        raise MinshengError(
            "give a stored plan (id or title), or --plan PLAN.json --observations OBS.csv"
        )
    from minsheng.services.evaluation import evaluate_stored_plan

    with err.status("evaluating…"):
        results = evaluate_stored_plan(
            settings,
            plan_ref,
            year,
            region=region,
            record=record,
            with_lower=with_lower,
            beside_own=beside_own,
            published_only=published_only,
        )
    titles = (
        results.get_column("plan").drop_nulls().unique().to_list()
        if "plan" in results.columns
        else []
    )
    label = titles[0] if len(titles) == 1 else f"plan {plan_ref}"
    emit(results, as_json=as_json, as_csv=as_csv, title=f"{label} · {year}",
         judged=judged_on(published_only))  # fmt: skip


def _frame_out(frame: pl.DataFrame, *, as_json: bool, title: str) -> None:
    if as_json:
        rows = [{k: _clean(v) for k, v in r.items()} for r in frame.iter_rows(named=True)]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    table = Table(title=title)
    for col in frame.columns:
        table.add_column(col, overflow="fold")
    for row in frame.iter_rows():
        table.add_row(*(_fmt(v, 4) for v in row))
    Console().print(table)


def align_command(
    plan_ref: Annotated[str, typer.Argument(help="A stored plan's id or title.")],
    factor: Annotated[
        float,
        typer.Option(
            "--factor",
            help="Flag required rates above factor × (or below 1/factor ×) the historical rate.",
        ),
    ] = 1.5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON rows.")] = False,
) -> None:
    """Target ambition (§6): against the higher-level plan and the region's own history."""
    from minsheng.cli.setup import settings_and_database
    from minsheng.services.evaluation import align_plan

    _, db = settings_and_database()
    try:
        outcome = align_plan(db, int(plan_ref) if plan_ref.isdigit() else plan_ref, factor=factor)
    finally:
        db.dispose()
    err = Console(stderr=True)
    for note in outcome.notes:
        err.print(f"[yellow]note[/]: {note}")
    _frame_out(
        outcome.flags.select("flag", "indicator", "canonical_code", "message"),
        as_json=as_json,
        title="目标合理性与上下衔接",
    )


def equity_command(
    indicator: Annotated[str, typer.Argument(help="A canonical indicator's code, name or alias.")],
    under: Annotated[
        str,
        typer.Option(
            "--under", help="The region whose sub-regions are compared (code or unique name)."
        ),
    ],
    year: Annotated[
        int,
        typer.Option(
            "--year", "-y", help="The last year to measure (earlier years show the trend)."
        ),
    ],
    level: Annotated[
        str | None,
        typer.Option("--level", help="Compare regions at this level (default: one below --under)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON rows.")] = False,
) -> None:
    """Spread between regions (§7): weighted mean, CV, Gini, Theil T/L, max/min, year by year."""
    import polars as pl

    from minsheng.cli.setup import settings_and_database
    from minsheng.services.spread import indicator_spread

    _, db = settings_and_database()
    try:
        table, trend, notes = indicator_spread(db, indicator, under, year, level=level)
    finally:
        db.dispose()
    err = Console(stderr=True)
    for note in notes:
        err.print(f"[yellow]note[/]: {note}")
    out = table.join(trend.select("year", "narrowed"), on="year", how="left")
    if as_json:
        _frame_out(out, as_json=True, title="")
    else:  # headers in both languages, as the other tables; 是/否 for the Gini's narrowing
        bilingual = out.drop("missing_regions").with_columns(
            pl.col("narrowed").replace_strict({True: "是 yes", False: "否 no"}, default=None)
        )
        _frame_out(
            bilingual.rename({k: v for k, v in _SPREAD_HEADERS.items() if k in bilingual.columns}),
            as_json=False,
            title=f"{indicator} · 均等化 equalisation (population-weighted)",
        )
    if not as_json and table.height:  # who is left out of the last year, by name
        last = table.row(table.height - 1, named=True)
        if last["missing"]:
            shown = "、".join(last["missing_regions"][:30])
            more = f" … (+{last['missing'] - 30})" if last["missing"] > 30 else ""
            err.print(
                f"[yellow]note[/]: {last['year']}: no value from {last['missing']} of "
                f"{last['regions'] + last['missing']} regions (left out, not counted as zero): "
                f"{shown}{more}"
            )


#: The spread table's columns as `minsheng equity` heads them.
_SPREAD_HEADERS = {
    "year": "年份 year",
    "regions": "地区数 regions",
    "missing": "缺数据 missing",
    "mean": "加权均值 mean",
    "cv": "变异系数 CV",
    "gini": "基尼 Gini",
    "theil_t": "泰尔T Theil T",
    "theil_l": "泰尔L Theil L",
    "max_min_ratio": "最大/最小 max/min",
    "narrowed": "基尼较上年缩小 narrowed",
}


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("evaluate")(evaluate_command)
    app.command("align")(align_command)
    app.command("equity")(equity_command)
