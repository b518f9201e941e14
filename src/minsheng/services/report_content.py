"""What an evaluation report says, gathered once: the facts every renderer shares.

A report (annual monitoring, mid-term or final evaluation) is built from one
evaluation of one plan for one region, plus the alignment flags, the data
quality and — where the regions under it report — the spread between them.
This module only gathers those results; the wording lives in
:mod:`minsheng.reports.build` so that every number a reader sees comes from
the frames kept here (and tests check it against them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

import polars as pl

from minsheng.data.divisions import divisions_by_code
from minsheng.domain.errors import InvalidData, MinshengError, NotFound
from minsheng.domain.regions import Level, level_of_code
from minsheng.services.evaluation import align_plan, evaluate_plan
from minsheng.services.plans import StoredPlan, get_plan, list_plans, load_plan_observations
from minsheng.services.quality import QualityReport, plan_quality
from minsheng.services.regions import resolve_region
from minsheng.services.spread import spread_with_synthetic
from minsheng.services.standards_report import ReportStandards, report_standards
from minsheng.store.database import Database


class ReportKind(StrEnum):
    ANNUAL = "annual"  # 年度监测
    MIDTERM = "midterm"  # 中期评估
    FINAL = "final"  # 总结评估

    @property
    def label_zh(self) -> str:
        return {"annual": "年度监测报告", "midterm": "中期评估报告", "final": "总结评估报告"}[
            self.value
        ]


def parse_kind(text: str) -> ReportKind:
    try:
        return ReportKind(text)
    except ValueError:
        raise InvalidData(
            f"unknown report kind {text!r}: one of {', '.join(k.value for k in ReportKind)}"
        ) from None


@dataclass
class SpreadResult:
    """§7 measures of one indicator across the regions one level below the report's region."""

    indicator: str
    canonical_code: str
    table: pl.DataFrame  # year, regions, mean, cv, gini, theil_t, theil_l, max_min_ratio
    trend: pl.DataFrame  # year, gini, change, narrowed
    notes: list[str] = field(default_factory=list)
    synthetic: int = 0  # how many of the values measured are synthetic demo values


@dataclass
class ReportContent:
    """Everything one report states, as the services computed it."""

    stored: StoredPlan
    kind: ReportKind
    year: int
    region: str
    region_name: str
    results: pl.DataFrame  # the evaluation of the report's region, in the plan's row order
    values: pl.DataFrame  # indicator, year, value, version, source, status, synthetic, entered_at
    alignment_flags: pl.DataFrame
    alignment_notes: list[str]
    higher_title: str | None
    quality: QualityReport | None
    quality_note: str | None
    spreads: list[SpreadResult]
    made_on: date
    standards: ReportStandards | None = (
        None  # the plan's service list against the national standard
    )
    published_only: bool = False  # judged on published values alone (a report for the public)

    @property
    def title(self) -> str:
        return self.stored.title

    @property
    def period(self) -> tuple[int, int]:
        plan = self.stored.plan
        return plan.baseline_year or 2020, plan.target_year or 2025


def default_year(stored: StoredPlan, kind: ReportKind) -> int:
    """The year a mid-term or final evaluation looks at: mid-period (2023 of 2021–2025) or the target year.

    An annual report has no default: which year to monitor is the analyst's choice.
    """
    y0 = stored.plan.baseline_year or 2020
    yT = stored.plan.target_year or 2025
    if kind is ReportKind.FINAL:
        return yT
    if kind is ReportKind.MIDTERM:
        return y0 + (yT - y0 + 1) // 2
    raise InvalidData("an annual report needs --year")


