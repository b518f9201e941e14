"""Plans with their indicator rows, service lists and key projects, as domain objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from minsheng.domain.errors import InvalidData, NotFound
from minsheng.domain.indicators import Nature, PlanIndicator, Polarity
from minsheng.domain.plans import KeyProject, OutlineNode, Plan, PlanMetadata, ServiceListEntry
from minsheng.domain.regions import Level
from minsheng.domain.service_domains import DOMAINS_BY_CODE, classify_domain
from minsheng.domain.targets import Target, parse_target
from minsheng.names import RegionIndex
from minsheng.store.models import (
    CanonicalIndicatorRow,
    KeyProjectRow,
    PlanIndicatorRow,
    PlanRow,
    PlanServiceRow,
    RegionRow,
)
from minsheng.store.repositories.regions import all_regions, region_row


@dataclass(frozen=True)
class StoredPlan:
    """A plan as kept in the store: its id, the domain Plan, and its indicator rows' ids."""

    id: int
    plan: Plan
    indicator_ids: tuple[int, ...]  # parallel to plan.indicators
    region_code: str | None
    created_at: datetime | None
    project_ids: tuple[int, ...] = ()  # parallel to plan.projects
    # what storing this document changed in a plan stored before (a new version), in words
    changes: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return self.plan.metadata.title or f"plan {self.id}"


@dataclass(frozen=True)
class PlanSummary:
    id: int
    title: str
    region_code: str | None
    region_name: str | None
    level: str | None
    period_start: int | None
    period_end: int | None
    issuer: str | None
    indicators: int
    mapped: int
    higher_plan_id: int | None
    created_at: datetime | None
    version: int = 1
    region_confidence: float | None = None
    kind: str | None = None


def _domain_code(code: str | None) -> str | None:
    return code if code in DOMAINS_BY_CODE else None


def _target_json(target: Target, raw: str | None) -> dict[str, object] | None:
    if raw is None and target.kind.value == "none":
        return None
    return target.to_dict()


def _target_from(data: dict[str, object] | None, raw: str | None) -> Target:
    return Target.from_dict(data) if data else parse_target(raw)


def _resolve_region(session: Session, meta: PlanMetadata) -> RegionRow | None:
    """The stored region the metadata names (code first), through the one resolver; None
    when it names none or several — an unknown region stays unknown."""
    index = RegionIndex(all_regions(session))
    for key in (meta.region_code, meta.region_name):
        if key:
            try:
                return region_row(session, index.resolve(key).code)
            except (NotFound, InvalidData):
                continue
    return None


def add_plan(session: Session, plan: Plan) -> PlanRow:
    """Insert a plan and everything extracted from it; canonical codes must be in the catalogue."""
    meta = plan.metadata
    region = _resolve_region(session, meta)
    canonical = canonical_ids(session, plan)
    if plan.higher_plan_id is not None and session.get(PlanRow, plan.higher_plan_id) is None:
        raise NotFound(f"higher-level plan {plan.higher_plan_id} does not exist")
    row = PlanRow(higher_plan_id=plan.higher_plan_id, version=1)
    fill_plan(row, plan, region)
    for position, ind in enumerate(plan.indicators):
        row.indicators.append(indicator_row(position, ind, canonical))
    add_services_and_projects(row, plan)
    session.add(row)
    session.flush()
    return row


def fill_plan(row: PlanRow, plan: Plan, region: RegionRow | None) -> None:
    """The plan-level fields of a row from an extracted plan (new, or a new version)."""
    meta = plan.metadata
    row.region_id = region.id if region else None
    row.region_name = meta.region_name or (region.name if region else None)
    row.level = meta.level.value if meta.level else (region.level if region else None)
    row.period_start, row.period_end = meta.period_start, meta.period_end
    row.title = meta.label(plan.source_file, row.region_name)
    row.issuer, row.document_number = meta.issuer, meta.document_number
    row.issue_date, row.publish_date = meta.issue_date, meta.publish_date
    row.source_file, row.checksum = plan.source_file, plan.checksum
    row.baseline_year, row.target_year = plan.baseline_year, plan.target_year
    row.outline = [node.to_dict() for node in plan.outline] or None
    row.warnings = list(plan.warnings) or None
    row.kind, row.source = plan.kind, plan.source
    row.region_confidence = (
        meta.region_confidence
        if region or meta.region_confidence
        else (0.0 if meta.region_code is None and meta.region_name is None else None)
    )


