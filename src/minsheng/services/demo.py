"""``minsheng demo``: build the demo database from real plans and real statistics, then judge it.

The demo reads every plan document of the shared corpus, links each plan to the
plan of its nearest higher region, stores the real national statistics against
the catalogue indicators they measure, fills the gaps with synthetic data
(labelled as such) and evaluates every plan. It is the whole product path —
ingest, store, evaluate — run end to end on real material.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from minsheng.data.catalogue import load_catalogue
from minsheng.data.divisions import divisions_by_code
from minsheng.domain.errors import NotFound
from minsheng.domain.observations import Observation, ObservationStatus
from minsheng.domain.regions import Level, ancestry
from minsheng.domain.years import check_year
from minsheng.ingest.documents.catalogue_matching import match_indicators
from minsheng.ingest.documents.document import read_plan
from minsheng.services.demo_data import (
    SYNTHETIC_SOURCE,
    baseline_observations,
    read_statistics,
    synthetic_observations,
    synthetic_populations,
)
from minsheng.services.mapping import reads_as_plan
from minsheng.services.observations import add_observations
from minsheng.services.plans import (
    get_plan,
    list_plans,
    save_extracted_plan,
    set_higher_plan,
)
from minsheng.services.regions import get_populations, set_populations
from minsheng.services.setup import InitResult, init_database
from minsheng.services.target_plans import load_national_targets
from minsheng.store.database import Database
from minsheng.store.repositories.populations import Population

Progress = Callable[[str, int], Callable[[int], None]]
DOCUMENT_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")


@dataclass(frozen=True)
class DemoPlan:
    id: int
    title: str
    region_code: str | None
    region_name: str | None
    level: str | None
    indicators: int
    mapped: int
    confidence: float
    higher_plan_id: int | None
    source: str


@dataclass
class DemoBuild:
    init: InitResult
    plans: list[DemoPlan] = field(default_factory=list)
    real_observations: int = 0
    baseline_observations: int = 0  # plans' baseline columns, as their regions' values
    synthetic_observations: int = 0
    skipped_statistics: list[str] = field(default_factory=list)
    unmatched_statistics: list[str] = field(default_factory=list)
    ingest_warnings: dict[str, list[str]] = field(default_factory=dict)
    targets_plan_id: int | None = None
    not_plans: list[str] = field(default_factory=list)  # documents with none of a plan's marks
    same_plan: dict[str, int] = field(default_factory=dict)  # document -> the plan it repeats


def find_shared_dir(explicit: Path | None = None, env: dict[str, str] | None = None) -> Path:
    """The shared material: an explicit path, ``MINSHENG_SHARED_DIR``, or ``../shared`` beside the checkout."""
    import os

    env = dict(os.environ if env is None else env)
    named = explicit or (
        Path(env["MINSHENG_SHARED_DIR"]) if env.get("MINSHENG_SHARED_DIR") else None
    )
    if named is not None:  # a folder the user named is that folder, or an error: never another
        if not (named / "corpus").is_dir():
            raise NotFound(f"{named}: not the shared material (a folder with corpus/ and data/)")
        return named
    candidates: list[Path] = []
    here = Path(__file__).resolve()
    candidates += [parent / "shared" for parent in here.parents[2:5]]
    candidates.append(Path.cwd().parent / "shared")
    for path in candidates:
        if path and (path / "corpus").is_dir():
            return path
    raise NotFound(
        "no shared material found (a folder with corpus/ and data/): "
        "put it beside the repository as ../shared or set MINSHENG_SHARED_DIR"
    )


def _noop(_step: str, _total: int) -> Callable[[int], None]:
    return lambda _n: None


def build_demo(
    db: Database, shared: Path, progress: Progress | None = None, seed: int = 2025
) -> DemoBuild:
    """Build (or refresh) the demo database; safe to run twice: plans already stored are kept."""
    progress = progress or _noop
    build = DemoBuild(init=init_database(db, progress))

    documents = sorted(
        p for p in (shared / "corpus").iterdir() if p.suffix.lower() in DOCUMENT_SUFFIXES
    )
    advance = progress("plans", len(documents))
    stored_ids: list[int] = []
    confidence: dict[int, float] = {}
    for path in documents:
        extraction = read_plan(path)
        advance(1)
        if not reads_as_plan(extraction):  # a news story, a standard's contents
            build.not_plans.append(path.name)
            continue
        stored = save_extracted_plan(db, extraction, if_exists="keep")
        if stored.id in confidence:  # another copy of a plan read already (its head, say)
            build.same_plan[path.name] = stored.id
            continue
        stored_ids.append(stored.id)
        confidence[stored.id] = extraction.confidence
        build.ingest_warnings[path.name] = list(extraction.warnings)
    _link_higher_plans(db, stored_ids)
    # the national 2030 targets (a partial plan): the level above for every draft of the next plan
    build.targets_plan_id = load_national_targets(db).id

    fresh = _plans_without_observations(db, stored_ids)
    statistics = shared / "data" / "national_observations.csv"
    national = [s for s in list_plans(db) if s.id in fresh and s.level == Level.NATIONAL.value]
    if statistics.is_file() and national:
        real, skipped, unmatched = _national_statistics(statistics)
        build.skipped_statistics, build.unmatched_statistics = skipped, unmatched
        if real:
            # the builder writes as the system itself (user None), not as an account: a
            # database built before already holds accounts, and "demo" is none of them
            added, _, _ = add_observations(db, None, real, user=None)
            build.real_observations = added

    _synthetic_populations(db, stored_ids, seed)

    # each plan's baselines are its region's values in the baseline year: any plan
    # judging that region finds them (one series per indicator, region and year)
    for plan_id in fresh:
        stored = get_plan(db, plan_id)
        if stored.region_code:
            baselines = baseline_observations(
                stored.plan.indicators,
                stored.region_code,
                stored.title,
                stored.plan.baseline_year,
            )
            if baselines:
                build.baseline_observations += add_observations(
                    db, plan_id, baselines, user=None, only_missing=True
                )[0]

    advance = progress("synthetic data", len(fresh))
    for plan_id in fresh:
        stored = get_plan(db, plan_id)
        synthetic = synthetic_observations(
            stored.plan.indicators,
            _demo_regions(stored.region_code),
            # from the baseline year: a region without a real baseline gets a (labelled) one
            range(2020, 2026),
            seed=seed + plan_id,
        )
        if synthetic:
            # plans naming one canonical indicator share its series: generated values
            # only fill what no statistic and no other plan's data holds
            added, _, _ = add_observations(db, plan_id, synthetic, user=None, only_missing=True)
            build.synthetic_observations += added
        advance(1)

    by_id = {s.id: s for s in list_plans(db)}
    for plan_id in stored_ids:
        summary = by_id[plan_id]
        stored = get_plan(db, plan_id)
        build.plans.append(
            DemoPlan(
                id=plan_id,
                title=summary.title,
                region_code=summary.region_code,
                region_name=summary.region_name,
                level=summary.level,
                indicators=summary.indicators,
                mapped=summary.mapped,
                confidence=confidence[plan_id],
                higher_plan_id=summary.higher_plan_id,
                source=Path(stored.plan.source_file or "").name,
            )
        )
    return build


def _link_higher_plans(db: Database, plan_ids: list[int]) -> None:
    """Each plan's higher plan is the stored plan of its nearest ancestor region (same period)."""
    by_code = divisions_by_code()
    summaries = {s.id: s for s in list_plans(db)}
    for plan_id in plan_ids:
        plan = summaries[plan_id]
        if plan.higher_plan_id is not None or not plan.region_code:
            continue
        chain = [r.code for r in ancestry(plan.region_code, by_code)[1:]]
        for code in chain:
            higher = [
                s
                for s in summaries.values()
                if s.region_code == code and s.id != plan_id and s.period_end == plan.period_end
            ]
            if higher:
                set_higher_plan(db, plan_id, higher[0].id)
                break


