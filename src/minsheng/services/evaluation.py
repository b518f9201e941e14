"""Store-backed evaluation use cases: evaluate a stored plan, align it, measure spread.

Each reads what it needs from the store in one session, hands plain frames to
the analytics kernels and returns their frames; nothing here prints.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from sqlalchemy import select

from minsheng.analytics.alignment import align
from minsheng.analytics.evaluation import evaluate
from minsheng.analytics.inequality import gap_trend, spread
from minsheng.analytics.rollups import stack_levels
from minsheng.analytics.specs import specs_frame
from minsheng.data.divisions import divisions_by_code, load_divisions
from minsheng.domain.errors import InvalidData, NotFound
from minsheng.domain.plans import Plan
from minsheng.domain.regions import Level, ancestry, level_of_code
from minsheng.domain.years import check_year
from minsheng.services.plans import get_plan, list_plans, load_plan_for_evaluation
from minsheng.services.regions import level_named, resolve_region
from minsheng.settings import Settings
from minsheng.store.database import Database
from minsheng.store.models import PlanIndicatorRow
from minsheng.store.repositories import catalogue as catalogue_repo
from minsheng.store.repositories import evaluation as evaluation_repo
from minsheng.store.repositories import observations as observations_repo
from minsheng.store.repositories import populations as populations_repo


def plan_specs(plan: Plan, plan_label: str | None = None) -> pl.DataFrame:
    """The plan's spec table; its own region is recorded, so another region gets its own baseline."""
    return specs_frame(
        plan.indicators,
        baseline_year=plan.baseline_year or 2020,
        target_year=plan.target_year or 2025,
        plan=plan_label or plan.metadata.title or plan.source_file,
        plan_region=plan.metadata.region_code,
    )


def _with_region_names(results: pl.DataFrame) -> pl.DataFrame:
    by_code = divisions_by_code()
    codes = results.get_column("region").unique().to_list()
    names = {c: (by_code[c].name if c in by_code else c) for c in codes}
    return results.with_columns(
        pl.col("region").replace_strict(names, default=pl.col("region")).alias("region_name")
    )


def evaluate_plan(
    db: Database,
    plan_ref: int | str,
    year: int,
    *,
    region: str | None = None,
    about_tolerance: float = 0.05,
    published_only: bool = False,
) -> tuple[Plan, pl.DataFrame]:
    """Judge a stored plan for its own region and every region under it that reported.

    Figures of other regions (a higher level's, reaching the plan through a shared
    catalogue indicator) are left out; the plan's own region is always in the result.
    With ``region`` (any region in the plan's subtree) the plan is judged for that
    region alone, on that region's values; its baseline is the region's own
    baseline-year value where observed, else the plan's (``baseline_source``).
    """
    year = check_year(year, "year")
    plan, obs = load_plan_for_evaluation(db, plan_ref, published_only=published_only)
    specs = plan_specs(plan)
    regions = None
    if region is not None:
        code = resolve_region(db, region).code
        own = plan.metadata.region_code
        if own and not _inside(code, own):
            raise InvalidData(
                f"region {code} is not within the plan's region {own}: "
                "a plan is judged for its own region and the regions under it"
            )
        obs = obs.filter(pl.col("region") == code)
        regions = [code]
    elif plan.metadata.region_code:
        # a plan speaks for its own region and the regions under it, never for a neighbour
        # or a higher level whose figures reach it through a shared catalogue indicator
        obs = obs.filter(_within(pl.col("region"), plan.metadata.region_code))
        # the plan's own region is always judged, with no_data where nothing was reported
        regions = sorted({plan.metadata.region_code, *obs.get_column("region").unique().to_list()})
    results = evaluate(
        specs,
        obs.select("indicator", "region", "year", "value", "bound"),
        year,
        regions=regions,
        about_tolerance=about_tolerance,
    )
    return plan, _with_region_names(results)


def _inside(code: str, root: str) -> bool:
    """Whether region ``code`` lies in ``root``'s subtree (the GB/T 2260 prefix rule)."""
    return bool(pl.select(_within(pl.lit(code), root)).item())