def _catalogue_map(session: Session, key: Any, value: Any, wanted: set[Any]) -> dict[Any, Any]:
    """``key`` → ``value`` of the catalogue indicators whose ``key`` is ``wanted`` (code ↔ id)."""
    if not wanted:
        return {}
    return dict(session.execute(select(key, value).where(key.in_(wanted))).all())


def canonical_ids(session: Session, plan: Plan) -> dict[str, int]:
    codes = {i.canonical_code for i in plan.indicators if i.canonical_code}
    canonical = _catalogue_map(session, CanonicalIndicatorRow.code, CanonicalIndicatorRow.id, codes)
    unknown = sorted(codes - set(canonical))
    if unknown:
        raise InvalidData(
            f"unknown canonical indicator code(s): {', '.join(unknown)}; run `minsheng init`"
        )
    return canonical


def indicator_row(position: int, ind: PlanIndicator, canonical: dict[str, int]) -> PlanIndicatorRow:
    row = PlanIndicatorRow(position=position)
    fill_indicator(row, ind, canonical)
    return row


def fill_indicator(row: PlanIndicatorRow, ind: PlanIndicator, canonical: dict[str, int]) -> None:
    values = dict(
        seq=ind.seq,
        name=ind.name,
        domain_label=ind.domain,
        domain_code=_domain_code(ind.domain_code),
        domain_from=ind.domain_from if ind.domain_code else None,
        canonical_id=canonical.get(ind.canonical_code) if ind.canonical_code else None,
        match_score=ind.match_score,
        unit=ind.unit,
        baseline_raw=ind.baseline_raw,
        baseline=_target_json(ind.baseline, ind.baseline_raw),
        baseline_year=ind.baseline_year,
        target_raw=ind.target_raw,
        target=_target_json(ind.target, ind.target_raw),
        target_year=ind.target_year,
        nature=ind.nature.value if ind.nature else None,
        polarity=ind.polarity.value if ind.polarity else None,
        notes=ind.notes,
    )
    for name, value in values.items():
        setattr(row, name, value)


def add_services_and_projects(row: PlanRow, plan: Plan) -> None:
    for position, entry in enumerate(plan.services):
        domain = classify_domain(entry.domain)
        row.services.append(
            PlanServiceRow(
                position=position,
                domain_label=entry.domain,
                domain_code=domain.code if domain else None,
                content_and_goal=entry.content_and_goal,
                items=list(entry.items),
                declared_count=entry.declared_count,
            )
        )
    for position, project in enumerate(plan.projects):
        domain = classify_domain(project.domain)
        row.projects.append(
            KeyProjectRow(
                position=position,
                domain_label=project.domain,
                domain_code=domain.code if domain else None,
                box=project.box,
                name=project.name,
                description=project.description,
                lead_unit=project.lead_unit,
                investment=project.investment,
                start_year=project.start_year,
                end_year=project.end_year,
                status=project.status,
            )
        )


def _plan_query():  # noqa: ANN202 - a Select
    return select(PlanRow).options(
        selectinload(PlanRow.indicators),
        selectinload(PlanRow.services),
        selectinload(PlanRow.projects),
    )


def _outline(node: dict[str, object]) -> OutlineNode:
    children = node.get("children") or []
    return OutlineNode(
        level=int(node.get("level", 0)),  # type: ignore[call-overload]
        title=str(node.get("title", "")),
        line=int(node.get("line", 0)),  # type: ignore[call-overload]
        kind=str(node.get("kind", "")),
        children=[_outline(c) for c in children],  # type: ignore[attr-defined, union-attr]
    )


def _level(value: str | None) -> Level | None:
    try:
        return Level(value) if value else None
    except ValueError:
        return None


