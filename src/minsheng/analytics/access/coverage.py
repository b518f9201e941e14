"""Coverage within a radius, nearest-facility distance, underserved cells, region figures.

Coverage is the share of residents with at least one facility within ``r`` (the
"service radius" norms of the plans, e.g. a 15-minute circle); the supply-to-demand
ratio of a region is ``sum S_j / sum P_i`` over the facilities and residents in it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # heavy libraries load when a function needs them (start-up)
    import pandas as pd
from numpy.typing import NDArray

from . import grid_kernels
from .fca import Method, Points, pick_grid

FloatArray = NDArray[np.float64]


def nearest_distance(
    demand_x: FloatArray,
    demand_y: FloatArray,
    supply_x: FloatArray,
    supply_y: FloatArray,
    *,
    max_distance: float = np.inf,
) -> tuple[FloatArray, NDArray[np.int64]]:
    """Distance to, and index of, each point's nearest facility (``inf``/-1 beyond ``max_distance``)."""
    from scipy.spatial import cKDTree

    n = len(demand_x)
    if len(supply_x) == 0:
        return np.full(n, np.inf), np.full(n, -1, dtype=np.int64)
    tree = cKDTree(np.column_stack([supply_x, supply_y]))
    d, j = tree.query(np.column_stack([demand_x, demand_y]), k=1, distance_upper_bound=max_distance)
    j = np.where(np.isfinite(d), j, -1).astype(np.int64)
    return d, j


def covered(
    demand: Points,
    supply_x: FloatArray,
    supply_y: FloatArray,
    radius: float,
    *,
    method: Method = "auto",
) -> NDArray[np.bool_]:
    """Whether some facility lies within ``radius`` (``sqrt(dx*dx+dy*dy) <= radius``) of each point."""
    supply_x = np.asarray(supply_x, np.float64)
    supply_y = np.asarray(supply_y, np.float64)
    if len(supply_x) == 0:
        return np.zeros(len(demand), dtype=bool)
    grid = pick_grid(demand, "pairs" if method == "pairs" else "auto", radius)
    if grid is not None:
        runs = grid_kernels.runs_for(grid, supply_x, supply_y, [radius])
        return grid.sample(grid_kernels.reach_counts(grid, runs, radius)) > 0
    _, j = nearest_distance(
        demand.x, demand.y, supply_x, supply_y, max_distance=radius * (1 + 1e-9) + 1e-9
    )
    hit = j >= 0
    jj = np.where(hit, j, 0)
    dx = demand.x - supply_x[jj]
    dy = demand.y - supply_y[jj]
    return hit & (np.sqrt(dx * dx + dy * dy) <= radius)


def covered_from_costs(
    n_demand: int, origin: NDArray[np.int64], cost: FloatArray, max_cost: float
) -> tuple[NDArray[np.bool_], FloatArray]:
    """Coverage and least cost per demand point from a travel-cost table (e.g. road minutes).

    ``origin`` holds demand positions; a point is covered when some pair has ``cost <= max_cost``.
    """
    least = np.full(n_demand, np.inf)
    np.minimum.at(least, origin, cost)
    return least <= max_cost, least


def coverage_by_region(
    population: FloatArray, is_covered: NDArray[np.bool_], region: NDArray
) -> pd.DataFrame:
    """Per region: residents, residents covered, and the covered share."""
    import pandas as pd

    df = pd.DataFrame(
        {
            "region": region,
            "population": population,
            "covered": np.where(is_covered, population, 0.0),
        }
    )
    out = df.groupby("region", sort=True)[["population", "covered"]].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = out["covered"] / out["population"]
    return out.reset_index()


def supply_demand_ratio_by_region(
    demand_region: NDArray, population: FloatArray, supply_region: NDArray, capacity: FloatArray
) -> pd.DataFrame:
    """Per region: total capacity, total population and capacity per resident."""
    import pandas as pd

    supply = (
        pd.Series(capacity, index=pd.Index(supply_region, name="region")).groupby(level=0).sum()
    )
    demand = (
        pd.Series(population, index=pd.Index(demand_region, name="region")).groupby(level=0).sum()
    )
    out = pd.concat([supply.rename("supply"), demand.rename("demand")], axis=1).fillna(0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["ratio"] = out["supply"] / out["demand"]
    return out.sort_index().reset_index()


def mean_score_by_region(
    score: FloatArray, population: FloatArray, region: NDArray
) -> pd.DataFrame:
    """Population-weighted mean accessibility per region (unreached cells count as 0)."""
    import pandas as pd

    s = np.where(np.isnan(score), 0.0, score)
    df = pd.DataFrame({"region": region, "population": population, "weighted": s * population})
    out = df.groupby("region", sort=True)[["population", "weighted"]].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        out["mean_score"] = out["weighted"] / out["population"]
    return out.reset_index()[["region", "population", "mean_score"]]


def underserved(score: FloatArray, population: FloatArray, threshold: float) -> NDArray[np.bool_]:
    """Inhabited cells scoring below ``threshold`` (or with no facility in reach at all).

    A threshold is a norm, e.g. beds per resident, or a fraction of the population-weighted
    mean score (see :func:`relative_threshold`).
    """
    score = np.asarray(score, np.float64)
    # "not at least the threshold" is "below it, or NaN" in one comparison
    return (np.asarray(population) > 0) & ~(score >= threshold)


def relative_threshold(score: FloatArray, population: FloatArray, fraction: float = 0.5) -> float:
    """``fraction`` of the population-weighted mean score (unreached cells as 0)."""
    s = np.where(np.isnan(score), 0.0, score)
    total = float(np.sum(population))
    return fraction * float(np.sum(s * population)) / total if total > 0 else 0.0