def _within(region: pl.Expr, code: str) -> pl.Expr:
    """Regions inside ``code`` by the GB/T 2260 prefix rule (province 2, prefecture 4 digits)."""
    level = level_of_code(code)
    if level is Level.NATIONAL:
        return pl.lit(True)
    prefix = {Level.PROVINCE: 2, Level.PREFECTURE: 4, Level.COUNTY: 6}[level]
    return region.str.starts_with(code[:prefix])


#: Result columns kept as the record's own columns; every other one goes to its inputs JSON.
_RECORD = {
    "name": "indicator",
    "region": "region",
    "year": "evaluation_year",
    "status": "status",
    "rho": "rho",
    "expected": "expected",
    "grade": "grade",
    "baseline": "baseline",
    "target": "target",
    "value": "value",
    "y0": "baseline_year",
    "yT": "target_year",
    "data_year": "value_year",
    "target_kind": "target_kind",
    "method": "method",
}
_INPUTS = (
    "part", "unit", "polarity", "polarity_inferred", "elapsed", "warning", "notice", "projected_linear",
    "anticipated_ratio", "likely", "sdg_progress", "years_observed", "years_held", "total", "mean",
    "required_rate", "actual_rate", "baseline_source", "reason", "reason_zh", "judged_by",
    "judged_at",
)  # fmt: skip


def record_rows(results: pl.DataFrame, plan_id: int) -> list[dict[str, object]]:
    """The calculation record of each result, in the shape the store keeps it."""
    rows = []
    for r in results.iter_rows(named=True):
        row: dict[str, object] = {"plan_id": plan_id}
        row.update({dst: r[src] for src, dst in _RECORD.items()})
        row.update({k: r[k] for k in _INPUTS if k in r})
        rows.append(row)
    return rows


def save_records(
    db: Database, results: pl.DataFrame, plan_id: int, *, published_only: bool = False
) -> int:
    """Keep every result's calculation record (an audit trail: each run adds its own).

    ``published_only``: the results were judged on published values alone, so the records
    join the public's view (:mod:`minsheng.services.results`), not the one on every value.
    """
    rows = record_rows(results, plan_id)
    if published_only:
        from minsheng.services.results import PUBLISHED, VIEW

        for row in rows:
            row[VIEW] = PUBLISHED
    with db.session() as session:
        return evaluation_repo.save_evaluation_records(session, rows)


def _ref(plan_ref: str) -> int | str:
    return int(plan_ref) if plan_ref.isdigit() else plan_ref


def evaluate_stored_plan(
    settings: Settings,
    plan_ref: str,
    year: int,
    *,
    region: str | None = None,
    record: bool = True,
    with_lower: bool = False,
    beside_own: bool = False,
    published_only: bool = False,
) -> pl.DataFrame:
    """The CLI's database mode: a plan id (digits) or title; keeps the calculation record.

    ``with_lower`` gives the multi-level view instead (:func:`evaluate_plan_family`);
    ``beside_own`` (with ``region``) adds the region's own plan's verdicts
    (:func:`minsheng.services.region_view.beside_own_plan`; no record is kept).
    ``published_only`` judges on published values alone, as the public pages do; by
    default every stored value counts (drafts and values under review included).
    """
    year = check_year(year, "year")
    db, tol = Database.from_settings(settings), settings.about_tolerance
    try:
        if with_lower:
            return evaluate_plan_family(db, _ref(plan_ref), year, published_only=published_only)
        if beside_own:
            if region is None:
                raise InvalidData("setting a region's own plan beside needs --region")
            from minsheng.services.region_view import beside_own_plan

            return beside_own_plan(db, _ref(plan_ref), year, region, about_tolerance=tol,
                                   published_only=published_only)  # fmt: skip
        stored = get_plan(db, _ref(plan_ref))
        results = evaluate_plan(db, stored.id, year, region=region, about_tolerance=tol,
                                published_only=published_only)[1]  # fmt: skip
        if record and results.height:
            save_records(db, results, stored.id, published_only=published_only)
        return results
    finally:
        db.dispose()


