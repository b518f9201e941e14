"""Two-step floating catchment area (2SFCA) and its enhanced, distance-decayed form (E2SFCA).

Stage 1, each facility ``j``:  ``R_j = S_j / sum_{i: d_ij <= r} P_i w(d_ij)``
Stage 2, each demand cell ``i``: ``A_i = sum_{j: d_ij <= r} R_j w(d_ij)``

with ``w = 1`` for 2SFCA (Luo & Wang 2003), step weights (Luo & Qi 2009) or a Gaussian
(Dai 2010) for E2SFCA. Conventions follow PySAL ``access`` (``two_stage_fca``) so results
agree to rounding: pairs at exactly ``r`` count, a cell with no facility within ``r``
scores NaN, ``0/0`` ratios are skipped, a facility with supply but no demand has
``R = inf``; ``normalize`` divides by the population-weighted mean score.

Paths: a regular demand grid uses :mod:`.grid_kernels` (no pair list at all); other
point sets are sorted into cells (:mod:`.binned`: whole cells plus the ring the circle
crosses), and Gaussian decay takes pairs generated from those cells in chunks
(:mod:`.pairs`); a travel-cost table supplies pairs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from . import binned, grid_kernels
from .grid import Grid, detect_grid
from .pairs import PairBlock, ReusablePairs, table_pairs
from .weights import Decay, Step, Uniform

FloatArray = NDArray[np.float64]
Method = Literal["auto", "grid", "bins", "pairs"]


@dataclass(frozen=True)
class Points:
    """Locations in metres and one value each (population or capacity)."""

    x: FloatArray
    y: FloatArray
    value: FloatArray

    @classmethod
    def of(cls, x, y, value) -> Points:  # noqa: ANN001 - array-likes
        x, y, v = (np.ascontiguousarray(a, dtype=np.float64) for a in (x, y, value))
        if not (x.shape == y.shape == v.shape and x.ndim == 1):
            raise ValueError("x, y and value must be 1-d arrays of one length")
        return cls(x, y, v)

    def __len__(self) -> int:
        return len(self.x)

    def take(self, idx: NDArray) -> Points:
        return Points(self.x[idx], self.y[idx], self.value[idx])


@dataclass(frozen=True)
class FcaResult:
    """Scores per demand point plus the stage-1 figures per facility."""

    score: FloatArray  # A_i; NaN where no facility is within reach
    ratio: FloatArray  # R_j = S_j / D_j (inf/NaN where D_j == 0)
    catchment_demand: FloatArray  # D_j
    reached: NDArray[np.bool_]  # some facility within reach of demand i
    method: str


def _ratio(capacity: FloatArray, demand: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return capacity / demand


def _finish(score: FloatArray, reached, pop: FloatArray, normalize: bool) -> FloatArray:  # noqa: ANN001
    score = np.where(reached, score, np.nan)
    if normalize:
        # helpers.normalized_access: NaN scores drop out of the numerator only
        mean = np.nansum(score * pop) / pop.sum()
        score = score / mean
    return score


# --- stages, reused by the tiled (Dask) path ---------------------------------------------


def _runs(grid: Grid, supply: Points, radius: float, decay: Decay) -> grid_kernels.Runs:
    return grid_kernels.runs_for(grid, supply.x, supply.y, grid_kernels.radii_needed(decay, radius))


def stage1(
    demand: Points,
    supply: Points,
    radius: float,
    decay: Decay,
    grid: Grid | None,
    runs: grid_kernels.Runs | None = None,
    pairs: ReusablePairs | None = None,
) -> FloatArray:
    """``D_j``: decayed demand within ``radius`` of each facility."""
    if grid is not None:
        runs = runs or _runs(grid, supply, radius, decay)
        return grid_kernels.catchment_demand(
            grid, demand.value, runs, supply.x, supply.y, radius, decay
        )
    pairs = pairs or ReusablePairs(demand.x, demand.y, supply.x, supply.y, radius)
    return _stage1_pairs(pairs, demand.value, len(supply), decay)


def stage2(
    demand: Points,
    supply: Points,
    ratio: FloatArray,
    radius: float,
    decay: Decay,
    grid: Grid | None,
    runs: grid_kernels.Runs | None = None,
    pairs: ReusablePairs | None = None,
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """``A_i`` (raw, zeros where unreached) and the reached mask."""
    if grid is not None:
        runs = runs or _runs(grid, supply, radius, decay)
        raster, reached = grid_kernels.spread_and_reach(
            grid, ratio, runs, supply.x, supply.y, radius, decay
        )
        return grid.sample(raster), grid.sample(reached)
    pairs = pairs or ReusablePairs(demand.x, demand.y, supply.x, supply.y, radius)
    return _stage2_pairs(pairs, ratio, len(demand), decay)


def _stage1_pairs(blocks: Callable[[], Iterable[PairBlock]], pop, n_supply, decay) -> FloatArray:  # noqa: ANN001
    total = np.zeros(n_supply)
    for b in blocks():
        w = pop[b.i] if isinstance(decay, Uniform) else pop[b.i] * decay(b.d)
        total += np.bincount(b.j, w, n_supply)
    return total


def _stage2_pairs(blocks, ratio, n_demand, decay):  # noqa: ANN001, ANN202
    score = np.zeros(n_demand)
    reached = np.zeros(n_demand, dtype=bool)
    for b in blocks():
        with np.errstate(invalid="ignore"):
            c = ratio[b.j] if isinstance(decay, Uniform) else ratio[b.j] * decay(b.d)
        c = np.where(np.isnan(c), 0.0, c)
        score += np.bincount(b.i, c, n_demand)
        reached[b.i] = True
    return score, reached


def pick_grid(demand: Points, method: Method, radius: float) -> Grid | None:
    """The demand grid when the grid kernels apply (``method='auto'``/``'grid'``), else None."""
    if method in ("pairs", "bins"):
        return None
    grid = detect_grid(demand.x, demand.y)
    if grid is not None and not grid.fits(radius):
        grid = None
    if grid is None and method == "grid":
        raise ValueError("demand points do not form a regular grid finer than the radius")
    return grid


def two_step_fca(
    demand: Points,
    supply: Points,
    radius: float,
    decay: Decay | None = None,
    *,
    normalize: bool = False,
    method: Method = "auto",
) -> FcaResult:
    """2SFCA scores (E2SFCA when ``decay`` is given) from locations in metres.

    Equals ``Access(...).two_stage_fca(max_cost=radius, weight_fn=...)`` fed with all
    pairs within ``radius``; see the module docstring for the conventions.
    """
    if not radius > 0:
        raise ValueError("radius must be positive")
    decay = decay or Uniform()
    grid = pick_grid(demand, method, radius)
    if grid is None and method in ("auto", "bins") and binned.applies(decay) and len(demand):
        return _binned_fca(demand, supply, radius, decay, normalize)
    runs = _runs(grid, supply, radius, decay) if grid is not None else None
    pairs = (
        None if grid is not None else ReusablePairs(demand.x, demand.y, supply.x, supply.y, radius)
    )
    d_j = stage1(demand, supply, radius, decay, grid, runs, pairs)
    r_j = _ratio(supply.value, d_j)
    score, reached = stage2(demand, supply, r_j, radius, decay, grid, runs, pairs)
    return FcaResult(
        _finish(score, reached, demand.value, normalize),
        r_j,
        d_j,
        reached,
        "grid" if grid is not None else "pairs",
    )


def _binned_fca(
    demand: Points, supply: Points, radius: float, decay: Decay, normalize: bool
) -> FcaResult:
    """Scattered points, uniform or step decay: whole cells plus the edge ring (:mod:`.binned`)."""
    bins = binned.make_bins(demand.x, demand.y, radius)
    disks = binned.Catchments(bins, supply.x, supply.y)
    d_j = binned.catchment_demand(disks, demand.value[bins.order], radius, decay)
    r_j = _ratio(supply.value, d_j)
    score = np.empty(len(demand))
    reached = np.empty(len(demand), dtype=bool)
    score[bins.order] = binned.spread_ratio(disks, r_j, radius, decay)
    reached[bins.order] = binned.reached(disks, radius)
    return FcaResult(_finish(score, reached, demand.value, normalize), r_j, d_j, reached, "bins")


def enhanced_two_step_fca(
    demand: Points,
    supply: Points,
    radius: float,
    decay: Decay | None = None,
    *,
    normalize: bool = False,
    method: Method = "auto",
) -> FcaResult:
    """E2SFCA; without ``decay`` the Luo & Qi zones (1, 0.68, 0.22 over thirds of ``radius``)."""
    return two_step_fca(
        demand, supply, radius, decay or Step.luo_qi(radius), normalize=normalize, method=method
    )


def two_step_fca_from_costs(
    population: FloatArray,
    capacity: FloatArray,
    origin: NDArray[np.int64],
    dest: NDArray[np.int64],
    cost: FloatArray,
    max_cost: float | None,
    decay: Decay | None = None,
    *,
    normalize: bool = False,
) -> FcaResult:
    """2SFCA/E2SFCA over a travel-cost table (positions of origin demand, destination supply).

    For road-network times computed elsewhere: only the listed pairs (with
    ``cost <= max_cost``) link demand and supply.
    """
    decay = decay or Uniform()
    population = np.asarray(population, np.float64)
    capacity = np.asarray(capacity, np.float64)

    def blocks() -> Iterable[PairBlock]:
        return table_pairs(origin, dest, np.asarray(cost, np.float64), max_cost)

    d_j = _stage1_pairs(blocks, population, len(capacity), decay)
    r_j = _ratio(capacity, d_j)
    score, reached = _stage2_pairs(blocks, r_j, len(population), decay)
    return FcaResult(_finish(score, reached, population, normalize), r_j, d_j, reached, "table")
