"""Scattered points through whole cells and the edge ring equal the pair path exactly."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng.analytics.access import Gaussian, Points, Step, two_step_fca
from minsheng.analytics.access.weights import Uniform


def _both(demand: Points, supply: Points, radius: float, decay):  # noqa: ANN001, ANN202
    binned = two_step_fca(demand, supply, radius, decay, method="bins")
    pairs = two_step_fca(demand, supply, radius, decay, method="pairs")
    return binned, pairs


def _same(binned, pairs) -> None:  # noqa: ANN001
    assert binned.method == "bins" and pairs.method == "pairs"
    np.testing.assert_array_equal(binned.reached, pairs.reached)
    np.testing.assert_allclose(binned.catchment_demand, pairs.catchment_demand, rtol=1e-12, atol=0)
    assert np.array_equal(np.isnan(binned.score), np.isnan(pairs.score))
    assert np.array_equal(np.isinf(binned.score), np.isinf(pairs.score))
    ok = np.isfinite(pairs.score)
    np.testing.assert_allclose(binned.score[ok], pairs.score[ok], rtol=1e-12, atol=0)


@pytest.mark.parametrize("decay", [Uniform(), Step.luo_qi(900.0), Step.of({300: 1, 600: 0})])
def test_random_scattered_points_match_the_pairs(decay) -> None:  # noqa: ANN001
    rng = np.random.default_rng(11)
    n, m = 20_000, 300
    demand = Points.of(rng.uniform(0, 20_000, n), rng.uniform(0, 15_000, n), rng.integers(0, 50, n))
    supply = Points.of(
        rng.uniform(-1000, 21_000, m), rng.uniform(-1000, 16_000, m), rng.integers(0, 9, m)
    )
    _same(*_both(demand, supply, 900.0, decay))


def test_points_exactly_on_the_circle_are_inside() -> None:
    # 3-4-5 triangles: distance exactly 5 from the facility, on and off the cell lines
    dx = np.array([3.0, 4.0, -3.0, 0.0, 5.0, -5.0, 0.0, 3.0, 5.0, 0.1])
    dy = np.array([4.0, 3.0, -4.0, 5.0, 0.0, 0.0, -5.0, -4.0, 0.1, 5.0])
    demand = Points.of(dx + 100, dy + 100, np.arange(1, 11))
    supply = Points.of(np.array([100.0]), np.array([100.0]), np.array([2.0]))
    binned, pairs = _both(demand, supply, 5.0, None)
    _same(binned, pairs)
    assert binned.reached.tolist() == [True] * 8 + [False, False]


def test_empty_catchments_give_the_same_nan_and_inf() -> None:
    demand = Points.of(
        np.array([0.0, 10.0, 5000.0]), np.array([0.0, 0.0, 0.0]), np.array([0.0, 0.0, 4.0])
    )
    supply = Points.of(
        np.array([5.0, 9000.0, 5000.0]), np.array([0.0, 0.0, 1.0]), np.array([3.0, 1.0, 0.0])
    )
    _same(*_both(demand, supply, 50.0, None))


def test_gaussian_decay_stays_on_the_pairs() -> None:
    rng = np.random.default_rng(2)
    demand = Points.of(rng.uniform(0, 1000, 50), rng.uniform(0, 1000, 50), np.ones(50))
    supply = Points.of(rng.uniform(0, 1000, 5), rng.uniform(0, 1000, 5), np.ones(5))
    assert two_step_fca(demand, supply, 300.0, Gaussian(100.0)).method == "pairs"
    assert two_step_fca(demand, supply, 300.0).method == "bins"


coords = st.floats(-5_000, 5_000, allow_nan=False).map(lambda v: round(v, 1))


@given(
    pts=st.lists(st.tuples(coords, coords, st.integers(0, 9)), min_size=1, max_size=60),
    fac=st.lists(st.tuples(coords, coords, st.integers(0, 5)), min_size=1, max_size=8),
    radius=st.sampled_from([1.0, 250.0, 1000.0, 4000.0]),
)
def test_any_layout_matches_the_pairs(pts, fac, radius) -> None:  # noqa: ANN001
    px, py, pp = (np.array(v, dtype=float) for v in zip(*pts, strict=True))
    fx, fy, fc = (np.array(v, dtype=float) for v in zip(*fac, strict=True))
    _same(*_both(Points.of(px, py, pp), Points.of(fx, fy, fc), radius, None))


@given(
    st.lists(st.integers(0, (1 << 32) - 1), max_size=300),
    st.sampled_from([1 << 8, 1 << 16, 1 << 20, 1 << 32]),
)
def test_the_radix_order_of_cells_is_numpys_stable_order(cells: list[int], span: int) -> None:
    """Keys below 2**16 take one pass, below 2**32 two; ties keep their first order."""
    from minsheng.analytics.access.binned import _stable_order

    cell = np.array([c % span for c in cells], dtype=np.int64)
    assert np.array_equal(_stable_order(cell, span), np.argsort(cell, kind="stable"))