def _synthetic_populations(db: Database, plan_ids: list[int], seed: int) -> None:
    """Populations for every region the demo judges, where none are stored yet (labelled synthetic)."""
    regions = sorted(
        {code for pid in plan_ids for code in _demo_regions(get_plan(db, pid).region_code)}
    )
    known = {p.region_code for p in get_populations(db, regions)}
    missing = [code for code in regions if code not in known]
    if missing:
        rows = synthetic_populations(missing, range(2020, 2026), seed)
        set_populations(
            db,
            [
                Population(code, year, persons, SYNTHETIC_SOURCE, synthetic=True)
                for code, year, persons in rows
            ],
        )


def _plans_without_observations(db: Database, plan_ids: list[int]) -> list[int]:
    from minsheng.services.plans import load_plan_for_evaluation

    return [pid for pid in plan_ids if load_plan_for_evaluation(db, pid)[1].height == 0]


def _demo_regions(region_code: str | None) -> list[str]:
    """Who a plan is judged for in the demo: a national plan for every province, else the region itself."""
    if region_code is None:
        return []
    by_code = divisions_by_code()
    region = by_code.get(region_code)
    if region is not None and region.level is Level.NATIONAL:
        return sorted(r.code for r in by_code.values() if r.level is Level.PROVINCE)
    return [region_code]