def evaluate_plan_family(
    db: Database, plan_ref: int | str, year: int, *, published_only: bool = False
) -> pl.DataFrame:
    """The multi-level view: a plan and every stored plan below it, each judged on its own targets.

    Lower plans are those whose chain of higher-level plans leads to ``plan_ref``
    (a province's plan, its prefectures' and their counties'). Each plan is
    judged for its own region only; the frames are stacked top-down with
    ``plan_title``, ``level`` and ``plan_region`` (:func:`stack_levels`).
    """
    year = check_year(year, "year")
    root = get_plan(db, plan_ref)
    summaries = list_plans(db)
    children: dict[int, list[int]] = {}
    for summary in summaries:
        if summary.higher_plan_id is not None:
            children.setdefault(summary.higher_plan_id, []).append(summary.id)
    family, frontier = [root.id], [root.id]
    while frontier:
        frontier = [c for p in frontier for c in children.get(p, []) if c not in family]
        family.extend(frontier)
    evaluations = []
    for plan_id in family:
        stored = get_plan(db, plan_id)
        plan, results = evaluate_plan(
            db, plan_id, year, region=stored.region_code, published_only=published_only
        )
        title = plan.metadata.title or f"plan {plan_id}"
        level = plan.metadata.level.value if plan.metadata.level else None
        evaluations.append(
            ({"title": title, "level": level, "region_code": stored.region_code}, results)
        )
    return stack_levels(evaluations)


@dataclass
class Alignment:
    plan: Plan
    higher: Plan | None
    flags: pl.DataFrame
    notes: list[str] = field(default_factory=list)
    notes_zh: list[str] = field(default_factory=list)  # the same notes in Chinese, one for one


def align_plan(db: Database, plan_ref: int | str, *, factor: float = 1.5) -> Alignment:
    """§6 flags for a stored plan: against its higher-level plan and its region's history."""
    if not (math.isfinite(factor) and factor > 0):
        raise InvalidData(f"--factor must be a positive number, not {factor}")
    stored = get_plan(db, plan_ref)
    plan, obs = load_plan_for_evaluation(db, stored.id)
    notes: list[str] = []
    notes_zh: list[str] = []
    higher_specs = None
    higher_plan = None
    if plan.higher_plan_id is not None:
        higher_plan = get_plan(db, plan.higher_plan_id).plan
        higher_specs = plan_specs(higher_plan)
    else:
        notes.append(
            "no higher-level plan recorded: only the history is compared (set one with `minsheng plans`)"
        )
        notes_zh.append("未记录上级规划：只与本地区历史比较（可用 minsheng plans 设定上级规划）")
    region = stored.region_code
    history = obs.select("indicator", "region", "year", "value") if obs.height and region else None
    if history is None:
        notes.append(
            "no observations of the plan's own region before its baseline year: no history comparison"
        )
        notes_zh.append("本地区基期以前无监测数据：未与历史增速比较")
    flags = align(plan_specs(plan), higher_specs, history=history, region=region, factor=factor)
    return Alignment(plan, higher_plan, flags, notes, notes_zh)


def _descendants(under: str, level: Level | None) -> tuple[list[str], Level]:
    by_code = divisions_by_code()
    top = level_of_code(under)
    if top is Level.COUNTY:
        raise InvalidData("a county has no regions under it to compare")
    target = level or list(Level)[top.rank + 1]
    if target.rank <= top.rank:
        raise InvalidData(f"{target.value} is not below {top.value}")
    codes = [
        r.code
        for r in load_divisions()
        if r.level is target and any(a.code == under for a in ancestry(r.code, by_code)[1:])
    ]
    return codes, target


