"""Greedy maximal covering location: where should the next ``k`` facilities go?

Maximal covering (Church & ReVelle 1974) picks sites to cover the most residents within
``r``. Coverage is submodular, so the greedy choice -- each step the candidate that newly
covers the most still-uncovered residents -- is within ``1 - 1/e`` of the optimum
(Nemhauser, Wolsey & Fisher 1978). Ties go to the lowest candidate index.

On a regular grid gains are exact run sums of the uncovered population (no pair list);
after a pick, only candidates within ``2r`` of it are re-scored. Elsewhere a sparse
candidate x demand incidence matrix is built in bounded blocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:  # heavy libraries load when a function needs them (start-up)
    pass

from . import grid_kernels
from .coverage import covered
from .exact import combine, exact_row_cumsum
from .fca import Points, pick_grid
from .grid import Grid
from .pairs import euclidean_pairs

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class SitingStep:
    """One pick: the candidate, residents it newly covers, and residents covered so far."""

    candidate: int
    newly_covered: float
    total_covered: float


def greedy_max_cover(
    demand: Points,
    candidate_x: FloatArray,
    candidate_y: FloatArray,
    radius: float,
    k: int,
    *,
    existing_x: FloatArray | None = None,
    existing_y: FloatArray | None = None,
    method: str = "auto",
) -> list[SitingStep]:
    """Up to ``k`` greedy picks; stops early when no candidate covers anyone new."""
    cx = np.asarray(candidate_x, np.float64)
    cy = np.asarray(candidate_y, np.float64)
    pop = demand.value
    if existing_x is not None and len(existing_x):
        done = covered(demand, np.asarray(existing_x), np.asarray(existing_y), radius)
    else:
        done = np.zeros(len(demand), dtype=bool)
    if len(cx) == 0 or k <= 0:
        return []
    grid = pick_grid(demand, "pairs" if method == "pairs" else "auto", radius)
    if grid is not None:
        return _greedy_grid(grid, pop, done, cx, cy, radius, k)
    return _greedy_sparse(demand, pop, done, cx, cy, radius, k)


def _greedy_sparse(demand, pop, done, cx, cy, radius, k) -> list[SitingStep]:  # noqa: ANN001
    from scipy import sparse

    i_parts, j_parts = [], []
    for b in euclidean_pairs(demand.x, demand.y, cx, cy, radius):
        i_parts.append(b.i)
        j_parts.append(b.j)
    i = np.concatenate(i_parts) if i_parts else np.zeros(0, np.int64)
    j = np.concatenate(j_parts) if j_parts else np.zeros(0, np.int64)
    inc = sparse.csr_matrix((np.ones(len(i)), (j, i)), shape=(len(cx), len(pop)))
    inc.sort_indices()
    inc_t = inc.tocsc()
    left = np.where(done, 0.0, pop)
    gains = inc @ left
    total = float(pop[done].sum())
    steps: list[SitingStep] = []
    for _ in range(k):
        c = int(np.argmax(gains))
        if not gains[c] > 0:
            break
        cells = inc.indices[inc.indptr[c] : inc.indptr[c + 1]]
        new = cells[left[cells] > 0]
        gained = float(left[new].sum())
        left[new] = 0.0
        total += gained
        steps.append(SitingStep(c, gained, total))
        touched = np.unique(inc_t[:, new].indices)
        gains[touched] = inc[touched] @ left
    return steps


def _gains(
    grid: Grid, left_raster: FloatArray, runs: grid_kernels.Runs, radius: float
) -> FloatArray:
    parts = [c.ravel() for c in exact_row_cumsum(left_raster)]
    a, b = runs.start[radius], runs.end[radius]
    return combine([p.take(b) - p.take(a) for p in parts]).sum(axis=1)


def _greedy_grid(grid, pop, done, cx, cy, radius, k) -> list[SitingStep]:  # noqa: ANN001
    from scipy.spatial import cKDTree

    nb, na = grid.shape
    left = grid.rasterise(np.where(done, 0.0, pop))
    runs = grid_kernels.runs_for(grid, cx, cy, [radius])
    gains = _gains(grid, left, runs, radius)
    tree = cKDTree(np.column_stack([cx, cy]))
    total = float(pop[done].sum())
    steps: list[SitingStep] = []
    for _ in range(k):
        c = int(np.argmax(gains))
        if not gains[c] > 0:
            break
        # cells of the pick's disk: its runs in the flat (rows, cols + 1) layout
        a, b = runs.start[radius][c], runs.end[radius][c]
        keep = a < b
        lengths = b[keep] - a[keep]
        flat = np.repeat(a[keep] - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        rows, cols = np.divmod(flat, na + 1)
        gained = float(left[rows, cols].sum())
        left[rows, cols] = 0.0
        total += gained
        steps.append(SitingStep(c, gained, total))
        near = np.array(
            tree.query_ball_point([cx[c], cy[c]], 2 * radius * (1 + 1e-9) + 1e-9), dtype=np.int64
        )
        sub = grid_kernels.Runs(
            {radius: runs.start[radius][near]}, {radius: runs.end[radius][near]}
        )
        gains[near] = _gains(grid, left, sub, radius)
    return steps
