"""The Dask tiled path equals the single-machine path, on a LocalCluster."""

from __future__ import annotations

import numpy as np
import pytest

from minsheng.analytics.access import Gaussian, Points, Step, two_step_fca, two_step_fca_tiled


@pytest.fixture(scope="module")
def client():  # noqa: ANN201
    distributed = pytest.importorskip("dask.distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    )
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.mark.parametrize(
    "decay", [None, Step.luo_qi(800.0), Gaussian(400.0)], ids=["2sfca", "step", "gauss"]
)
@pytest.mark.parametrize("layout", ["grid", "scattered"])
def test_tiled_equals_single_machine(client, decay, layout: str) -> None:  # noqa: ANN001
    rng = np.random.default_rng(11)
    if layout == "grid":
        xs, ys = np.meshgrid(np.arange(90) * 100.0, np.arange(70) * 100.0)
        d = Points.of(xs.ravel(), ys.ravel(), rng.integers(0, 40, xs.size))
    else:
        d = Points.of(
            rng.uniform(0, 9000, 3000), rng.uniform(0, 7000, 3000), rng.integers(0, 40, 3000)
        )
    s = Points.of(rng.uniform(-500, 9500, 70), rng.uniform(-500, 7500, 70), rng.integers(1, 9, 70))
    one = two_step_fca(d, s, 800.0, decay)
    tiled = two_step_fca_tiled(d, s, 800.0, decay, tile=2000.0, client=client)
    assert np.array_equal(np.isnan(one.score), np.isnan(tiled.score))
    ok = ~np.isnan(one.score)
    np.testing.assert_allclose(tiled.score[ok], one.score[ok], rtol=1e-12, atol=0)
    np.testing.assert_allclose(tiled.catchment_demand, one.catchment_demand, rtol=1e-12, atol=0)
