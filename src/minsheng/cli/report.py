"""``minsheng report``: an evaluation report of a stored plan as Word, PDF, HTML or Excel."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from minsheng.cli.setup import progress_bar, settings_and_database
from minsheng.domain.errors import InvalidData

if TYPE_CHECKING:  # loaded when a command runs, not for --help
    pass


def _format_of(fmt: str | None, out: Path | None, default: str | None = None) -> str:
    from minsheng.reports import FORMATS

    chosen = fmt or (out.suffix.lstrip(".").lower() if out is not None and out.suffix else default)
    if chosen not in FORMATS:
        raise InvalidData(
            f"give --format ({', '.join(FORMATS)})" if chosen is None
            else f"unknown format {chosen!r}: one of {', '.join(FORMATS)}"
        )  # fmt: skip
    return chosen


def _file_name(plan_id: int, title: str, kind: str, year: int, fmt: str) -> str:
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", title).strip("_")[:60]
    return f"{plan_id:03d}_{safe}_{kind}_{year}.{fmt}"


def report(
    plan: Annotated[
        str | None, typer.Argument(help="A stored plan's id or title (or --all-plans).")
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(
            help="Evaluation year (default: mid-period for midterm, target year for final)."
        ),
    ] = None,
    kind: Annotated[
        str, typer.Option(help="annual (年度监测), midterm (中期评估) or final (总结评估).")
    ] = "final",
    region: Annotated[
        str | None,
        typer.Option(help="Report on this region (code or name; default: the plan's own)."),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="docx, pdf, html or xlsx (default: from --out)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="The file to write (a folder with --all-plans)."),
    ] = None,
    all_plans: Annotated[
        bool,
        typer.Option(
            "--all-plans", help="One report per stored plan, written into the --out folder."
        ),
    ] = False,
    published_only: Annotated[
        bool,
        typer.Option(
            "--published-only",
            help="A report for the public: published values only, as the public web pages "
            "and report downloads use (default: every stored value, drafts included).",
        ),
    ] = False,
) -> None:
    """Write an evaluation report: 总体情况, 主要指标完成情况, 区域均等化, 上下衔接, 数据质量, 基本公共服务标准, 存在问题, 下一步建议, 附录."""
    from minsheng.reports import write
    from minsheng.reports.build import build_report
    from minsheng.services.report_content import parse_kind, report_content, write_all

    report_kind = parse_kind(kind)
    if out is None:
        raise InvalidData("give --out (a file, or a folder with --all-plans)")
    _, db = settings_and_database()
    console = Console(stderr=True)
    if all_plans:
        if plan is not None or region is not None:
            raise InvalidData(
                "--all-plans reports every plan for its own region: drop PLAN/--region"
            )
        chosen = _format_of(fmt, None, "docx")
        out.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []

        def save(content) -> None:  # noqa: ANN001 - ReportContent
            name = _file_name(content.stored.id, content.title, kind, content.year, chosen)
            written.append(write(build_report(content), chosen, out / name))

        with progress_bar(console) as start:
            _, skipped = write_all(
                db, year, report_kind, save, start, published_only=published_only
            )
        Console().print(f"{len(written)} reports written to {out}")
        for line in skipped:
            console.print(f"[yellow]skipped {line}[/]")
        return
    if plan is None:
        raise InvalidData("name a plan (id or title), or give --all-plans")
    chosen = _format_of(fmt, out)
    if not out.parent.is_dir():
        raise InvalidData(f"no such folder: {out.parent}")
    ref = int(plan) if plan.isdigit() else plan
    if year is not None:
        from minsheng.services.evaluation import check_plan_year
        from minsheng.services.plans import get_plan

        check_plan_year(get_plan(db, ref), year)
    with console.status("evaluating and writing the report…"):
        content = report_content(
            db, ref, year, report_kind, region=region, published_only=published_only
        )
        write(build_report(content), chosen, out)
    Console().print(
        f"{content.title}{report_kind.label_zh} ({content.region_name}, {content.year}) → {out}"
    )


def register(app: typer.Typer) -> None:
    app.command("report")(report)
