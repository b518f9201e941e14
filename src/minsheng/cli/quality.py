"""``minsheng quality PLAN``: reporting completeness, timeliness and outliers of a plan's data."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from minsheng.cli.setup import settings_and_database
from minsheng.domain.errors import InvalidData


def _years(text: str | None) -> list[int] | None:
    if not text:
        return None
    start, sep, end = text.partition("-")
    try:
        first, last = int(start), int(end or start)
    except ValueError:
        raise InvalidData(f"--years takes YYYY or YYYY-YYYY, not {text!r}") from None
    from minsheng.domain.years import check_year

    first, last = check_year(first, "--years"), check_year(last, "--years")
    if last < first:
        raise InvalidData(f"--years {text}: the range runs backwards")
    return list(range(first, last + 1))


def quality(
    plan: Annotated[str, typer.Argument(help="A stored plan's id or title.")],
    years: Annotated[
        str | None,
        typer.Option(help="Years expected, e.g. 2021-2024 (default: the plan period so far)."),
    ] = None,
    due: Annotated[
        str, typer.Option(help="Figures of year Y are due on this day of Y+1 (MM-DD).")
    ] = "03-31",
    threshold: Annotated[
        float | None,
        typer.Option(
            help="Modified z-score above which a value is an outlier (default: MINSHENG_OUTLIER_THRESHOLD, 3.5)."
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summaries and outliers as JSON.")
    ] = False,
) -> None:
    """Who reported which indicator for which year, how much arrived on time, and which values stand out."""
    from minsheng.data.divisions import divisions_by_code
    from minsheng.services.quality import parse_due, plan_quality

    settings, db = settings_and_database()
    report = plan_quality(
        db,
        int(plan) if plan.isdigit() else plan,
        years=_years(years),
        due=parse_due(due),
        threshold=threshold if threshold is not None else settings.outlier_threshold,
    )
    if as_json:
        payload = {
            "plan": report.plan.id,
            "years": report.years,
            "by_region": report.by_region.to_dicts(),
            "by_indicator": report.by_indicator.to_dicts(),
            "outliers": report.outliers.to_dicts(),
            "other_units": report.other_units.to_dicts(),
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=1, default=str))
        return
    names = {code: region.name for code, region in divisions_by_code().items()}
    console = Console()
    table = Table(
        title=f"数据报送 Reporting · plan {report.plan.id} · {report.years[0]}–{report.years[-1]}"
    )
    for column in ("地区 region", "应报 expected", "已报 reported", "报送率", "按时率 on time"):
        table.add_column(column)
    for row in report.by_region.iter_rows(named=True):
        table.add_row(
            f"{names.get(row['region'], row['region'])} ({row['region']})",
            str(row["expected"]),
            str(row["reported"]),
            f"{row['reporting_rate']:.0%}",
            f"{row['on_time_rate']:.0%}",
        )
    console.print(table)
    if report.outliers.height:
        flagged = Table(
            title="异常值 Outliers (modified z-score; a question to the reporter, not a refusal)"
        )
        for column in ("指标", "地区", "年份", "数值", "z 地区间", "z 年度间"):
            flagged.add_column(column)
        for row in report.outliers.iter_rows(named=True):
            flagged.add_row(
                row["indicator"],
                names.get(row["region"], row["region"]),
                str(row["year"]),
                f"{row['value']:g}",
                "—" if row["z_regions"] is None else f"{row['z_regions']:.1f}",
                "—" if row["z_years"] is None else f"{row['z_years']:.1f}",
            )
        console.print(flagged)
    else:
        console.print("no outliers")
    if report.other_units.height:
        odd = Table(
            title="计量单位不符 Values in another quantity's unit (not judged: correct the value "
            "or the indicator's mapping)"
        )
        for column in ("指标", "地区", "年份", "数值", "填报单位", "指标单位"):
            odd.add_column(column)
        for row in report.other_units.iter_rows(named=True):
            odd.add_row(
                row["indicator"], names.get(row["region"], row["region"]), str(row["year"]),
                f"{row['value']:g}", row["unit"] or "—", row["wanted_unit"] or "—",
            )  # fmt: skip
        console.print(odd)


def register(app: typer.Typer) -> None:
    app.command("quality")(quality)
