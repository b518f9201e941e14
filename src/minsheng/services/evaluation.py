"""Store-backed evaluation use cases: evaluate a stored plan, align it (the spread: services.spread).

Each reads what it needs from the store in one session, hands plain frames to
the analytics kernels and returns their frames; nothing here prints.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import polars as pl

from minsheng.analytics.alignment import align
from minsheng.analytics.evaluation import evaluate
from minsheng.analytics.rollups import stack_levels
from minsheng.analytics.specs import specs_frame
from minsheng.data.divisions import divisions_by_code
from minsheng.domain.errors import InvalidData
from minsheng.domain.plans import Plan
from minsheng.domain.regions import Level, level_of_code
from minsheng.domain.years import check_year
from minsheng.services.plans import StoredPlan, get_plan, list_plans, load_plan_for_evaluation
from minsheng.services.regions import resolve_region
from minsheng.settings import Settings
from minsheng.store.database import Database
from minsheng.store.repositories import evaluation as evaluation_repo


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


def check_plan_year(stored: StoredPlan, year: int) -> int:
    """A year a user names for judging a plan lies in its period: before it there is nothing
    to judge (the reasons read "no value in 2021–2019"), after it the plan has ended (a final
    report "based on data up to 2031" for a 2021–2025 plan)."""
    start, end = stored.plan.metadata.period_start, stored.plan.metadata.period_end
    if start is not None and end is not None and not start <= year <= end:
        raise InvalidData(
            f"year {year} is outside plan {stored.id}'s period {start}–{end}",
            message_zh=f"{year}年不在规划 {stored.id} 的规划期（{start}—{end}年）内",
        )
    return year


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
        check_plan_year(get_plan(db, _ref(plan_ref)), year)
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
