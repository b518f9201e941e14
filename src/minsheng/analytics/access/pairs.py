"""Demand-supply pairs within a radius, in bounded chunks (general point sets).

Why: irregular points (residential compounds, villages) have no grid to exploit, but the
pairs never need to exist all at once: the points sorted by cells yield them one block of
facilities at a time and each block is reduced with ``np.bincount`` before the next one
is built.
Distances use the same formula as the grid kernels, ``sqrt(dx*dx + dy*dy)``, with ``<=``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from .binned import Bins

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

PAIR_BUDGET = 1_000_000  # pairs at once, ~100 MB with temporaries (4M: a 1 GiB peak)
CACHE_PAIRS = 16_000_000  # pairs kept between the two FCA stages (int32 + float64: 256 MB)


@dataclass(frozen=True)
class PairBlock:
    """Pairs ``(demand[i], supply[j])`` with their cost ``d``."""

    i: IntArray
    j: IntArray
    d: FloatArray


def euclidean_pairs(
    dx: FloatArray,
    dy: FloatArray,
    sx: FloatArray,
    sy: FloatArray,
    radius: float,
    *,
    budget: int = PAIR_BUDGET,
    bins: Bins | None = None,
) -> Iterator[PairBlock]:
    """All pairs with ``sqrt((dx-sx)**2 + (dy-sy)**2) <= radius``, in blocks of facilities.

    Why cells rather than a KD-tree: with the demand points sorted by square cells a
    fraction of the radius wide (:func:`.binned.make_bins`), the points that may lie in a
    disk are, row of cells by row, one contiguous run of the sorted points; the runs of a
    block of facilities expand to candidate pairs in a few vectorised steps, and the
    distance test keeps the pairs. The cells the circle crosses add about a tenth to the
    candidates; a KD-tree's dual traversal cost four times as much on a million points
    (and its import a fifth of a second), for the very same pairs.
    """
    from .binned import disk_rows, make_bins

    if len(dx) == 0 or len(sx) == 0:
        return
    if max(len(dx), len(sx)) >= 2**31:
        raise ValueError("more than 2**31 points: split the input into tiles")
    bins = bins if bins is not None else make_bins(dx, dy, radius)
    rows = disk_rows(bins, sx, sy, radius)  # every cell that may hold a point within reach
    (cand_lo, _), (_, cand_hi) = rows.edges
    base = rows.row * bins.nx
    first = bins.first[base + cand_lo]
    count = bins.first[base + cand_hi] - first
    reached = np.cumsum(count)
    at = 0
    while at < len(count):
        done_before = int(reached[at - 1]) if at else 0
        end = max(at + 1, int(np.searchsorted(reached, done_before + budget, side="right")))
        runs, run_first = count[at:end], first[at:end]
        total = int(reached[end - 1]) - done_before
        if total:
            # the sorted positions of every run, laid end to end
            shift = np.repeat(run_first - (np.cumsum(runs) - runs), runs)
            pos = shift + np.arange(total, dtype=np.int64)
            facility = rows.facility[at:end]
            # sorted coordinates read in order, each facility's repeated: the values of
            # dx[i] - sx[j] without gathering from a million points at random
            ddx = bins.x[pos] - np.repeat(sx[facility], runs)
            ddy = bins.y[pos] - np.repeat(sy[facility], runs)
            d = np.sqrt(ddx * ddx + ddy * ddy)
            keep = np.flatnonzero(d <= radius)
            yield PairBlock(bins.order[pos[keep]], np.repeat(facility, runs)[keep], d[keep])
        at = end


def table_pairs(
    origin: IntArray,
    dest: IntArray,
    cost: FloatArray,
    max_cost: float | None,
    *,
    budget: int = PAIR_BUDGET,
) -> Iterator[PairBlock]:
    """A user's travel-cost table (already mapped to positions), filtered to ``cost <= max_cost``."""
    for start in range(0, len(cost), budget):
        sl = slice(start, start + budget)
        i, j, d = origin[sl], dest[sl], cost[sl]
        if max_cost is not None:
            keep = d <= max_cost
            i, j, d = i[keep], j[keep], d[keep]
        yield PairBlock(np.asarray(i, np.int64), np.asarray(j, np.int64), np.asarray(d, np.float64))


class ReusablePairs:
    """Pairs within ``radius``, iterable more than once: kept (compactly) between passes
    while they fit in ``cache`` pairs, otherwise generated again from the same cells."""

    def __init__(
        self,
        dx: FloatArray,
        dy: FloatArray,
        sx: FloatArray,
        sy: FloatArray,
        radius: float,
        *,
        cache: int = CACHE_PAIRS,
    ) -> None:
        from .binned import make_bins

        self.args = (dx, dy, sx, sy, radius)
        self.bins = make_bins(dx, dy, radius) if len(dx) and len(sx) else None
        self.cache = cache
        self.kept: list[tuple[NDArray, NDArray, FloatArray]] | None = None

    def __call__(self) -> Iterator[PairBlock]:
        if self.kept is not None:
            for i, j, d in self.kept:
                yield PairBlock(i.astype(np.int64), j.astype(np.int64), d)
            return
        kept: list[tuple[NDArray, NDArray, FloatArray]] | None = []
        total = 0
        for b in euclidean_pairs(*self.args, bins=self.bins):
            total += len(b.i)
            if kept is not None and total <= self.cache:
                kept.append((b.i.astype(np.int32), b.j.astype(np.int32), b.d))
            else:
                kept = None
            yield b
        self.kept = kept
