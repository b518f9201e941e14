"""The grid layer: detection, and runs of cells that equal a brute-force distance test."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from minsheng.analytics.access.exact import combine, exact_row_cumsum, split
from minsheng.analytics.access.grid import detect_grid, row_intervals, window_rows


def test_detects_a_shuffled_grid_with_holes() -> None:
    rng = np.random.default_rng(0)
    xs, ys = np.meshgrid(np.arange(30) * 250.0 + 1e5, np.arange(20) * 100.0 + 3e6)
    x, y = xs.ravel(), ys.ravel()
    keep = rng.random(x.size) < 0.7
    order = rng.permutation(int(keep.sum()))
    g = detect_grid(x[keep][order], y[keep][order])
    assert g is not None
    assert (g.hx, g.hy) == (250.0, 100.0)
    np.testing.assert_array_equal(g.xs[g.col], x[keep][order])
    np.testing.assert_array_equal(g.ys[g.row], y[keep][order])


def test_rejects_scattered_points_and_duplicates() -> None:
    rng = np.random.default_rng(1)
    assert detect_grid(rng.uniform(0, 1e4, 500), rng.uniform(0, 1e4, 500)) is None
    assert detect_grid(np.array([0.0, 0.0, 100.0]), np.array([0.0, 0.0, 0.0])) is None


def _check_runs(xs, ys, fx: float, fy: float, rho: float) -> None:  # noqa: ANN001
    g = detect_grid(xs.ravel(), ys.ravel())
    assert g is not None
    f_x, f_y = np.array([fx]), np.array([fy])
    rows, _ = window_rows(g, f_y, rho)
    lo, hi = row_intervals(g, f_x, f_y, rows, rho)
    inside = np.zeros(g.shape, dtype=bool)
    for r, a, b in zip(rows[0], lo[0], hi[0], strict=True):
        if a <= b:
            inside[r, a : b + 1] = True
    dx = g.xs[None, :] - fx
    dy = g.ys[:, None] - fy
    np.testing.assert_array_equal(inside, np.sqrt(dx * dx + dy * dy) <= rho)


@settings(max_examples=60, deadline=None)
@given(
    fx=st.floats(-800, 3000),
    fy=st.floats(-800, 2500),
    rho=st.floats(1.0, 900.0),
    h=st.sampled_from([10.0, 33.3, 100.0]),
    offset=st.sampled_from([0.0, 4.5e6]),
)
def test_runs_equal_brute_force(fx: float, fy: float, rho: float, h: float, offset: float) -> None:
    xs, ys = np.meshgrid(np.arange(25) * h + offset, np.arange(18) * h + offset)
    _check_runs(xs, ys, fx + offset, fy + offset, rho)


@settings(max_examples=60, deadline=None)
@given(
    i=st.integers(-3, 30),
    j=st.integers(-3, 20),
    rho_cells=st.sampled_from([1, 2, 3, 5, 7, 10, 13]),
    offset=st.sampled_from([0.0, 3.2e6]),
)
def test_runs_on_cell_centres_and_pythagorean_radii(
    i: int, j: int, rho_cells: int, offset: float
) -> None:
    """Facilities on cell centres with radii of whole cells put many cells exactly at ``rho``."""
    xs, ys = np.meshgrid(np.arange(25) * 100.0 + offset, np.arange(18) * 100.0 + offset)
    _check_runs(xs, ys, i * 100.0 + offset, j * 100.0 + offset, rho_cells * 100.0)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=60), st.data())
def test_exact_segment_sums(values: list[float], data: st.DataObject) -> None:
    v = np.array(values)
    assert np.array_equal(combine(split(v)), v)
    c = exact_row_cumsum(v[None, :])
    lo = data.draw(st.integers(0, len(v) - 1))
    hi = data.draw(st.integers(lo, len(v) - 1))
    got = combine([p[0, hi + 1] - p[0, lo] for p in c])
    want = float(np.sum(np.array(values[lo : hi + 1], dtype=np.longdouble)))
    # relative to the segment itself, plus an absolute floor of order u**2 * row total
    assert abs(got - want) <= 1e-12 * abs(want) + 1e-30 * len(v) * np.abs(v).sum()


def test_reusable_pairs_same_on_every_pass_cached_or_not() -> None:
    from minsheng.analytics.access.pairs import ReusablePairs

    rng = np.random.default_rng(5)
    dx, dy = rng.uniform(0, 1000, 400), rng.uniform(0, 1000, 400)
    sx, sy = rng.uniform(0, 1000, 30), rng.uniform(0, 1000, 30)

    def as_set(pairs: ReusablePairs) -> set[tuple[int, int, float]]:
        return {
            (int(i), int(j), float(d))
            for b in pairs()
            for i, j, d in zip(b.i, b.j, b.d, strict=True)
        }

    brute = {
        (i, j, float(np.sqrt((dx[i] - sx[j]) ** 2 + (dy[i] - sy[j]) ** 2)))
        for i in range(400)
        for j in range(30)
        if np.sqrt((dx[i] - sx[j]) ** 2 + (dy[i] - sy[j]) ** 2) <= 150.0
    }
    for cache in (5, 10**9):
        pairs = ReusablePairs(dx, dy, sx, sy, 150.0, cache=cache)
        first, second = as_set(pairs), as_set(pairs)
        assert first == second == brute
        assert (pairs.kept is None) == (cache == 5)


@settings(max_examples=60, deadline=None)
@given(
    n_fac=st.integers(1, 25),
    rho=st.floats(50.0, 700.0),
    scale=st.sampled_from([1e-300, 1e-12, 1.0, 1e12]),
    spread=st.sampled_from([1.0, 1e6, 1e17]),
    weights=st.sampled_from(["uniform", "falling", "zero-at-edge", "rising"]),
    seed=st.integers(0, 2**31),
)
def test_reach_from_the_scores_equals_the_facility_count(
    n_fac: int, rho: float, scale: float, spread: float, weights: str, seed: int
) -> None:
    """Where reach is read off the exact heads of the scores, it is where a facility lies
    within the radius -- ratios tiny beside the others (heads of zero) included."""
    from minsheng.analytics.access.grid_kernels import (
        radii_needed,
        reach_counts,
        runs_for,
        spread_and_reach,
        spread_ratio,
    )
    from minsheng.analytics.access.weights import Step, Uniform

    rng = np.random.default_rng(seed)
    xs, ys = np.meshgrid(np.arange(40) * 50.0, np.arange(30) * 50.0)
    g = detect_grid(xs.ravel(), ys.ravel())
    assert g is not None
    fx, fy = rng.uniform(-200, 2200, n_fac), rng.uniform(-200, 1700, n_fac)
    ratio = scale * spread ** rng.uniform(0, 1, n_fac)
    decay = {
        "uniform": Uniform(),
        "falling": Step.of({rho / 3: 1.0, 2 * rho / 3: 0.5, rho: 0.2}),
        "zero-at-edge": Step.of({rho / 2: 1.0, rho: 0.0}),
        "rising": Step.of({rho / 2: 0.3, rho: 1.0}),
    }[weights]
    runs = runs_for(g, fx, fy, radii_needed(decay, rho))
    raster, reached = spread_and_reach(g, ratio, runs, fx, fy, rho, decay)
    np.testing.assert_array_equal(reached, reach_counts(g, runs, rho) > 0)
    np.testing.assert_array_equal(raster, spread_ratio(g, ratio, runs, fx, fy, rho, decay))