def report_content(
    db: Database,
    plan_ref: int | str,
    year: int | None,
    kind: ReportKind | str,
    *,
    region: str | None = None,
    made_on: date | None = None,
    published_only: bool = False,
) -> ReportContent:
    """Evaluate a stored plan for one region (default: the plan's own) and gather the rest.

    ``published_only`` builds every part — verdicts, the values used, data quality and
    the spread between regions — from published values alone: the report a reader who
    may not see unreviewed values gets.
    """
    kind = parse_kind(kind) if isinstance(kind, str) else kind
    stored = get_plan(db, plan_ref)
    year = year if year is not None else default_year(stored, kind)
    if not stored.plan.indicators:
        raise InvalidData(f"plan {stored.id} ({stored.title}) has no indicators to report on")
    # the store's region tree, through the one resolver every door with a database uses
    code = resolve_region(db, region).code if region is not None else stored.region_code
    if code is None:
        raise InvalidData(f"plan {stored.id} names no region: give one with --region")
    _, evaluated = evaluate_plan(db, stored.id, year, published_only=published_only)
    results = evaluated.filter(pl.col("region") == code).sort("seq", "part", nulls_last=True)
    if results.height == 0:
        raise NotFound(f"plan {stored.id} is not judged for region {code} (nothing reported)")
    by_code = divisions_by_code()
    alignment = align_plan(db, stored.id)
    higher = alignment.higher.metadata.title if alignment.higher is not None else None
    try:
        quality = plan_quality(
            db,
            stored.id,
            years=stored.plan.monitored_years(year),
            regions=[code],  # the outliers, too, are this region's, in these years
            published_only=published_only,
        )
        quality_note = None
    except MinshengError as exc:
        quality, quality_note = None, exc.message
    return ReportContent(
        stored=stored,
        kind=kind,
        year=year,
        region=code,
        region_name=by_code[code].name if code in by_code else code,
        results=results,
        values=current_values(db, stored, code, year, published_only=published_only),
        alignment_flags=alignment.flags,
        alignment_notes=alignment.notes,
        higher_title=higher,
        quality=quality,
        quality_note=quality_note,
        spreads=_spreads(db, stored, code, year, published_only),
        made_on=made_on or date.today(),
        standards=report_standards(db, stored.id, code, year),
        published_only=published_only,
    )


def current_values(
    db: Database, stored: StoredPlan, region: str, year: int, *, published_only: bool = False
) -> pl.DataFrame:
    """The value of each (indicator, year up to ``year``) the evaluation used, with its
    source and version.

    Read by the evaluation's own reader
    (:func:`minsheng.services.plans.load_plan_observations`) for the one region, with
    the provenance columns added: the same latest version of the row's one series, in
    the row's unit, and nothing of another quantity. A second query with the same
    rules gave a second answer the day one rule changed and the other did not.
    """
    _, frame, _ = load_plan_observations(
        db, stored.id, region=region, provenance=True, published_only=published_only
    )
    return (
        frame.filter(pl.col("year") <= year)
        .select(
            "indicator",
            "plan_indicator_id",
            "year",
            "value",
            "version",
            "source",
            "status",
            "synthetic",
            "entered_at",
        )  # fmt: skip
        .sort("plan_indicator_id", "year")
    )


def _spreads(
    db: Database, stored: StoredPlan, region: str, year: int, published_only: bool = False
) -> list[SpreadResult]:
    """Spread of each mapped indicator over the regions one level below, where they report."""
    if level_of_code(region) is Level.COUNTY:
        return []
    out = []
    seen: set[str] = set()
    for indicator in stored.plan.indicators:
        code = indicator.canonical_code
        if not code or code in seen:
            continue
        seen.add(code)
        try:
            table, trend, notes, synthetic = spread_with_synthetic(
                db, code, region, year, published_only=published_only
            )
        except MinshengError:
            continue  # no region under this one reported it: nothing to compare
        if table.height and int(table.get_column("regions").max() or 0) >= 2:  # type: ignore[arg-type]
            out.append(SpreadResult(indicator.name, code, table, trend, notes, synthetic))
    return out


def reportable_plans(db: Database) -> list[int]:
    """Ids of the stored plans a report can be made for: those with indicators and a region."""
    return [s.id for s in list_plans(db) if s.indicators and s.region_code]


def write_all(
    db: Database,
    year: int | None,
    kind: ReportKind | str,
    write: Callable[[ReportContent], None],
    progress: Callable[[str, int], Callable[[int], None]] | None = None,
    *,
    published_only: bool = False,
) -> tuple[list[int], list[str]]:
    """One report per reportable plan, each handed to ``write``.

    Returns the plan ids written and, for any plan that could not be reported on,
    one line saying why (one plan's mistake does not stop the batch).
    """
    ids = reportable_plans(db)
    advance = progress("reports", len(ids)) if progress else (lambda _n: None)
    done, skipped = [], []
    for plan_id in ids:
        try:
            write(report_content(db, plan_id, year, kind, published_only=published_only))
            done.append(plan_id)
        except MinshengError as exc:
            skipped.append(f"plan {plan_id}: {exc.message}")
        advance(1)
    return done, skipped