def _national_statistics(path: Path) -> tuple[list[Observation], list[str], list[str]]:
    """Real statistics as observations of the national region, keyed by canonical code."""
    rows, skipped = read_statistics(path)
    unit_of = {r.indicator: r.unit for r in reversed(rows)}  # the first row's unit for each name
    names = sorted(unit_of)
    matches = {
        m.name: m
        for m in match_indicators(names, load_catalogue(), units=[unit_of[n] for n in names])
    }
    unmatched = sorted(n for n, m in matches.items() if not m.matched)
    observations = [
        Observation(
            indicator=matches[r.indicator].code or "",
            region_code=r.region,
            year=r.year,
            value=r.value,
            bound=r.bound,
            unit=r.unit,
            source=r.source,
            synthetic=False,
            status=ObservationStatus.PUBLISHED,
            entered_by="demo",
            note=r.note,
        )
        for r in rows
        if matches[r.indicator].matched
    ]
    return observations, skipped, unmatched


def observation_counts(frame: pl.DataFrame) -> dict[str, int]:
    """Real and synthetic values in an evaluation frame (for the demo's banner)."""
    if frame.height == 0 or "synthetic" not in frame.columns:
        return {"real": 0, "synthetic": 0}
    synthetic = int(frame.get_column("synthetic").fill_null(False).sum())
    return {"real": frame.height - synthetic, "synthetic": synthetic}


@dataclass
class PlanEvaluation:
    """One plan judged at one year, with where its data came from."""

    plan: DemoPlan
    results: pl.DataFrame
    synthetic_regions: set[str]


def evaluate_demo(
    db: Database, build: DemoBuild, year: int, about_tolerance: float = 0.05
) -> list[PlanEvaluation]:
    """Judge every demo plan at ``year``; note which regions' values are synthetic."""
    year = check_year(year, "year")
    from minsheng.services.evaluation import evaluate_plan
    from minsheng.services.plans import load_plan_for_evaluation

    out = []
    for plan in build.plans:
        _, results = evaluate_plan(db, plan.id, year, about_tolerance=about_tolerance)
        _, observations = load_plan_for_evaluation(db, plan.id)
        synthetic = set(
            observations.filter(pl.col("synthetic").fill_null(False))
            .get_column("region")
            .unique()
            .to_list()
        )
        out.append(PlanEvaluation(plan, results, synthetic))
    return out