def to_stored_plan(session: Session, row: PlanRow) -> StoredPlan:
    """The domain Plan (with parsed targets and canonical codes) of a stored row."""
    region = session.get(RegionRow, row.region_id) if row.region_id else None
    ids = {i.canonical_id for i in row.indicators if i.canonical_id}
    codes = _catalogue_map(session, CanonicalIndicatorRow.id, CanonicalIndicatorRow.code, ids)
    indicators = [
        PlanIndicator(
            seq=i.seq,
            domain=i.domain_label,
            name=i.name,
            unit=i.unit,
            baseline_raw=i.baseline_raw,
            target_raw=i.target_raw,
            nature=Nature(i.nature) if i.nature else None,
            notes=i.notes,
            baseline=_target_from(i.baseline, i.baseline_raw),
            target=_target_from(i.target, i.target_raw),
            baseline_year=i.baseline_year,
            target_year=i.target_year,
            domain_code=i.domain_code,
            domain_from=i.domain_from,
            canonical_code=codes.get(i.canonical_id) if i.canonical_id else None,
            match_score=i.match_score,
            polarity=Polarity(i.polarity) if i.polarity else None,
        )
        for i in row.indicators
    ]
    plan = Plan(
        metadata=PlanMetadata(
            title=row.title,
            issuer=row.issuer,
            document_number=row.document_number,
            issue_date=row.issue_date,
            publish_date=row.publish_date,
            region_name=row.region_name or (region.name if region else None),
            region_code=region.code if region else None,
            level=_level(row.level),
            period_start=row.period_start,
            period_end=row.period_end,
            region_confidence=row.region_confidence,
        ),
        indicators=indicators,
        services=[
            ServiceListEntry(
                domain=s.domain_label,
                items=list(s.items or []),
                content_and_goal=s.content_and_goal,
                declared_count=s.declared_count,
            )
            for s in row.services
        ],
        projects=[
            KeyProject(
                name=p.name,
                domain=p.domain_label,
                box=p.box,
                description=p.description,
                lead_unit=p.lead_unit,
                investment=p.investment,
                start_year=p.start_year,
                end_year=p.end_year,
                status=p.status,
            )
            for p in row.projects
        ],
        outline=[_outline(n) for n in (row.outline or [])],
        baseline_year=row.baseline_year,
        target_year=row.target_year,
        source_file=row.source_file,
        checksum=row.checksum,
        higher_plan_id=row.higher_plan_id,
        warnings=list(row.warnings or []),
        version=row.version or 1,
        kind=row.kind,
        source=row.source,
    )
    return StoredPlan(
        id=row.id,
        plan=plan,
        indicator_ids=tuple(i.id for i in row.indicators),
        region_code=region.code if region else None,
        created_at=row.created_at,
        project_ids=tuple(p.id for p in row.projects),
    )


def plan_row(session: Session, plan_id: int) -> PlanRow:
    if not 0 < plan_id < 2**63:  # beyond any id a database holds (and its integer type)
        raise NotFound(f"no plan with id {plan_id}", message_zh=f"没有编号为 {plan_id} 的规划")
    row = session.scalar(_plan_query().where(PlanRow.id == plan_id))
    if row is None:
        raise NotFound(f"no plan with id {plan_id}", message_zh=f"没有编号为 {plan_id} 的规划")
    return row


def find_plan_row(session: Session, ref: int | str) -> PlanRow:
    """A plan by id, exact title, or a title fragment that names exactly one plan."""
    text = str(ref).strip()
    if text.isdigit():
        return plan_row(session, int(text))
    if not text:
        raise InvalidData("name a plan by its id or part of its title")
    exact = list(session.scalars(_plan_query().where(PlanRow.title == text)))
    rows = exact or list(
        session.scalars(_plan_query().where(PlanRow.title.contains(text, autoescape=True)))
    )
    if not rows:
        raise NotFound(f"no plan whose title contains {text!r}; `minsheng plans` lists them")
    if len(rows) > 1:
        listed = "; ".join(f"{r.id}: {r.title}" for r in rows[:5])
        raise InvalidData(f"{len(rows)} plans match {text!r} ({listed}); give the id")
    return rows[0]


def list_plan_summaries(session: Session) -> list[PlanSummary]:
    counts = dict(
        session.execute(
            select(PlanIndicatorRow.plan_id, func.count()).group_by(PlanIndicatorRow.plan_id)
        ).all()
    )
    mapped = dict(
        session.execute(
            select(PlanIndicatorRow.plan_id, func.count())
            .where(PlanIndicatorRow.canonical_id.is_not(None))
            .group_by(PlanIndicatorRow.plan_id)
        ).all()
    )
    stmt = (
        select(PlanRow, RegionRow.code)
        .outerjoin(RegionRow, PlanRow.region_id == RegionRow.id)
        .order_by(PlanRow.id)
    )
    return [
        PlanSummary(
            id=p.id,
            title=p.title,
            region_code=code,
            region_name=p.region_name,
            level=p.level,
            period_start=p.period_start,
            period_end=p.period_end,
            issuer=p.issuer,
            indicators=counts.get(p.id, 0),
            mapped=mapped.get(p.id, 0),
            higher_plan_id=p.higher_plan_id,
            created_at=p.created_at,
            version=p.version or 1,
            region_confidence=p.region_confidence,
            kind=p.kind,
        )
        for p, code in session.execute(stmt).all()
    ]
