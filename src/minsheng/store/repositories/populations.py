"""Resident population by region and year (the weights of equalisation and accessibility)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.domain.errors import InvalidData
from minsheng.store.models import RegionPopulationRow, RegionRow
from minsheng.store.repositories.regions import region_ids


@dataclass(frozen=True)
class Population:
    region_code: str
    year: int
    population: int
    source: str = ""
    synthetic: bool = False


def set_populations(session: Session, populations: Sequence[Population]) -> tuple[int, int]:
    """Insert or update populations by (region, year, source); return (inserted, updated)."""
    ids = region_ids(session)
    existing = {
        (r.region_id, r.year, r.source): r for r in session.scalars(select(RegionPopulationRow))
    }
    inserted = updated = 0
    for n, p in enumerate(populations, 1):
        region_id = ids.get(p.region_code, p.year)
        if region_id is None:
            raise InvalidData(f"population {n}: unknown region {p.region_code}")
        if p.population < 0:
            raise InvalidData(f"population {n}: {p.population} is negative")
        row = existing.get((region_id, p.year, p.source))
        if row is None:
            row = RegionPopulationRow(region_id=region_id, year=p.year, source=p.source)
            session.add(row)
            existing[(region_id, p.year, p.source)] = row
            inserted += 1
        else:
            updated += 1
        row.population, row.synthetic = int(p.population), p.synthetic
    session.flush()
    return inserted, updated


def populations(
    session: Session, codes: Iterable[str] | None = None, years: Iterable[int] | None = None
) -> list[Population]:
    stmt = select(RegionRow.code, RegionPopulationRow).join(
        RegionRow, RegionRow.id == RegionPopulationRow.region_id
    )
    if codes is not None:
        stmt = stmt.where(RegionRow.code.in_(list(codes)))
    if years is not None:
        stmt = stmt.where(RegionPopulationRow.year.in_(list(years)))
    stmt = stmt.order_by(RegionRow.code, RegionPopulationRow.year, RegionPopulationRow.source)
    return [
        Population(code, r.year, r.population, r.source, r.synthetic)
        for code, r in session.execute(stmt).all()
    ]
