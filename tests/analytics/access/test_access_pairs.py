"""Pairs within a radius from sorted cells: exactly the pairs a brute-force scan finds."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from minsheng.analytics.access.pairs import euclidean_pairs


def _brute(dx, dy, sx, sy, radius):  # noqa: ANN001, ANN202
    ddx = dx[:, None] - sx[None, :]
    ddy = dy[:, None] - sy[None, :]
    d = np.sqrt(ddx * ddx + ddy * ddy)
    i, j = np.nonzero(d <= radius)
    return {(int(a), int(b), float(d[a, b])) for a, b in zip(i, j, strict=True)}


def _found(dx, dy, sx, sy, radius, budget):  # noqa: ANN001, ANN202
    found = [
        (int(a), int(b), float(c))
        for block in euclidean_pairs(dx, dy, sx, sy, radius, budget=budget)
        for a, b, c in zip(block.i, block.j, block.d, strict=True)
    ]
    assert len(found) == len(set(found))  # no pair twice, however the blocks fall
    return set(found)


coordinate = st.integers(-60, 60).map(float)  # integer grids put points exactly on circles


@settings(max_examples=120, deadline=None)
@given(
    demand=st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=80),
    supply=st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=12),
    radius=st.sampled_from([0.5, 1.0, 5.0, 13.0, 25.0, 200.0]),
    spread=st.sampled_from([1.0, 1e-3, 1e4]),
    budget=st.integers(1, 400),
)
def test_cells_find_every_pair_and_nothing_else(demand, supply, radius, spread, budget) -> None:  # noqa: ANN001
    """Clustered points (many in one cell), a far outlier stretching the cells, facilities
    outside the points' extent, points on the circle itself, tiny pair budgets."""
    dx = np.array([p[0] for p in demand]) * spread
    dy = np.array([p[1] for p in demand]) * spread
    sx = np.array([p[0] for p in supply]) * spread
    sy = np.array([p[1] for p in supply]) * spread
    r = radius * spread
    assert _found(dx, dy, sx, sy, r, budget) == _brute(dx, dy, sx, sy, r)


def test_scattered_points_give_the_pairs_of_a_kd_tree() -> None:
    """At the benchmark's density the cells agree with SciPy's KD-tree, pair for pair."""
    from scipy.spatial import cKDTree

    rng = np.random.default_rng(11)
    dx, dy = rng.uniform(0, 1e5, 200_000), rng.uniform(0, 1e5, 200_000)
    sx, sy = rng.uniform(-5e3, 1.05e5, 300), rng.uniform(-5e3, 1.05e5, 300)
    m = cKDTree(np.column_stack([sx, sy])).sparse_distance_matrix(
        cKDTree(np.column_stack([dx, dy])), 3000.0, output_type="ndarray"
    )
    want = set(zip(m["j"].tolist(), m["i"].tolist(), strict=True))
    got = {(a, b) for a, b, _ in _found(dx, dy, sx, sy, 3000.0, 1_000_000)}
    assert got == want
