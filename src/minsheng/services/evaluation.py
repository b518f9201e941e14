"""Evaluate a stored plan: read it and its observations from the store, judge, keep the record."""

from __future__ import annotations

import polars as pl

from minsheng.analytics.evaluation import evaluate
from minsheng.analytics.specs import specs_frame
from minsheng.data.divisions import divisions_by_code
from minsheng.domain.plans import Plan
from minsheng.services.plans import load_plan_for_evaluation
from minsheng.settings import Settings
from minsheng.store.database import Database


def plan_specs(plan: Plan, plan_label: str | None = None) -> pl.DataFrame:
    return specs_frame(
        plan.indicators,
        baseline_year=plan.baseline_year or 2020,
        target_year=plan.target_year or 2025,
        plan=plan_label or plan.metadata.title or plan.source_file,
    )


def evaluate_plan(
    db: Database,
    plan_ref: int | str,
    year: int,
    *,
    region: str | None = None,
    about_tolerance: float = 0.05,
) -> tuple[Plan, pl.DataFrame]:
    """Judge a stored plan's indicators for every region it has observations for.

    With no observations at all, the plan's own region is judged (every row no_data).
    """
    plan, obs = load_plan_for_evaluation(db, plan_ref)
    specs = plan_specs(plan)
    regions = None
    if region is not None:
        obs = obs.filter(pl.col("region") == region)
        regions = [region]
    elif obs.height == 0 and plan.metadata.region_code:
        regions = [plan.metadata.region_code]
    results = evaluate(
        specs,
        obs.select("indicator", "region", "year", "value"),
        year,
        regions=regions,
        about_tolerance=about_tolerance,
    )
    by_code = divisions_by_code()
    names = {
        c: (by_code[c].name if c in by_code else c)
        for c in results.get_column("region").unique().to_list()
    }
    return plan, results.with_columns(
        pl.col("region").replace_strict(names, default=pl.col("region")).alias("region_name")
    )


def evaluate_stored_plan(
    settings: Settings, plan_ref: str, year: int, *, region: str | None = None
) -> pl.DataFrame:
    """The CLI's database mode: a plan id (digits) or title."""
    db = Database(settings.database_url)
    ref: int | str = int(plan_ref) if plan_ref.isdigit() else plan_ref
    _plan, results = evaluate_plan(
        db, ref, year, region=region, about_tolerance=settings.about_tolerance
    )
    return results
