"""Accessibility use cases: files in, scores and region observations out.

Each function reads and validates its inputs (``ingest.facilities``), projects lon/lat
once for demand and supply together, calls the pure kernels (``analytics.access``) and
writes results. ``progress`` (optional) is told the name of each phase as it starts, so
a face can show it; nothing here prints.

Travel costs instead of straight lines: an OSM road network (``network_path``, minutes,
see :mod:`.road_travel`) or a user's cost table (``origin,destination,cost``); both feed
the same cost-table kernels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # heavy libraries load when a function needs them (start-up)
    import pandas as pd

from minsheng.analytics.access.coverage import (
    coverage_by_region,
    covered,
    covered_from_costs,
    nearest_distance,
    relative_threshold,
    underserved,
)
from minsheng.analytics.access.fca import FcaResult, Points, two_step_fca, two_step_fca_from_costs
from minsheng.analytics.access.geometry import (
    LocalProjection,
    check_crs,
    check_metres,
    project_together,
)
from minsheng.analytics.access.weights import Decay, Gaussian, Step, Uniform
from minsheng.domain.errors import InvalidData
from minsheng.ingest.spatial.facilities import (
    PointTable,
    check_output,
    geometry_ahead,
    read_costs,
    read_points,
    write_points,
)
from minsheng.ingest.spatial.read_ahead import pending as parse_pending

if TYPE_CHECKING:  # siting, tiles and road routing load when a run asks for them
    from minsheng.analytics.access.siting import SitingStep
    from minsheng.services.road_travel import RoadOptions, RoadSummary

Progress = Callable[[str], None] | None


@dataclass(frozen=True)
class Located:
    """Demand and supply tables with their metric coordinates (one shared projection)."""

    demand: PointTable
    supply: PointTable
    demand_xy: Points
    supply_xy: Points
    projection: LocalProjection | None


@dataclass(frozen=True)
class ScoreOutcome:
    out_path: Path | None
    result: FcaResult
    located: Located
    roads: RoadSummary | None = None

    @property
    def reached_share(self) -> float:
        pop = self.located.demand.value
        total = pop.sum()
        return float(np.sum(pop, where=self.result.reached) / total) if total > 0 else 0.0

    def underserved(self, fraction: float = 0.5) -> tuple[int, float]:
        """Inhabited points scoring below ``fraction`` of the population-weighted mean, and their residents."""
        pop = self.located.demand.value
        mask = underserved(
            self.result.score, pop, relative_threshold(self.result.score, pop, fraction)
        )
        return int(np.count_nonzero(mask)), float(np.sum(pop, where=mask))


def _say(progress: Progress, phase: str) -> None:
    if progress is not None:
        progress(phase)


def locate(
    *tables: PointTable, crs: str = "EPSG:4326"
) -> tuple[list[Points], LocalProjection | None]:
    """Metric coordinates for several tables; lon/lat share one local projection."""
    kinds = {t.coords for t in tables}
    if kinds != {"xy"} or crs != "EPSG:4326":
        # projected metres need no CRS: pyproj (0.2 s to import) is loaded only to check
        # one the user gave or to project lon/lat
        check_crs(crs)
    if len(kinds) > 1:
        names = ", ".join(
            f"{Path(t.path).name} ({'lon/lat' if t.coords == 'lonlat' else 'x/y metres'})"
            for t in tables
        )
        raise InvalidData(f"inputs mix lon/lat and projected metres: {names}; give all in one kind")
    if kinds == {"xy"}:
        for t in tables:
            check_metres(t.a, t.b, Path(t.path).name)
        return [Points(t.a, t.b, t.value) for t in tables], None
    proj, xy = project_together(*((t.a, t.b) for t in tables), source=crs)
    return [Points(x, y, t.value) for (x, y), t in zip(xy, tables, strict=True)], proj


@dataclass(frozen=True)
class ValueColumns:
    """The column of residents per demand point and of capacity per facility.

    Tables name them as their subject does (床位数, 学位数, 托位数 …): the user names the
    column, and a name that is not in the file is an error, never a guess.
    """

    population: str = "population"
    capacity: str = "capacity"


def load(
    demand_path: str | Path,
    supply_path: str | Path,
    *,
    crs: str = "EPSG:4326",
    columns: ValueColumns | None = None,
    capacity_required: bool = True,
) -> Located:
    """Demand and facilities located together; coverage reads facilities without capacity
    (``capacity_required=False``: each counts 1).

    While the demand file is still being parsed ahead (:mod:`.read_ahead`), the facilities
    are read first, on a thread that would otherwise wait; a run with faults in both
    files then reports the facilities' first.
    """
    columns = columns or ValueColumns()

    def read_supply() -> PointTable:
        return read_points(supply_path, columns.capacity, required=capacity_required)

    supply = read_supply() if parse_pending(demand_path) else None
    demand = read_points(demand_path, columns.population)
    if supply is None:
        supply = read_supply()
    (d, s), proj = locate(demand, supply, crs=crs)
    return Located(demand, supply, d, s, proj)


def decay_from_options(
    kind: str, radius: float, *, sigma: float | None = None, steps: str | None = None
) -> Decay:
    """``none`` | ``step`` (``steps='1000:1,2000:0.68,3000:0.22'`` or Luo & Qi thirds) | ``gaussian``."""
    _check_radius(radius)
    kind = kind.lower()
    if kind in ("none", "uniform", ""):
        return Uniform()
    if kind == "gaussian":
        s = sigma if sigma is not None else radius / 2
        if not s > 0:
            raise InvalidData(f"--sigma must be positive, not {s}")
        return Gaussian(float(s))
    if kind == "step":
        if not steps:
            return Step.luo_qi(radius)
        pairs: dict[float, float] = {}
        for part in steps.split(","):
            try:
                t, w = part.split(":")
                pairs[float(t)] = float(w)
            except ValueError:
                raise InvalidData(
                    f"--steps takes e.g. 1000:1,2000:0.68,3000:0.22, not {steps!r}"
                ) from None
        try:
            return Step.of(pairs)
        except ValueError as exc:
            raise InvalidData(f"--steps: {exc}") from None
    raise InvalidData(f"unknown decay {kind!r}; use none, step or gaussian")


def check_sources(
    costs_path: str | Path | None, network_path: str | Path | None, tile: float | None = None
) -> None:
    """A road network and a cost table are alternatives; tiles are for straight lines only."""
    if costs_path is not None and network_path is not None:
        raise InvalidData("give either a road network or a cost table, not both")
    if tile is not None and (costs_path is not None or network_path is not None):
        raise InvalidData("tiles work on straight-line distance; drop them with a network or costs")


def distance_column(costs_path: str | Path | None, network_path: str | Path | None) -> str:
    """The name of the per-point distance a coverage file carries."""
    if network_path is not None:
        return "least_minutes"
    return "least_cost" if costs_path is not None else "nearest_m"


def _check_radius(radius: float) -> None:
    if not (np.isfinite(radius) and radius > 0):
        raise InvalidData(
            f"radius must be a positive number of metres (or cost units), not {radius}"
        )


def run_fca(
    demand_path: str | Path,
    supply_path: str | Path,
    radius: float,
    out_path: str | Path | None = None,
    *,
    decay: Decay | None = None,
    normalize: bool = False,
    costs_path: str | Path | None = None,
    network_path: str | Path | None = None,
    road: RoadOptions | None = None,
    crs: str = "EPSG:4326",
    tile: float | None = None,
    client: Any = None,  # noqa: ANN401 - a dask.distributed.Client
    progress: Progress = None,
    columns: ValueColumns | None = None,
) -> ScoreOutcome:
    """2SFCA (``decay=None``) or E2SFCA scores per demand point; writes ``id,score``.

    Cells with no facility within ``radius`` score 0 in the file (NaN in the result).
    With ``costs_path`` the radius is a cost cut-off over the listed pairs only; with
    ``network_path`` (OSM .pbf) it is minutes along the roads (``road`` says how).
    ``tile`` splits the work into spatial tiles on Dask (``client`` or local threads).
    """
    _check_radius(radius)
    check_sources(costs_path, network_path, tile)
    if out_path is not None:
        check_output(out_path)
    _say(progress, "reading inputs")
    located = load(demand_path, supply_path, crs=crs, columns=columns)
    demand_coords = (located.demand.a, located.demand.b)
    geometry = geometry_ahead(out_path, demand_coords) if out_path is not None else None
    decay = decay or Uniform()
    roads = None
    if network_path is not None:
        from minsheng.services.road_travel import RoadOptions, route_setup, travel_costs

        road = road or RoadOptions()
        routed = route_setup(
            network_path, located.demand, located.supply, located.projection, road, progress
        )
        trips = travel_costs(routed, radius, road, progress)
        roads = routed.summary
        _say(progress, "computing scores")
        result = two_step_fca_from_costs(
            located.demand.value,
            located.supply.value,
            trips.origin,
            trips.dest,
            trips.cost,
            radius,
            decay,
            normalize=normalize,
        )
    elif costs_path is not None:
        _say(progress, "computing scores")
        costs = read_costs(costs_path)
        origin = _positions(located.demand.ids, costs.origin, Path(costs_path).name, "origin")
        dest = _positions(located.supply.ids, costs.dest, Path(costs_path).name, "destination")
        result = two_step_fca_from_costs(
            located.demand.value,
            located.supply.value,
            origin,
            dest,
            costs.cost,
            radius,
            decay,
            normalize=normalize,
        )
    elif tile is not None:
        _say(progress, "computing scores")
        from minsheng.analytics.access.tiles import two_step_fca_tiled

        result = two_step_fca_tiled(
            located.demand_xy,
            located.supply_xy,
            radius,
            decay,
            tile=tile,
            client=client,
            normalize=normalize,
        )
    else:
        _say(progress, "computing scores")
        result = two_step_fca(
            located.demand_xy, located.supply_xy, radius, decay, normalize=normalize
        )
    out = None
    if out_path is not None:
        _say(progress, "writing results")
        score = np.where(result.reached, result.score, 0.0)
        out = write_points(
            out_path,
            {"id": located.demand.id_array, "score": score},
            coords=demand_coords,
            lonlat=located.demand.coords == "lonlat",
            geometry=geometry,
        )
    return ScoreOutcome(out, result, located, roads)


def _positions(ids: np.ndarray, wanted: np.ndarray, name: str, column: str) -> np.ndarray:
    import pandas as pd

    index = pd.Index(ids)
    pos = index.get_indexer(wanted)
    if (pos < 0).any():
        r = int(np.flatnonzero(pos < 0)[0])
        raise InvalidData(
            f"{name}: {column} {wanted[r]!r} at row {r + 2} is not in the points file"
        )
    return pos.astype(np.int64)


@dataclass(frozen=True)
class CoverageOutcome:
    out_path: Path | None
    covered: np.ndarray
    distance: np.ndarray
    by_region: pd.DataFrame | None
    located: Located
    roads: RoadSummary | None = None

    @property
    def share(self) -> float:
        pop = self.located.demand.value
        return float(pop[self.covered].sum() / pop.sum()) if pop.sum() > 0 else 0.0


def run_coverage(
    demand_path: str | Path,
    supply_path: str | Path,
    radius: float,
    out_path: str | Path | None = None,
    *,
    costs_path: str | Path | None = None,
    network_path: str | Path | None = None,
    road: RoadOptions | None = None,
    crs: str = "EPSG:4326",
    progress: Progress = None,
    population_column: str = "population",
) -> CoverageOutcome:
    """Per point: covered within ``radius`` and nearest-facility distance; per region: shares.

    With ``costs_path`` (``origin,destination,cost``, e.g. road minutes) ``radius`` is a
    cost cut-off and the "distance" is the least listed cost; with ``network_path`` both
    are minutes along the roads (least time ``inf`` beyond the radius).
    """
    _check_radius(radius)
    check_sources(costs_path, network_path)
    if out_path is not None:
        check_output(out_path)
    _say(progress, "reading inputs")
    located = load(
        demand_path,
        supply_path,
        crs=crs,
        columns=ValueColumns(population=population_column),
        capacity_required=False,  # coverage counts facilities, not their size
    )
    d, s = located.demand_xy, located.supply_xy
    roads = None
    if network_path is not None:
        from minsheng.services.road_travel import RoadOptions, least_minutes, route_setup

        road = road or RoadOptions()
        routed = route_setup(
            network_path, located.demand, located.supply, located.projection, road, progress
        )
        roads = routed.summary
        distance = least_minutes(routed, radius, road, progress)
        is_covered = distance <= radius
    elif costs_path is not None:
        _say(progress, "computing coverage")
        costs = read_costs(costs_path)
        origin = _positions(located.demand.ids, costs.origin, Path(costs_path).name, "origin")
        _positions(located.supply.ids, costs.dest, Path(costs_path).name, "destination")
        is_covered, distance = covered_from_costs(len(located.demand), origin, costs.cost, radius)
    else:
        _say(progress, "computing coverage")
        is_covered = covered(d, s.x, s.y, radius)
        distance, _ = nearest_distance(d.x, d.y, s.x, s.y)
    regions = None
    if located.demand.region is not None:
        regions = coverage_by_region(located.demand.value, is_covered, located.demand.region)
    out = None
    if out_path is not None:
        _say(progress, "writing results")
        out = write_points(
            out_path,
            {
                "id": located.demand.id_array,
                "covered": is_covered.astype(int),
                distance_column(costs_path, network_path): distance,
            },
            coords=(located.demand.a, located.demand.b),
            lonlat=located.demand.coords == "lonlat",
        )
    return CoverageOutcome(out, is_covered, distance, regions, located, roads)


@dataclass(frozen=True)
class SitingOutcome:
    out_path: Path | None
    steps: list[SitingStep]
    candidate_ids: list[str]
    population: float


def run_siting(
    demand_path: str | Path,
    candidates_path: str | Path,
    radius: float,
    k: int,
    out_path: str | Path | None = None,
    *,
    existing_path: str | Path | None = None,
    crs: str = "EPSG:4326",
    progress: Progress = None,
    population_column: str = "population",
) -> SitingOutcome:
    """Greedy maximal covering: ``k`` candidate sites, each with the residents it newly covers."""
    _check_radius(radius)
    if k < 1:
        raise InvalidData(f"k must be at least 1, not {k}")
    if out_path is not None:
        check_output(out_path)
    _say(progress, "reading inputs")
    demand = read_points(demand_path, population_column)
    cand = _read_sites(candidates_path)
    tables = [demand, cand] + ([_read_sites(existing_path)] if existing_path else [])
    pts, _ = locate(*tables, crs=crs)
    ex = pts[2] if existing_path else None
    _say(progress, "choosing sites")
    from minsheng.analytics.access.siting import greedy_max_cover

    steps = greedy_max_cover(
        pts[0],
        pts[1].x,
        pts[1].y,
        radius,
        k,
        existing_x=ex.x if ex else None,
        existing_y=ex.y if ex else None,
    )
    ids = [str(cand.ids[s.candidate]) for s in steps]
    out = None
    if out_path is not None:
        _say(progress, "writing results")
        pick = np.array([s.candidate for s in steps], dtype=np.int64)
        out = write_points(
            out_path,
            {
                "rank": np.arange(1, len(steps) + 1),
                "id": np.array(ids, dtype=object),
                "newly_covered": np.array([s.newly_covered for s in steps]),
                "total_covered": np.array([s.total_covered for s in steps]),
            },
            coords=(cand.a[pick], cand.b[pick]),
            lonlat=cand.coords == "lonlat",
        )
    return SitingOutcome(out, steps, ids, float(demand.value.sum()))


def _read_sites(path: str | Path) -> PointTable:
    """Candidate or existing sites: they need a location; capacity is optional."""
    return read_points(path, "capacity", required=False)
