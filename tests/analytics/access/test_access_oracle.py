"""Hypothesis: grid kernels, pair kernels and a naive dense oracle agree on random inputs."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from minsheng.analytics.access import Gaussian, Points, Step, two_step_fca


def naive(d: Points, s: Points, r: float, w) -> np.ndarray:  # noqa: ANN001
    """The textbook formula on a dense matrix, with access's NaN conventions."""
    dx = d.x[:, None] - s.x[None, :]
    dy = d.y[:, None] - s.y[None, :]
    dist = np.sqrt(dx * dx + dy * dy)
    near = dist <= r
    wt = np.where(near, w(dist), 0.0)
    demand = (d.value[:, None] * wt).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = s.value / demand
        terms = np.where(near, ratio[None, :] * wt, 0.0)
    score = np.nansum(terms, axis=1)
    return np.where(near.any(axis=1), score, np.nan)


decays = st.sampled_from([None, "step", "gauss"])


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    r=st.floats(50.0, 900.0),
    h=st.sampled_from([25.0, 60.0, 100.0]),
    n_fac=st.integers(1, 25),
    kind=decays,
)
def test_grid_pairs_and_oracle_agree(seed: int, r: float, h: float, n_fac: int, kind) -> None:  # noqa: ANN001
    rng = np.random.default_rng(seed)
    xs, ys = np.meshgrid(np.arange(24) * h + 1e5, np.arange(17) * h - 2e4)
    pop = rng.integers(0, 30, xs.size).astype(float) * (rng.random(xs.size) < 0.8)
    d = Points.of(xs.ravel(), ys.ravel(), pop)
    on_cells = rng.random(n_fac) < 0.3  # some facilities on cell centres
    fx = np.where(
        on_cells,
        1e5 + h * rng.integers(0, 24, n_fac),
        rng.uniform(1e5 - r, 1e5 + 24 * h + r, n_fac),
    )
    fy = np.where(
        on_cells,
        -2e4 + h * rng.integers(0, 17, n_fac),
        rng.uniform(-2e4 - r, -2e4 + 17 * h + r, n_fac),
    )
    s = Points.of(fx, fy, rng.integers(1, 10, n_fac))
    decay = {
        None: None,
        "step": Step.of({r / 3: 1.0, r / 2: 0.6, r: 0.1}),
        "gauss": Gaussian(r / 2),
    }[kind]
    w = decay if decay is not None else (lambda x: np.ones_like(x))
    want = naive(d, s, r, w)
    for method in ("grid", "pairs"):
        got = two_step_fca(d, s, r, decay, method=method).score
        assert np.array_equal(np.isnan(got), np.isnan(want))
        assert np.array_equal(np.isinf(got), np.isinf(want))
        fin = np.isfinite(want)
        np.testing.assert_allclose(got[fin], want[fin], rtol=1e-9, atol=1e-300)
