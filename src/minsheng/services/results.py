"""Evaluation results kept in the store, for faces that read them often (the web app).

Evaluating a national plan judges every region under it; doing that on every page
view would be slow and would hide what was judged when. Instead each (plan, year)
is judged once, its calculation records saved (``evaluation_records``), and read
back from the store afterwards. Each record carries the *marks* it was computed from —
the highest observation id, which grows with every added value or correction because
observations are append-only, and the newest audited change to what plans ask of the
data (a row mapped or unmapped, a plan corrected, revised, added or deleted) — so a read
notices that either changed and re-judges that plan and year once (:func:`plan_results`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from minsheng.domain.errors import NotFound
from minsheng.domain.observations import ObservationStatus
from minsheng.services.evaluation import evaluate_plan, record_rows
from minsheng.services.plans import list_plans
from minsheng.store.database import Database
from minsheng.store.models import EvaluationRecordRow, ObservationVersionRow, PlanIndicatorRow
from minsheng.store.models.audit import AuditEventRow
from minsheng.store.models.regions import RegionRow
from minsheng.store.repositories import evaluation as evaluation_repo

MARK = "observations_mark"
PLANS_MARK = "plans_mark"
#: Audited actions that change which series a plan reads or what it asks of them.
DEFINING_ACTIONS = (
    "plan.add", "plan.version", "plan.correct", "plan.delete",
    "indicator.map", "indicator.unmap", "reported_below.set",
)  # fmt: skip
VIEW = (
    "view"  # in a record's inputs: "published" for the public's evaluation, absent for all values
)
PUBLISHED = "published"

#: Inputs kept in a record's JSON that faces show.
_SHOWN_INPUTS = ("part", "unit", "warning", "notice", "reason", "reason_zh", "polarity", "projected_linear",
                 "anticipated_ratio", "likely", "sdg_progress", "years_observed", "baseline_source",
                 "required_rate", "actual_rate", "judged_by", "judged_at", "nature", "domain_code",
                 "canonical_code")  # fmt: skip
_DESCRIBING = ("nature", "domain_code", "canonical_code")


@dataclass(frozen=True)
class Result:
    """One stored judgement of one plan indicator (or one part of it) for one region and year."""

    record_id: int
    plan_indicator_id: int
    indicator: (
        str  # the plan's wording; ``part`` (in inputs) tells the quantities of one cell apart
    )
    region: str
    region_name: str
    year: int
    status: str
    rho: float | None
    expected: float | None
    grade: str | None
    baseline: float | None
    target: float | None
    value: float | None
    baseline_year: int | None
    target_year: int | None
    value_year: int | None
    target_kind: str | None
    method: str | None
    computed_at: str
    inputs: dict[str, Any]

    @property
    def warning(self) -> bool:
        return bool(self.inputs.get("warning"))

    @property
    def notice(self) -> bool:
        return bool(self.inputs.get("notice"))

    @property
    def reason(self) -> str | None:
        reason = self.inputs.get("reason")
        return str(reason) if reason else None

    @property
    def reason_zh(self) -> str | None:
        """The reason in Chinese (None in records kept before the evaluation wrote it)."""
        reason = self.inputs.get("reason_zh")
        return str(reason) if reason else None


_lock = threading.Lock()
Marks = tuple[int, int]  # (observations mark, plans mark)
_fresh: dict[tuple[str, int, int, bool], Marks] = {}  # (url, plan, year, published) → marks


def observations_mark(db: Database, published_only: bool = False) -> int:
    """The highest observation id (of a published version or a withdrawal): it changes whenever
    any value is added, corrected or withdrawn (published), so records carrying an older mark
    are stale. A withdrawal counts in the published view whatever its status: it takes an
    earlier published version out of that view too."""
    o = ObservationVersionRow
    stmt = select(func.max(o.id))
    if published_only:
        stmt = stmt.where(or_(o.status == ObservationStatus.PUBLISHED.value, o.withdrawn))
    with db.session() as session:
        return int(session.scalar(stmt) or 0)


def plans_mark(db: Database) -> int:
    """The newest audited change to what plans ask of their data: a mapping confirmed or
    undone, a plan corrected or revised. Judgements older than it may read the wrong series
    (a mapped row reads the catalogue's) or judge against an old target."""
    with db.session() as session:
        stmt = select(func.max(AuditEventRow.id)).where(AuditEventRow.action.in_(DEFINING_ACTIONS))
        return int(session.scalar(stmt) or 0)


def current_marks(db: Database, published_only: bool = False) -> Marks:
    return observations_mark(db, published_only), plans_mark(db)


def _of_view(published_only: bool):  # noqa: ANN202 - a SQL condition
    """Records of one view: the public's (judged on published values only) or the full one."""
    view = EvaluationRecordRow.inputs[VIEW].as_string()
    return view == PUBLISHED if published_only else view.is_(None)


def refresh_plan_results(
    db: Database,
    plan_id: int,
    year: int,
    *,
    about_tolerance: float = 0.05,
    marks: Marks | None = None,
    published_only: bool = False,
) -> int:
    """Judge a plan at a year for every region it covers and keep the records; returns how many.

    ``published_only`` judges on published values alone: the evaluation the public reads,
    published together with the values (:func:`minsheng.services.reporting.publish_year`).
    """
    marks = current_marks(db, published_only) if marks is None else marks
    _, results = evaluate_plan(
        db, plan_id, year, about_tolerance=about_tolerance, published_only=published_only
    )
    rows = record_rows(results, plan_id)
    stamp = datetime.now(UTC)
    for row, result in zip(rows, results.iter_rows(named=True), strict=True):
        # what a face shows beside the figures, so a read needs no second look at the plan
        row.update({k: result.get(k) for k in _DESCRIBING})
        row[MARK], row[PLANS_MARK] = marks
        if published_only:
            row[VIEW] = PUBLISHED
        row["computed_at"] = stamp  # one stamp per run: how a read finds the newest run
    with db.session() as session:
        n = evaluation_repo.save_evaluation_records(session, rows)
    with _lock:
        _fresh[(db.url, plan_id, year, published_only)] = marks
    return n


def _newest_record(plan_id: int, year: int, published_only: bool) -> Select:
    """The id of the plan's newest evaluation record for the year (in the view asked for)."""
    return (
        select(func.max(EvaluationRecordRow.id))
        .join(PlanIndicatorRow, PlanIndicatorRow.id == EvaluationRecordRow.plan_indicator_id)
        .where(
            PlanIndicatorRow.plan_id == plan_id,
            EvaluationRecordRow.evaluation_year == year,
            _of_view(published_only),
        )
    )


def _stored_marks(db: Database, plan_id: int, year: int, published_only: bool) -> Marks | None:
    """The marks of the plan's latest records for the year (None: never judged at that year,
    or by a release that kept no plans mark)."""
    with db.session() as session:
        latest = session.scalar(_newest_record(plan_id, year, published_only))
        if latest is None:
            return None
        inputs = session.scalar(
            select(EvaluationRecordRow.inputs).where(EvaluationRecordRow.id == latest)
        )
    observed, planned = ((inputs or {}).get(key) for key in (MARK, PLANS_MARK))
    if not (isinstance(observed, int | float | str) and isinstance(planned, int | float | str)):
        return None
    return int(observed), int(planned)


def ensure_fresh(
    db: Database,
    plan_id: int,
    year: int,
    *,
    about_tolerance: float = 0.05,
    published_only: bool = False,
) -> None:
    """Re-judge the plan at the year when its records are missing or older than the data
    or than the plans' definitions."""
    marks = current_marks(db, published_only)
    key = (db.url, plan_id, year, published_only)
    with _lock:
        known = _fresh.get(key)
    if known == marks:
        return
    stored = _stored_marks(db, plan_id, year, published_only)
    if stored == marks:
        with _lock:
            _fresh[key] = marks
        return
    refresh_plan_results(
        db,
        plan_id,
        year,
        about_tolerance=about_tolerance,
        marks=marks,
        published_only=published_only,
    )


def plan_results(
    db: Database,
    plan_id: int,
    year: int,
    *,
    regions: list[str] | None = None,
    plan_indicator_id: int | None = None,
    about_tolerance: float = 0.05,
    published_only: bool = False,
) -> list[Result]:
    """The latest stored judgements of a plan at a year (refreshed first when stale).

    ``regions`` (codes) and ``plan_indicator_id`` narrow the read; results come in
    the plan's row order, then by region code. ``published_only`` reads the public's
    evaluation, judged on published values alone.
    """
    ensure_fresh(db, plan_id, year, about_tolerance=about_tolerance, published_only=published_only)
    with db.session() as session:
        region_ids = _region_ids(session, regions) if regions is not None else None
        newest = _newest_record(plan_id, year, published_only)
        if region_ids is not None:  # the newest run covers every region: look among those asked
            newest = newest.where(EvaluationRecordRow.region_id.in_(region_ids))
        latest_id = session.scalar(newest)
        if latest_id is None:
            return []
        # the newest run: every record of a refresh shares its computed_at stamp
        stamp = (
            select(EvaluationRecordRow.computed_at)
            .where(EvaluationRecordRow.id == latest_id)
            .scalar_subquery()
        )
        stmt = (
            select(EvaluationRecordRow, RegionRow.code, RegionRow.name, PlanIndicatorRow.name)
            .join(PlanIndicatorRow, PlanIndicatorRow.id == EvaluationRecordRow.plan_indicator_id)
            .join(RegionRow, RegionRow.id == EvaluationRecordRow.region_id)
            .where(
                PlanIndicatorRow.plan_id == plan_id,
                EvaluationRecordRow.evaluation_year == year,
                EvaluationRecordRow.computed_at == stamp,
                _of_view(published_only),
            )
            .order_by(PlanIndicatorRow.position, RegionRow.code, EvaluationRecordRow.id)
        )
        if plan_indicator_id is not None:
            stmt = stmt.where(EvaluationRecordRow.plan_indicator_id == plan_indicator_id)
        if regions is not None:
            # region ids first, so the lookup index (indicator, region, year) serves the read
            stmt = stmt.where(EvaluationRecordRow.region_id.in_(region_ids or []))
        rows = session.execute(stmt).all()
    return [_result(r, code, name, indicator) for r, code, name, indicator in rows]


def _region_ids(session: Session, codes: list[str]) -> list[int]:
    return list(session.scalars(select(RegionRow.id).where(RegionRow.code.in_(codes))))


def _result(r: EvaluationRecordRow, code: str, name: str, indicator: str) -> Result:
    inputs = dict(r.inputs or {})
    return Result(
        record_id=r.id,
        plan_indicator_id=r.plan_indicator_id,
        indicator=indicator,
        region=code,
        region_name=name,
        year=r.evaluation_year,
        status=r.status,
        rho=r.rho,
        expected=r.expected,
        grade=r.grade,
        baseline=r.baseline,
        target=r.target,
        value=r.value,
        baseline_year=r.baseline_year,
        target_year=r.target_year,
        value_year=r.value_year,
        target_kind=r.target_kind,
        method=r.method,
        computed_at=r.computed_at.isoformat() if r.computed_at else "",
        inputs={k: inputs[k] for k in _SHOWN_INPUTS if k in inputs},
    )


def bare_rows(db: Database, plan_id: int, year: int, regions: list[str]) -> int:
    """Read the newest run's record rows of some regions with no shaping (the load benchmark's
    baseline: the same rows :func:`plan_results` reads, by the same index); returns how many."""
    with db.session() as session:
        region_ids = _region_ids(session, regions)
        newest = (
            select(func.max(EvaluationRecordRow.id))
            .join(PlanIndicatorRow, PlanIndicatorRow.id == EvaluationRecordRow.plan_indicator_id)
            .where(
                PlanIndicatorRow.plan_id == plan_id,
                EvaluationRecordRow.evaluation_year == year,
                EvaluationRecordRow.region_id.in_(region_ids),
            )
        )
        stamp = select(EvaluationRecordRow.computed_at).where(
            EvaluationRecordRow.id == newest.scalar_subquery()
        )
        stmt = (
            select(EvaluationRecordRow.__table__)
            .join(PlanIndicatorRow, PlanIndicatorRow.id == EvaluationRecordRow.plan_indicator_id)
            .where(
                PlanIndicatorRow.plan_id == plan_id,
                EvaluationRecordRow.evaluation_year == year,
                EvaluationRecordRow.region_id.in_(region_ids),
                EvaluationRecordRow.computed_at == stamp.scalar_subquery(),
            )
        )
        return len(session.execute(stmt).all())


def refresh_all(db: Database, years: list[int], *, about_tolerance: float = 0.05) -> int:
    """Judge every stored plan at each year where its records are stale (e.g. after ``demo``)."""
    n = 0
    plans = list_plans(db)
    if not plans:
        raise NotFound("no plans stored")
    for summary in plans:
        if not summary.indicators:
            continue
        for year in years:
            ensure_fresh(db, summary.id, year, about_tolerance=about_tolerance)
            n += 1
    return n


def observation_sources(db: Database, plan_id: int, regions: list[str] | None = None) -> list[str]:
    """The distinct sources of the values a plan is judged on (the line under every map)."""
    with db.session() as session:
        ids = select(PlanIndicatorRow.id).where(PlanIndicatorRow.plan_id == plan_id)
        canon = select(PlanIndicatorRow.canonical_id).where(
            PlanIndicatorRow.plan_id == plan_id, PlanIndicatorRow.canonical_id.is_not(None)
        )
        stmt = (
            select(ObservationVersionRow.source, func.count())
            .where(
                ObservationVersionRow.plan_indicator_id.in_(ids)
                | ObservationVersionRow.canonical_id.in_(canon)
            )
            .group_by(ObservationVersionRow.source)
            .order_by(func.count().desc())
        )
        if regions is not None:
            stmt = stmt.join(RegionRow, RegionRow.id == ObservationVersionRow.region_id).where(
                RegionRow.code.in_(regions)
            )
        return [source or "—" for source, _ in session.execute(stmt).all()]
