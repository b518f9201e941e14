"""Coverage, region figures, underserved cells; properties of coverage."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minsheng.analytics.access import (
    Points,
    coverage_by_region,
    covered,
    mean_score_by_region,
    nearest_distance,
    relative_threshold,
    supply_demand_ratio_by_region,
    underserved,
)

GRID = np.meshgrid(np.arange(20) * 100.0, np.arange(15) * 100.0)
DEMAND = Points.of(GRID[0].ravel(), GRID[1].ravel(), np.arange(300) % 7)
SCATTER = Points.of(*np.random.default_rng(0).uniform(0, 2000, (2, 200)), np.ones(200))

coords = st.lists(st.tuples(st.floats(-300, 2300), st.floats(-300, 1800)), min_size=1, max_size=8)


def brute(d: Points, fx: np.ndarray, fy: np.ndarray, r: float) -> np.ndarray:
    dx = d.x[:, None] - fx[None, :]
    dy = d.y[:, None] - fy[None, :]
    return (np.sqrt(dx * dx + dy * dy) <= r).any(axis=1)


@pytest.mark.parametrize("demand", [DEMAND, SCATTER], ids=["grid", "scattered"])
@settings(max_examples=30, deadline=None)
@given(fac=coords, r1=st.floats(1, 1500), r2=st.floats(1, 1500))
def test_coverage_is_monotone_in_radius_and_exact(
    demand: Points, fac, r1: float, r2: float
) -> None:  # noqa: ANN001
    fx, fy = np.array(fac).T
    lo, hi = sorted((r1, r2))
    c_lo, c_hi = covered(demand, fx, fy, lo), covered(demand, fx, fy, hi)
    assert not np.any(c_lo & ~c_hi)
    np.testing.assert_array_equal(c_lo, brute(demand, fx, fy, lo))


@pytest.mark.parametrize("demand", [DEMAND, SCATTER], ids=["grid", "scattered"])
@settings(max_examples=30, deadline=None)
@given(
    fac=coords, extra=st.tuples(st.floats(-300, 2300), st.floats(-300, 1800)), r=st.floats(1, 1200)
)
def test_adding_a_facility_never_lowers_coverage(demand: Points, fac, extra, r: float) -> None:  # noqa: ANN001
    fx, fy = np.array(fac).T
    before = covered(demand, fx, fy, r)
    after = covered(demand, np.append(fx, extra[0]), np.append(fy, extra[1]), r)
    assert not np.any(before & ~after)
    d0, _ = nearest_distance(demand.x, demand.y, fx, fy)
    d1, _ = nearest_distance(demand.x, demand.y, np.append(fx, extra[0]), np.append(fy, extra[1]))
    assert np.all(d1 <= d0)


def test_region_tables() -> None:
    pop = np.array([10.0, 20.0, 30.0, 40.0])
    region = np.array(["a", "a", "b", "b"])
    cov = coverage_by_region(pop, np.array([True, False, True, True]), region)
    assert cov["share"].tolist() == pytest.approx([10 / 30, 1.0])
    ratio = supply_demand_ratio_by_region(
        region, pop, np.array(["b", "b", "c"]), np.array([7.0, 3.0, 1.0])
    )
    assert ratio.set_index("region")["ratio"].to_dict() == pytest.approx(
        {"a": 0.0, "b": 10 / 70, "c": np.inf}
    )
    mean = mean_score_by_region(np.array([1.0, np.nan, 2.0, 4.0]), pop, region)
    assert mean["mean_score"].tolist() == pytest.approx([10 / 30, (60 + 160) / 70])


def test_underserved_cells() -> None:
    score = np.array([np.nan, 0.1, 0.5, 0.0, 2.0])
    pop = np.array([5.0, 5.0, 5.0, 0.0, 5.0])
    t = relative_threshold(score, pop, 0.5)
    assert t == pytest.approx(0.5 * (0.5 + 2.5 + 10) / 20)
    assert underserved(score, pop, t).tolist() == [True, True, False, False, False]
