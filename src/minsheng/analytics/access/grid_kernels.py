"""Both FCA stages on a regular grid without a pair list.

Stage 1 (demand reaching each facility) reads row prefix sums at the ends of each
facility's runs; stage 2 (supply ratios reaching each cell) writes ``+v`` and ``-v`` at the
ends of the runs into a difference array and takes row prefix sums. Step weights are
annuli, so the work is O(cells + facilities x rows x steps). Gaussian weights do not split
into runs; they are evaluated on each facility's dense ``(2w+1)^2`` window, gathered and
scattered in chunks, so memory stays bounded and no pair list is ever formed.
All sums go through :mod:`.exact` so cancellation in the prefix sums costs nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

from .exact import combine, exact_row_cumsum, split3
from .grid import Grid, annuli, row_intervals, window_rows
from .weights import Decay, Gaussian, Uniform

FloatArray = NDArray[np.float64]

STEP_CHUNK = 20_000  # facilities per chunk for run-based kernels
WINDOW_CELLS = 4_000_000  # window cells per chunk for the Gaussian kernels


def _chunks(n: int, size: int) -> Iterator[slice]:
    for start in range(0, n, max(size, 1)):
        yield slice(start, min(n, start + size))


def _bands(decay: Decay, radius: float) -> list[tuple[float, float]]:
    if isinstance(decay, Gaussian):
        raise TypeError("Gaussian decay has no bands")
    return decay.bands(radius)


def catchment_demand(
    grid: Grid, pop: FloatArray, fx: FloatArray, fy: FloatArray, radius: float, decay: Decay
) -> FloatArray:
    """Stage 1: ``D_j = sum_{d_ij <= r} P_i w(d_ij)`` for every facility ``j``."""
    if isinstance(decay, Gaussian):
        return _gaussian_stage1(grid, pop, fx, fy, radius, decay)
    raster = grid.rasterise(pop)
    parts = exact_row_cumsum(raster)
    bands = _bands(decay, radius)
    radii = [rho for rho, _ in bands]
    out = np.zeros(len(fx))
    for sl in _chunks(len(fx), STEP_CHUNK):
        rows, runs = annuli(grid, fx[sl], fy[sl], radii)
        rows = np.clip(rows, 0, grid.shape[0] - 1)
        total = np.zeros(len(rows))
        for (l_lo, l_hi, r_lo, r_hi), (_, weight) in zip(runs, bands, strict=True):
            if weight == 0:
                continue
            seg = combine(
                [
                    (c[rows, l_hi + 1] - c[rows, l_lo]) + (c[rows, r_hi + 1] - c[rows, r_lo])
                    for c in parts
                ]
            )
            total += weight * seg.sum(axis=1)
        out[sl] = total
    return out


def _scatter_runs(shape: tuple[int, int], rows, lo, hi, value) -> FloatArray:  # noqa: ANN001
    """Sum of ``value`` over each run ``rows, lo..hi``: a difference array, exactly summed."""
    nb, na = shape
    keep = lo <= hi
    rows, lo, hi, value = rows[keep], lo[keep], hi[keep], value[keep]
    start = rows * (na + 1) + lo
    end = rows * (na + 1) + hi + 1
    parts = []
    for part in split3(value):
        diff = np.bincount(start, part, nb * (na + 1)) - np.bincount(end, part, nb * (na + 1))
        parts.append(np.cumsum(diff.reshape(nb, na + 1), axis=1)[:, :na])
    return combine(parts)


def reach_counts(grid: Grid, fx: FloatArray, fy: FloatArray, radius: float) -> NDArray[np.int64]:
    """How many facilities lie within ``radius`` of each cell (exact integers)."""
    nb, na = grid.shape
    diff = np.zeros(nb * (na + 1), dtype=np.int64)
    for sl in _chunks(len(fx), STEP_CHUNK):
        rows, _ = window_rows(grid, fy[sl], radius)
        lo, hi = row_intervals(grid, fx[sl], fy[sl], rows, radius)
        keep = lo <= hi
        r = rows[keep]
        diff += np.bincount(r * (na + 1) + lo[keep], minlength=nb * (na + 1))
        diff -= np.bincount(r * (na + 1) + hi[keep] + 1, minlength=nb * (na + 1))
    return np.cumsum(diff.reshape(nb, na + 1), axis=1)[:, :na]


def spread_ratio(
    grid: Grid, ratio: FloatArray, fx: FloatArray, fy: FloatArray, radius: float, decay: Decay
) -> FloatArray:
    """Stage 2 on the raster: ``A_i = sum_{d_ij <= r} R_j w(d_ij)``.

    Follows pandas' ``sum`` as PySAL ``access`` does: NaN terms (``0/0`` ratios, or
    ``inf * 0``) are skipped, ``inf`` ratios make every cell they weigh on infinite.
    """
    finite = np.isfinite(ratio)
    out = np.zeros(grid.shape)
    if finite.any():
        out = _spread(grid, ratio[finite], fx[finite], fy[finite], radius, decay)
    infinite = np.isinf(ratio)
    if infinite.any():
        flags = _spread(grid, np.ones(int(infinite.sum())), fx[infinite], fy[infinite], radius, decay)
        out[flags > 0] = np.inf
    return out


def _spread(grid, ratio, fx, fy, radius, decay) -> FloatArray:  # noqa: ANN001
    if isinstance(decay, Gaussian):
        return _gaussian_stage2(grid, ratio, fx, fy, radius, decay)
    bands = _bands(decay, radius)
    radii = [rho for rho, _ in bands]
    rows_all, lo_all, hi_all, val_all = [], [], [], []
    for sl in _chunks(len(fx), STEP_CHUNK):
        rows, runs = annuli(grid, fx[sl], fy[sl], radii)
        for (l_lo, l_hi, r_lo, r_hi), (_, weight) in zip(runs, bands, strict=True):
            if weight == 0:
                continue
            value = np.broadcast_to((ratio[sl] * weight)[:, None], rows.shape)
            for lo, hi in ((l_lo, l_hi), (r_lo, r_hi)):
                keep = lo <= hi
                rows_all.append(rows[keep])
                lo_all.append(lo[keep])
                hi_all.append(hi[keep])
                val_all.append(value[keep])
    if not rows_all:
        return np.zeros(grid.shape)
    return _scatter_runs(
        grid.shape,
        np.concatenate(rows_all),
        np.concatenate(lo_all),
        np.concatenate(hi_all),
        np.concatenate(val_all),
    )


# --- Gaussian decay: dense windows -------------------------------------------------------


def _windows(grid: Grid, fx: FloatArray, fy: FloatArray, radius: float, decay: Gaussian):  # noqa: ANN202
    """Per chunk: window anchors, in-disk mask and the separable weights ``gy x gx``."""
    nb, na = grid.shape
    wx = int(np.ceil(radius / grid.hx)) + 1
    side = 2 * wx + 1
    per = side * (2 * (int(np.ceil(radius / grid.hy)) + 1) + 1)
    two_s2 = 2.0 * decay.sigma**2
    for sl in _chunks(len(fx), max(1, WINDOW_CELLS // per)):
        x, y = fx[sl], fy[sl]
        rows, wy = window_rows(grid, y, radius)
        lo, hi = row_intervals(grid, x, y, rows, radius)
        centre_col = np.clip(np.rint((x - grid.x0) / grid.hx), -wx - 1, na + wx).astype(np.int64)
        cols = centre_col[:, None] + np.arange(-wx, wx + 1)[None, :]
        mask = (cols[:, None, :] >= lo[:, :, None]) & (cols[:, None, :] <= hi[:, :, None])
        xs = grid.x0 + cols * grid.hx
        inside_x = (cols >= 0) & (cols < na)
        xs[inside_x] = grid.xs[cols[inside_x]]
        ys = grid.y0 + rows * grid.hy
        inside_y = (rows >= 0) & (rows < nb)
        ys[inside_y] = grid.ys[rows[inside_y]]
        dx = xs - x[:, None]
        dy = ys - y[:, None]
        gx = np.exp(-(dx * dx) / two_s2)
        gy = np.exp(-(dy * dy) / two_s2)
        yield sl, rows, cols, wx, wy, mask, gx, gy


def _padded(grid: Grid, raster: FloatArray, radius: float) -> tuple[FloatArray, int, int]:
    wx = int(np.ceil(radius / grid.hx)) + 1
    wy = int(np.ceil(radius / grid.hy)) + 1
    # anchors may sit one cell beyond the window reach; pad for that too
    return np.pad(raster, ((2 * wy + 2, 2 * wy + 2), (2 * wx + 2, 2 * wx + 2))), 2 * wy + 2, 2 * wx + 2


def _gaussian_stage1(grid, pop, fx, fy, radius, decay) -> FloatArray:  # noqa: ANN001
    padded, py, px = _padded(grid, grid.rasterise(pop), radius)
    out = np.zeros(len(fx))
    view = None
    for sl, rows, cols, _wx, _wy, mask, gx, gy in _windows(grid, fx, fy, radius, decay):
        if view is None:
            view = sliding_window_view(padded, (rows.shape[1], cols.shape[1]))
        win = view[rows[:, 0] + py, cols[:, 0] + px]
        win = np.where(mask, win, 0.0)
        inner = np.matmul(win, gx[:, :, None])[:, :, 0]
        out[sl] = np.einsum("js,js->j", inner, gy)
    return out


def _gaussian_stage2(grid, ratio, fx, fy, radius, decay) -> FloatArray:  # noqa: ANN001
    nb, na = grid.shape
    wx = int(np.ceil(radius / grid.hx)) + 1
    wy = int(np.ceil(radius / grid.hy)) + 1
    py, px = 2 * wy + 2, 2 * wx + 2
    width = na + 2 * px
    acc = np.zeros((nb + 2 * py) * width)
    offsets = None
    for sl, rows, cols, _wx, _wy, mask, gx, gy in _windows(grid, fx, fy, radius, decay):
        if offsets is None:
            offsets = (np.arange(rows.shape[1])[:, None] * width + np.arange(cols.shape[1])[None, :])
        base = (rows[:, 0] + py) * width + cols[:, 0] + px
        value = (ratio[sl][:, None] * gy)[:, :, None] * gx[:, None, :]
        value = np.where(mask, value, 0.0)
        acc += np.bincount((base[:, None, None] + offsets[None]).ravel(), value.ravel(), acc.size)
    return acc.reshape(nb + 2 * py, width)[py : py + nb, px : px + na]


__all__ = ["catchment_demand", "reach_counts", "spread_ratio", "Uniform"]
