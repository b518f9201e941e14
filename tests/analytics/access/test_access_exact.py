"""Oracle tests: minsheng's 2SFCA/E2SFCA equal PySAL ``access`` on the same pairs (1e-9 relative).

The reference route is the one its users take: all pairs within the radius from a
KD-tree, then ``Access.two_stage_fca(max_cost=r, weight_fn=...)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from access import Access, weights
from scipy.spatial import cKDTree

from minsheng.analytics.access import Gaussian, Points, Step, two_step_fca, two_step_fca_from_costs

RADIUS = 700.0


def access_scores(d: Points, s: Points, radius: float, weight_fn, normalize=False) -> np.ndarray:  # noqa: ANN001
    m = cKDTree(np.column_stack([s.x, s.y])).sparse_distance_matrix(
        cKDTree(np.column_stack([d.x, d.y])), radius, output_type="ndarray"
    )
    cost = pd.DataFrame({"origin": m["j"], "dest": m["i"], "cost": m["v"]})
    a = Access(
        demand_df=pd.DataFrame({"geoid": np.arange(len(d)), "pop": d.value}),
        demand_index="geoid",
        demand_value="pop",
        supply_df=pd.DataFrame({"geoid": np.arange(len(s)), "cap": s.value}),
        supply_index="geoid",
        supply_value="cap",
        cost_df=cost,
        cost_origin="origin",
        cost_dest="dest",
        cost_name="cost",
    )
    out = a.two_stage_fca(max_cost=radius, weight_fn=weight_fn, normalize=normalize).iloc[:, 0]
    return out.reindex(np.arange(len(d))).to_numpy()


def assert_same(ours: np.ndarray, ref: np.ndarray) -> None:
    assert np.array_equal(np.isnan(ours), np.isnan(ref)), "different cells out of reach"
    ok = ~np.isnan(ref)
    np.testing.assert_allclose(ours[ok], ref[ok], rtol=1e-9, atol=0)


def grid_case(seed: int, zeros: bool = True) -> tuple[Points, Points]:
    rng = np.random.default_rng(seed)
    xs, ys = np.meshgrid(np.arange(50) * 100.0 + 3000, np.arange(40) * 100.0 - 200)
    pop = rng.integers(0, 60, xs.size).astype(float)
    if zeros:
        pop[rng.random(xs.size) < 0.3] = 0
    n = 35
    # integer metres: many facilities sit exactly RADIUS from some cell (3-4-5 triangles)
    sx = np.round(rng.uniform(2500, 8500, n))
    sy = np.round(rng.uniform(-700, 4300, n))
    sx[:5] = 3000 + 100 * rng.integers(0, 50, 5)  # on cell centres: pairs at exactly r
    sy[:5] = -200 + 100 * rng.integers(0, 40, 5)
    return Points.of(xs.ravel(), ys.ravel(), pop), Points.of(sx, sy, rng.integers(1, 20, n))


def scattered_case(seed: int) -> tuple[Points, Points]:
    rng = np.random.default_rng(seed)
    d = Points.of(rng.uniform(0, 5000, 1500), rng.uniform(0, 4000, 1500), rng.lognormal(2, 1, 1500))
    s = Points.of(rng.uniform(0, 5000, 30), rng.uniform(0, 4000, 30), rng.uniform(1, 10, 30))
    return d, s


DECAYS = [
    pytest.param(None, None, id="2sfca"),
    pytest.param(
        Step.of({300: 1, 500: 0.68, 700: 0.22}),
        weights.step_fn({300: 1, 500: 0.68, 700: 0.22}),
        id="step",
    ),
    pytest.param(
        Step.of({200: 0.5, 400: 1.0}), weights.step_fn({200: 0.5, 400: 1.0}), id="step-rising-short"
    ),
    pytest.param(Gaussian(350.0), weights.gaussian(350.0), id="gaussian"),
]


@pytest.mark.parametrize(("decay", "weight_fn"), DECAYS)
@pytest.mark.parametrize("method", ["grid", "bins", "pairs"])
@pytest.mark.parametrize("seed", [0, 1])
def test_grid_demand_matches_access(decay, weight_fn, method, seed) -> None:  # noqa: ANN001
    d, s = grid_case(seed)
    result = two_step_fca(d, s, RADIUS, decay, method=method)
    expected = "pairs" if method == "bins" and isinstance(decay, Gaussian) else method
    assert result.method == expected
    assert_same(result.score, access_scores(d, s, RADIUS, weight_fn))


@pytest.mark.parametrize(("decay", "weight_fn"), DECAYS)
def test_scattered_demand_matches_access(decay, weight_fn) -> None:  # noqa: ANN001
    d, s = scattered_case(3)
    result = two_step_fca(d, s, RADIUS, decay)
    assert result.method == ("pairs" if isinstance(decay, Gaussian) else "bins")
    assert_same(result.score, access_scores(d, s, RADIUS, weight_fn))


@pytest.mark.parametrize("method", ["grid", "pairs"])
def test_normalized_matches_access(method: str) -> None:
    d, s = grid_case(4)
    ours = two_step_fca(d, s, RADIUS, Gaussian(300.0), normalize=True, method=method).score
    assert_same(ours, access_scores(d, s, RADIUS, weights.gaussian(300.0), normalize=True))


@pytest.mark.parametrize("method", ["grid", "pairs"])
def test_facility_with_supply_but_no_demand_is_infinite_as_in_access(method: str) -> None:
    d, s = grid_case(5, zeros=False)
    pop = d.value.copy()
    # empty the neighbourhood of facility 0 so its catchment demand is 0 -> R = inf
    near = np.hypot(d.x - s.x[0], d.y - s.y[0]) <= RADIUS
    pop[near] = 0
    d = Points.of(d.x, d.y, pop)
    for decay, fn in [
        (None, None),
        (Step.of({300: 1.0, 700: 0.0}), weights.step_fn({300: 1.0, 700: 0.0})),
    ]:
        ours = two_step_fca(d, s, RADIUS, decay, method=method)
        assert np.isinf(ours.ratio[0])
        ref = access_scores(d, s, RADIUS, fn)
        assert np.array_equal(np.isinf(ours.score), np.isinf(ref))
        assert_same(
            np.where(np.isinf(ours.score), -1, ours.score), np.where(np.isinf(ref), -1, ref)
        )


def test_cost_table_matches_access() -> None:
    rng = np.random.default_rng(6)
    n_d, n_s, n_p = 300, 20, 2500
    origin = rng.integers(0, n_d, n_p)
    dest = rng.integers(0, n_s, n_p)
    keep = ~pd.DataFrame({"o": origin, "d": dest}).duplicated().to_numpy()
    origin, dest = origin[keep], dest[keep]
    cost = rng.uniform(0, 40, len(origin))
    pop, cap = rng.integers(1, 100, n_d).astype(float), rng.integers(1, 5, n_s).astype(float)
    fn = weights.step_fn({10: 1, 20: 0.68, 30: 0.22})
    a = Access(
        demand_df=pd.DataFrame({"geoid": np.arange(n_d), "pop": pop}),
        demand_index="geoid",
        demand_value="pop",
        supply_df=pd.DataFrame({"geoid": np.arange(n_s), "cap": cap}),
        supply_index="geoid",
        supply_value="cap",
        cost_df=pd.DataFrame({"o": origin, "d": dest, "c": cost}),
        cost_origin="o",
        cost_dest="d",
        cost_name="c",
    )
    ref = (
        a.enhanced_two_stage_fca(max_cost=30, weight_fn=fn)
        .iloc[:, 0]
        .reindex(np.arange(n_d))
        .to_numpy()
    )
    ours = two_step_fca_from_costs(
        pop, cap, origin, dest, cost, 30.0, Step.of({10: 1, 20: 0.68, 30: 0.22})
    )
    assert_same(ours.score, ref)
