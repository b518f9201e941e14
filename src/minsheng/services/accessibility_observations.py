"""Accessibility figures by region, as observations the evaluation can use.

E.g. "share of residents within 15 minutes of an elderly care centre" by county: region
codes on the demand points (GB/T 2260) give the counties; sums roll up to prefecture,
province and nation by the codes themselves. Values come back as
:class:`~minsheng.domain.observations.Observation` rows ``(indicator, region, year,
value)``, ready for the observation store.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # heavy libraries load when a function needs them (start-up)
    import pandas as pd

from minsheng.analytics.access import (
    coverage_by_region,
    mean_score_by_region,
    supply_demand_ratio_by_region,
)
from minsheng.domain.errors import InvalidData
from minsheng.domain.observations import Observation
from minsheng.domain.regions import normalise_code, parent_code_of
from minsheng.domain.years import check_year
from minsheng.ingest.spatial.facilities import PointTable, read_points
from minsheng.services.accessibility import (
    CoverageOutcome,
    ScoreOutcome,
    ValueColumns,
    run_coverage,
)
from minsheng.services.derived_measures import ACCESS_SOURCE, StoredMeasure, store_derived
from minsheng.services.road_travel import RoadOptions
from minsheng.store.database import Database


def _roll_up(table: pd.DataFrame, sums: list[str]) -> pd.DataFrame:
    """Add every ancestor region (by GB/T 2260 code) with the summed columns."""
    import pandas as pd

    rows: dict[str, dict[str, float]] = {}
    for rec in table.to_dict(orient="records"):
        try:
            code: str | None = normalise_code(rec["region"])
        except InvalidData:
            code = str(rec["region"])
            rows.setdefault(code, dict.fromkeys(sums, 0.0))
            for c in sums:
                rows[code][c] += float(rec[c])
            continue
        while code is not None:
            acc = rows.setdefault(code, dict.fromkeys(sums, 0.0))
            for c in sums:
                acc[c] += float(rec[c])
            code = parent_code_of(code)
    out = pd.DataFrame([{"region": k, **v} for k, v in rows.items()])
    return out.sort_values("region").reset_index(drop=True)


def _observations(
    table: pd.DataFrame,
    column: str,
    indicator: str,
    year: int,
    unit: str | None,
    note: str,
    measure: str = "access",
) -> list[Observation]:
    """One observation per region; the source names the measure, the note its method and inputs."""
    out = []
    for rec in table.to_dict(orient="records"):
        value = float(rec[column])
        if np.isfinite(value):
            out.append(
                Observation(
                    indicator=indicator,
                    region_code=str(rec["region"]),
                    year=int(year),
                    value=value,
                    unit=unit,
                    source=f"{ACCESS_SOURCE} {measure}",
                    note=note,
                )
            )
    return out


def _need_regions(t: PointTable) -> np.ndarray:
    if t.region is None:
        raise InvalidData(f"{Path(t.path).name}: missing column 'region' (a region code per point)")
    return t.region


def coverage_observations(
    demand_path: str | Path,
    supply_path: str | Path,
    radius: float,
    indicator: str,
    year: int,
    *,
    roll_up: bool = True,
    percent: bool = True,
    crs: str = "EPSG:4326",
    costs_path: str | Path | None = None,
    network_path: str | Path | None = None,
    road: RoadOptions | None = None,
) -> list[Observation]:
    """Share of residents with a facility within ``radius`` (or cost), per region and its ancestors.

    E.g. "share of residents within 15 minutes of an elderly care centre" by county, with
    road minutes from a cost table or a road network, rolled up to city and province by
    GB/T 2260 codes.
    """
    year = check_year(year, "year")
    outcome = run_coverage(
        demand_path,
        supply_path,
        radius,
        crs=crs,
        costs_path=costs_path,
        network_path=network_path,
        road=road,
    )
    return shares_as_observations(
        outcome, radius, indicator, year, roll_up=roll_up, percent=percent
    )


def shares_as_observations(
    outcome: CoverageOutcome,
    radius: float,
    indicator: str,
    year: int,
    *,
    roll_up: bool = True,
    percent: bool = True,
) -> list[Observation]:
    """The coverage shares of a computed outcome as observations, by region and its ancestors."""
    region = _need_regions(outcome.located.demand)
    table = coverage_by_region(outcome.located.demand.value, outcome.covered, region)
    if roll_up:
        table = _roll_up(table, ["population", "covered"])
    with np.errstate(divide="ignore", invalid="ignore"):
        table["share"] = table["covered"] / table["population"] * (100.0 if percent else 1.0)
    demand, supply = outcome.located.demand, outcome.located.supply
    unit = "minutes by road" if outcome.roads is not None else "m"
    method = (
        f"access coverage r={radius:g} {unit}: residents within reach of a facility; "
        f"demand {Path(demand.path).name}, supply {Path(supply.path).name}"
    )
    return _observations(
        table, "share", indicator, year, "%" if percent else None, method, "coverage"
    )


def supply_ratio_observations(
    demand_path: str | Path,
    supply_path: str | Path,
    indicator: str,
    year: int,
    *,
    per: float = 1000.0,
    roll_up: bool = True,
    columns: ValueColumns | None = None,
) -> list[Observation]:
    """Capacity per ``per`` residents by region (facilities need a region column too)."""
    columns = columns or ValueColumns()
    demand = read_points(demand_path, columns.population)
    supply = read_points(supply_path, columns.capacity)
    table = supply_demand_ratio_by_region(
        _need_regions(demand), demand.value, _need_regions(supply), supply.value
    )
    if roll_up:
        table = _roll_up(table, ["supply", "demand"])
    with np.errstate(divide="ignore", invalid="ignore"):
        table["ratio"] = table["supply"] / table["demand"] * per
    return _observations(
        table,
        "ratio",
        indicator,
        year,
        f"per {per:g} residents",
        f"capacity over residents; demand {Path(demand_path).name}, supply {Path(supply_path).name}",
        "supply ratio",
    )


def score_observations(outcome: ScoreOutcome, indicator: str, year: int) -> list[Observation]:
    """Population-weighted mean 2SFCA score per region of the demand points."""
    region = _need_regions(outcome.located.demand)
    table = mean_score_by_region(outcome.result.score, outcome.located.demand.value, region)
    return _observations(
        table, "mean_score", indicator, year, None, "population-weighted mean 2SFCA score", "2sfca"
    )


def store_coverage(
    db: Database,
    demand_path: str | Path,
    supply_path: str | Path,
    radius: float,
    indicator: str,
    year: int,
    *,
    plan: int | str | None = None,
    user: str | None = None,
    new: bool = False,
    replace_values: bool = False,
    domain: str | None = None,
    crs: str = "EPSG:4326",
    costs_path: str | Path | None = None,
    network_path: str | Path | None = None,
    road: RoadOptions | None = None,
) -> StoredMeasure:
    """Coverage shares by region stored as observations of ``indicator`` (see :func:`store_derived`).

    ``indicator`` is a new canonical indicator's name (``new``), an existing
    indicator marked as an accessibility coverage measure, or a plan's own
    unmapped wording (with ``plan``); the values then take part in evaluation like
    any reported figure. A re-run with different inputs adds versions of the
    computed values; values from another source are never versioned over unless
    ``replace_values``.
    """
    year = check_year(year, "year")
    rows = coverage_observations(
        demand_path,
        supply_path,
        radius,
        indicator,
        year,
        crs=crs,
        costs_path=costs_path,
        network_path=network_path,
        road=road,
    )
    return store_observations(
        db, rows, plan=plan, user=user, new=new, replace_values=replace_values, domain=domain
    )


def store_observations(
    db: Database,
    rows: list[Observation],
    *,
    plan: int | str | None = None,
    user: str | None = None,
    new: bool = False,
    replace_values: bool = False,
    domain: str | None = None,
    measure: str = "access_coverage",
) -> StoredMeasure:
    """Store accessibility figures as observations where they belong (:func:`store_derived`)."""
    return store_derived(
        db,
        rows,
        plan=plan,
        user=user,
        new=new,
        replace_values=replace_values,
        measure=measure,
        domain=domain,
    )
