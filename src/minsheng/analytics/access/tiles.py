"""2SFCA/E2SFCA partitioned by spatial tiles, on Dask: beyond one machine's memory.

Stage 1 needs, for the facilities of one tile, the demand within one radius of the tile
(a halo of ``r``); stage 2 needs, for the cells of one tile, the facilities within ``r``
of it and their ratios. Each tile runs the single-machine kernels on its own subset, so
results equal :func:`two_step_fca` up to the last bits of rounding.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from minsheng.domain.optional import require

from .fca import FcaResult, Points, _finish, _ratio, pick_grid, stage1, stage2
from .weights import Decay, Uniform

IntArray = NDArray[np.int64]


class _Tiling:
    """Square tiles of side ``size`` over a common origin; lookup of tile members."""

    def __init__(self, x0: float, y0: float, size: float, x: np.ndarray, y: np.ndarray) -> None:
        self.x0, self.y0, self.size = x0, y0, size
        tx = np.floor((x - x0) / size).astype(np.int64)
        ty = np.floor((y - y0) / size).astype(np.int64)
        self.key = ty * (1 << 31) + tx
        self.order = np.argsort(self.key, kind="stable")
        self.sorted = self.key[self.order]
        self.x, self.y = x, y

    def tiles(self) -> list[tuple[int, int]]:
        keys = np.unique(self.key)
        return [(int(k % (1 << 31)), int(k // (1 << 31))) for k in keys]

    def members(self, tx: int, ty: int) -> IntArray:
        k = ty * (1 << 31) + tx
        a, b = np.searchsorted(self.sorted, [k, k + 1])
        return np.sort(self.order[a:b])

    def near(self, tx: int, ty: int, halo: float) -> IntArray:
        """Members of the 3x3 block around a tile, cut to the tile grown by ``halo``."""
        idx = np.sort(
            np.concatenate([self.members(tx + i, ty + j) for j in (-1, 0, 1) for i in (-1, 0, 1)])
        )
        xmin = self.x0 + tx * self.size - halo
        ymin = self.y0 + ty * self.size - halo
        xmax = xmin + self.size + 2 * halo
        ymax = ymin + self.size + 2 * halo
        x, y = self.x[idx], self.y[idx]
        return idx[(x >= xmin) & (x <= xmax) & (y >= ymin) & (y <= ymax)]


def _stage1_task(demand: Points, supply: Points, radius: float, decay: Decay) -> np.ndarray:
    return stage1(demand, supply, radius, decay, pick_grid(demand, "auto", radius))


def _stage2_task(demand: Points, supply: Points, ratio: np.ndarray, radius: float, decay: Decay):  # noqa: ANN202
    return stage2(demand, supply, ratio, radius, decay, pick_grid(demand, "auto", radius))


def _dask() -> Any:  # noqa: ANN401 - the dask module
    return require("dask", "dask", "computing by tiles (--tile, --scheduler)")


def _compute(tasks: list, client: Any) -> list:  # noqa: ANN401
    if client is not None:
        return client.gather(client.compute(tasks))
    return list(_dask().compute(*tasks, scheduler="threads"))


def two_step_fca_tiled(
    demand: Points,
    supply: Points,
    radius: float,
    decay: Decay | None = None,
    *,
    tile: float | None = None,
    client: Any = None,  # noqa: ANN401 - a dask.distributed.Client
    normalize: bool = False,
) -> FcaResult:
    """:func:`two_step_fca` computed tile by tile (side ``tile`` >= ``radius``, default 20 r)."""
    decay = decay or Uniform()
    size = max(float(tile or 20 * radius), radius)
    halo = radius * (1 + 1e-9) + 1e-9
    x0 = float(min(demand.x.min(initial=np.inf), supply.x.min(initial=np.inf)))
    y0 = float(min(demand.y.min(initial=np.inf), supply.y.min(initial=np.inf)))
    dt = _Tiling(x0, y0, size, demand.x, demand.y)
    st = _Tiling(x0, y0, size, supply.x, supply.y)

    jobs, owners = [], []
    for tx, ty in st.tiles():
        own = st.members(tx, ty)
        cells = dt.near(tx, ty, halo)
        jobs.append(
            _dask().delayed(_stage1_task)(demand.take(cells), supply.take(own), radius, decay)
        )
        owners.append(own)
    d_j = np.zeros(len(supply))
    for own, part in zip(owners, _compute(jobs, client), strict=True):
        d_j[own] = part
    r_j = _ratio(supply.value, d_j)

    jobs, owners = [], []
    for tx, ty in dt.tiles():
        own = dt.members(tx, ty)
        fac = st.near(tx, ty, halo)
        jobs.append(
            _dask().delayed(_stage2_task)(
                demand.take(own), supply.take(fac), r_j[fac], radius, decay
            )
        )
        owners.append(own)
    score = np.zeros(len(demand))
    reached = np.zeros(len(demand), dtype=bool)
    for own, (s, r) in zip(owners, _compute(jobs, client), strict=True):
        score[own] = s
        reached[own] = r
    return FcaResult(_finish(score, reached, demand.value, normalize), r_j, d_j, reached, "tiled")