def _spread_observations(
    db: Database, indicator: str, under: str, year: int, level: Level | None
) -> tuple[pl.DataFrame, list[str], Level, list[Any]]:
    """The values a spread is computed from: the latest version per (region, year) of the
    regions at ``level`` under ``under``, with their synthetic flag; (obs, codes, level, pops)."""
    codes, target = _descendants(under, level)
    with db.session() as session:
        canonical = catalogue_repo.canonical_row(session, indicator)
        plan_ids = list(
            session.scalars(
                select(PlanIndicatorRow.id).where(PlanIndicatorRow.canonical_id == canonical.id)
            )
        )
        columns = observations_repo.scan_columns(session, plan_ids, [canonical.id])
        pops = populations_repo.populations(session, codes)
    raw = pl.DataFrame(
        {
            k: columns[k]
            for k in ("region_code", "year", "value", "version", "plan_indicator_id", "synthetic")
        },
        schema={
            "region_code": pl.Utf8,
            "year": pl.Int64,
            "value": pl.Float64,
            "version": pl.Int64,
            "plan_indicator_id": pl.Int64,
            "synthetic": pl.Boolean,
        },
    )
    # the latest version of each (region, year); a series kept under the canonical code wins over a plan's own
    obs = (
        raw.filter(pl.col("region_code").is_in(codes) & (pl.col("year") <= year))
        .sort(["plan_indicator_id", "version"], descending=[False, True], nulls_last=False)
        .unique(["region_code", "year"], keep="first", maintain_order=True)
        .rename({"region_code": "region"})
    )
    if obs.height == 0:
        raise NotFound(
            f"no observations of {canonical.code} for regions under {under} up to {year}"
        )
    return obs, codes, target, list(pops)


def spread_synthetic_values(
    db: Database, indicator: str, under: str, year: int, *, level: Level | str | None = None
) -> int:
    """How many of the values :func:`indicator_spread` uses are synthetic (demo) values, so a
    report on the spread can say so."""
    code = resolve_region(db, under).code
    obs, *_ = _spread_observations(
        db, indicator, code, check_year(year, "year"), level_named(level)
    )
    return int(obs.get_column("synthetic").fill_null(False).sum())


def indicator_spread(
    db: Database, indicator: str, under: str, year: int, *, level: Level | str | None = None
) -> tuple[pl.DataFrame, pl.DataFrame, list[str]]:
    """§7 measures, year by year up to ``year``, for one canonical indicator across regions.

    Regions are those at ``level`` (default: one below) under ``under`` (a code or a
    name, resolved by the one region resolver as every other door does); when that
    is two levels below, the Theil decomposition groups them by their parent.
    Returns (spread per year, the gap trend of the Gini, notes).
    """
    year = check_year(year, "year")
    level = level_named(level)
    under = resolve_region(db, under).code
    obs, codes, target, pops = _spread_observations(db, indicator, under, year, level)
    by_code = divisions_by_code()
    obs = obs.drop("synthetic")
    notes = []
    pop = pl.DataFrame(
        [(p.region_code, p.year, float(p.population)) for p in pops],
        schema={"region": pl.Utf8, "pop_year": pl.Int64, "population": pl.Float64},
        orient="row",
    )
    # the population of the nearest year at or before the data year, else the earliest known
    if pop.height:
        nearest = (
            obs.select("region", "year")
            .unique()
            .join(pop, on="region")
            .filter(pl.col("pop_year") <= pl.col("year"))
            .sort("pop_year")
            .group_by("region", "year")
            .agg(pl.col("population").last())
        )
        obs = obs.join(nearest, on=["region", "year"], how="left")
        fill = (
            pop.sort("pop_year")
            .group_by("region")
            .agg(pl.col("population").first().alias("_first"))
        )
        obs = obs.join(fill, on="region", how="left").with_columns(
            pl.coalesce("population", "_first").alias("population")
        )
    if pop.height == 0 or obs.get_column("population").null_count():
        notes.append(
            "populations missing for some regions: measures are unweighted (every region counts once)"
        )
        obs = obs.with_columns(pl.lit(1.0).alias("population"))
    group = None
    if target.rank - level_of_code(under).rank >= 2:
        parent_level = list(Level)[level_of_code(under).rank + 1]
        parent = {
            c: next((a.code for a in ancestry(c, by_code) if a.level is parent_level), c)
            for c in codes
        }
        obs = obs.with_columns(
            pl.col("region").replace_strict(parent, default=pl.col("region")).alias("group")
        )
        group = "group"
    table = spread(obs, value="value", weight="population", by=("year",), group=group)
    return table, gap_trend(table, "gini"), notes
