"""Demand-supply pairs within a radius, in bounded chunks (general point sets).

Why: irregular points (residential compounds, villages) have no grid to exploit, but the
pairs never need to exist all at once: a KD-tree yields them one block of facilities at a
time and each block is reduced with ``np.bincount`` before the next one is built.
Distances use the same formula as the grid kernels, ``sqrt(dx*dx + dy*dy)``, with ``<=``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:  # heavy libraries load when a function needs them (start-up)
    from scipy.spatial import cKDTree

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
    tree: cKDTree | None = None,
) -> Iterator[PairBlock]:
    """All pairs with ``sqrt((dx-sx)**2 + (dy-sy)**2) <= radius``, in blocks of facilities."""
    from scipy.spatial import cKDTree

    if len(dx) == 0 or len(sx) == 0:
        return
    if max(len(dx), len(sx)) >= 2**31:
        raise ValueError("more than 2**31 points: split the input into tiles")
    tree = tree if tree is not None else cKDTree(np.column_stack([dx, dy]))
    # expected pairs per facility, from density, sets the block size
    area = max(float(np.ptp(dx)) * float(np.ptp(dy)), 1.0)
    per = max(1.0, len(dx) * np.pi * radius * radius / area)
    block = int(max(1, min(len(sx), budget // per)))
    reach = radius * (1 + 1e-9) + 1e-9
    for start in range(0, len(sx), block):
        stop = min(len(sx), start + block)
        sub = cKDTree(np.column_stack([sx[start:stop], sy[start:stop]]))
        m = sub.sparse_distance_matrix(tree, reach, output_type="ndarray")
        j = m["i"].astype(np.int64) + start
        i = m["j"].astype(np.int64)
        ddx = dx[i] - sx[j]
        ddy = dy[i] - sy[j]
        d = np.sqrt(ddx * ddx + ddy * ddy)
        keep = d <= radius
        yield PairBlock(i[keep], j[keep], d[keep])


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
    while they fit in ``cache`` pairs, otherwise generated again from the same KD-tree."""

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
        from scipy.spatial import cKDTree

        self.args = (dx, dy, sx, sy, radius)
        self.tree = cKDTree(np.column_stack([dx, dy])) if len(dx) and len(sx) else None
        self.cache = cache
        self.kept: list[tuple[NDArray, NDArray, FloatArray]] | None = None

    def __call__(self) -> Iterator[PairBlock]:
        if self.kept is not None:
            for i, j, d in self.kept:
                yield PairBlock(i.astype(np.int64), j.astype(np.int64), d)
            return
        kept: list[tuple[NDArray, NDArray, FloatArray]] | None = []
        total = 0
        for b in euclidean_pairs(*self.args, tree=self.tree):
            total += len(b.i)
            if kept is not None and total <= self.cache:
                kept.append((b.i.astype(np.int32), b.j.astype(np.int32), b.d))
            else:
                kept = None
            yield b
        self.kept = kept
