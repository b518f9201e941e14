"""Stored accessibility runs, by region: the values ``minsheng access … --store-as`` kept.

A run stores its shares (coverage, supply ratios, scores) as observations whose source
starts with ``minsheng access`` and names the measure (``minsheng access coverage``);
this reads the latest version of each back for faces.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select, true

from minsheng.domain.observations import ObservationStatus
from minsheng.services.derived_measures import ACCESS_SOURCE
from minsheng.store.database import Database
from minsheng.store.models import ObservationVersionRow, PlanIndicatorRow
from minsheng.store.models.indicators import CanonicalIndicatorRow
from minsheng.store.models.regions import RegionRow

__all__ = ["ACCESS_SOURCE", "AccessValue", "access_values"]


@dataclass(frozen=True)
class AccessValue:
    indicator: str  # the catalogue code, or the plan's own wording
    region: str
    region_name: str
    year: int
    value: float
    unit: str | None
    note: str | None
    entered_at: str | None
    indicator_name: str | None = None  # the catalogue's name, for readers who do not know DM01


def access_values(
    db: Database,
    *,
    indicator: str | None = None,
    under_prefix: str = "",
    year: int | None = None,
    published_only: bool = False,
) -> list[AccessValue]:
    """Latest stored accessibility values, optionally of one indicator, under a code prefix, at a year.

    ``published_only``: the public's view, as for every other value — a run's latest version
    counts only once it is published.
    """
    with db.session() as session:
        latest = (
            select(func.max(ObservationVersionRow.id))
            # the measure follows the prefix: "minsheng access coverage", "… 2sfca"
            .where(ObservationVersionRow.source.startswith(f"{ACCESS_SOURCE} "))
            .where(
                # a withdrawal (it keeps the run's source) ends the value in every view
                or_(
                    ObservationVersionRow.status == ObservationStatus.PUBLISHED.value,
                    ObservationVersionRow.withdrawn,
                )
                if published_only
                else true()
            )
            .group_by(
                ObservationVersionRow.plan_indicator_id,
                ObservationVersionRow.canonical_id,
                ObservationVersionRow.region_id,
                ObservationVersionRow.year,
            )
        )
        stmt = (
            select(
                ObservationVersionRow,
                RegionRow.code,
                RegionRow.name,
                CanonicalIndicatorRow.code,
                PlanIndicatorRow.name,
                CanonicalIndicatorRow.name,
            )
            .join(RegionRow, RegionRow.id == ObservationVersionRow.region_id)
            .outerjoin(
                CanonicalIndicatorRow,
                CanonicalIndicatorRow.id == ObservationVersionRow.canonical_id,
            )
            .outerjoin(
                PlanIndicatorRow, PlanIndicatorRow.id == ObservationVersionRow.plan_indicator_id
            )
            .where(ObservationVersionRow.id.in_(latest), RegionRow.code.like(f"{under_prefix}%"))
            .where(ObservationVersionRow.withdrawn.is_(False))
            .order_by(RegionRow.code)
        )
        if year is not None:
            stmt = stmt.where(ObservationVersionRow.year == year)

        out = []
        for row, code, name, canonical, own, canonical_name in session.execute(stmt).all():
            label = canonical or own or "?"
            if indicator is not None and indicator not in (canonical, own):
                continue
            out.append(
                AccessValue(
                    label,
                    code,
                    name,
                    row.year,
                    row.value,
                    row.unit,
                    row.note,
                    row.entered_at.isoformat() if row.entered_at else None,
                    canonical_name or own,
                )
            )
        return out
