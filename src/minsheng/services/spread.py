"""Equalisation (均等化, method §7): one catalogue indicator's spread across the regions under
an area, year by year — the values it rests on, the regions without one, the measures.

Moved out of :mod:`minsheng.services.evaluation` when naming the regions left out of a
year made that module a second job too many.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from sqlalchemy import select

from minsheng.analytics.inequality import gap_trend, spread
from minsheng.data.divisions import divisions_by_code, load_divisions
from minsheng.domain.errors import InvalidData, NotFound
from minsheng.domain.indicators import CanonicalIndicator
from minsheng.domain.observations import ObservationStatus
from minsheng.domain.regions import Level, ancestry, level_of_code
from minsheng.domain.years import check_year
from minsheng.services.regions import level_named, resolve_region
from minsheng.services.series_units import in_units
from minsheng.store.database import Database
from minsheng.store.models import PlanIndicatorRow
from minsheng.store.repositories import catalogue as catalogue_repo
from minsheng.store.repositories import observations as observations_repo
from minsheng.store.repositories import populations as populations_repo


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
    db: Database,
    indicator: str,
    under: str,
    year: int,
    level: Level | None,
    published_only: bool = False,
) -> tuple[pl.DataFrame, list[str], Level, list[Any]]:
    """The values a spread is computed from: the latest version per (region, year) of the
    regions at ``level`` under ``under``, with their synthetic flag; (obs, codes, level, pops).

    ``published_only``: the latest published version of each, as the public sees them."""
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
            for k in (
                "region_code",
                "year",
                "value",
                "version",
                "plan_indicator_id",
                "synthetic",
                "unit",
                "status",
            )  # fmt: skip
        },
        schema={
            "region_code": pl.Utf8,
            "year": pl.Int64,
            "value": pl.Float64,
            "version": pl.Int64,
            "plan_indicator_id": pl.Int64,
            "synthetic": pl.Boolean,
            "unit": pl.Utf8,
            "status": pl.Utf8,
        },
    )
    if published_only:
        raw = raw.filter(pl.col("status") == ObservationStatus.PUBLISHED.value)
    raw = raw.drop("status")
    # the latest version of each (region, year); a series kept under the canonical code wins
    # over a plan's own; then in the catalogue's unit (values of another quantity set aside)
    obs, _ = in_units(
        raw.filter(pl.col("region_code").is_in(codes) & (pl.col("year") <= year))
        .sort(["plan_indicator_id", "version"], descending=[False, True], nulls_last=False)
        .unique(["region_code", "year"], keep="first", maintain_order=True)
        .rename({"region_code": "region"})
        .with_columns(pl.lit(canonical.unit, pl.Utf8).alias("wanted_unit"))
    )
    if obs.height == 0:
        raise NotFound(
            f"no observations of {canonical.code} for regions under {under} up to {year}"
        )
    return obs, codes, target, list(pops)


def indicator_spread(
    db: Database,
    indicator: str,
    under: str,
    year: int,
    *,
    level: Level | str | None = None,
    published_only: bool = False,
) -> tuple[pl.DataFrame, pl.DataFrame, list[str]]:
    """(spread per year, Gini trend, notes): :func:`spread_with_synthetic` without the count."""
    table, trend, notes, _ = spread_with_synthetic(
        db, indicator, under, year, level=level, published_only=published_only
    )
    return table, trend, notes


def spread_with_synthetic(
    db: Database,
    indicator: str,
    under: str,
    year: int,
    *,
    level: Level | str | None = None,
    published_only: bool = False,
) -> tuple[pl.DataFrame, pl.DataFrame, list[str], int]:
    """§7 measures, year by year up to ``year``, for one canonical indicator across regions.

    Regions are those at ``level`` (default: one below) under ``under`` (a code or a
    name, resolved by the one region resolver as every other door does); when that
    is two levels below, the Theil decomposition groups them by their parent.
    Returns (spread per year, the gap trend of the Gini, notes, how many of the values
    measured are synthetic demo values — so a report on the spread can say so, from the
    same read). ``published_only`` measures the published values alone, as the public
    pages and reports for them do.
    """
    year = check_year(year, "year")
    level = level_named(level)
    under = resolve_region(db, under).code
    obs, codes, target, pops = _spread_observations(
        db, indicator, under, year, level, published_only
    )
    by_code = divisions_by_code()
    synthetic = int(obs.get_column("synthetic").fill_null(False).sum())
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
        notes.append(UNWEIGHTED)
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
    return _with_missing(table, obs, codes), gap_trend(table, "gini"), notes, synthetic


#: The spread's one note, and its Chinese (:data:`NOTES_ZH` words every note a page may show).
UNWEIGHTED = (
    "populations missing for some regions: measures are unweighted (every region counts once)"
)
NOTES_ZH = {UNWEIGHTED: "部分地区缺少人口数据：各项测算未按人口加权（每个地区计一次）"}


def _with_missing(table: pl.DataFrame, obs: pl.DataFrame, codes: list[str]) -> pl.DataFrame:
    """Each year's regions without a value, counted and named after ``regions``: left out of
    the measures (never counted as zero), and never left out of sight."""
    by_code = divisions_by_code()
    seen = {
        year: set(regions)
        for year, regions in obs.filter(pl.col("value").is_not_null())
        .group_by("year")
        .agg(pl.col("region"))
        .iter_rows()
    }
    names = [
        [by_code[c].name for c in codes if c not in seen.get(year, set())]
        for year in table.get_column("year").to_list()
    ]
    out = table.with_columns(
        pl.Series("missing_regions", names, dtype=pl.List(pl.Utf8)),
        pl.Series("missing", [len(n) for n in names], dtype=pl.Int64),
    )
    first = ["year", "regions", "missing"]
    return out.select(first + [c for c in out.columns if c not in first])


def spread_indicator(db: Database, indicator: str) -> CanonicalIndicator:
    """The catalogue indicator a spread is asked for (code, name or alias): its name and unit
    head the equalisation page, where the code alone told a reader nothing."""
    with db.session() as session:
        return catalogue_repo.to_canonical(catalogue_repo.canonical_row(session, indicator))
