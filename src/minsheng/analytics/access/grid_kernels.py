"""Both FCA stages on a regular grid without a pair list.

Stage 1 (demand reaching each facility) reads row prefix sums at the ends of each
facility's runs; stage 2 (supply ratios reaching each cell) writes ``+v`` and ``-v`` at the
ends of the runs into a difference array and takes row prefix sums. Step weights are
nested disks, so the work is O(cells + facilities x rows x steps), independent of the
number of pairs. Gaussian weights do not sum along runs (exp(-(x-f)^2) has no prefix-sum
form for an off-grid ``f``), so each facility's dense ``(2w+1)^2`` window is gathered and
scattered in cache-sized chunks: work ~ facilities x window cells (the pair count, at a
small constant), memory bounded by the chunk, and no pair list is ever formed.
Sums that cancel go through :mod:`.exact`, so a cell's score keeps its own precision.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .exact import combine, exact_row_cumsum, split
from .grid import Grid, row_intervals, window_rows
from .weights import Decay, Gaussian, Step

FloatArray = NDArray[np.float64]


RUN_CELLS = 131_072  # facility-rows per chunk: temporaries of 1 MiB stay in cache
WINDOW_CELLS = 262_144  # window cells per chunk (2 MiB arrays stay in cache)


def _chunks(n: int, size: int) -> Iterator[slice]:
    for start in range(0, n, max(size, 1)):
        yield slice(start, min(n, start + size))


def _disks(decay: Decay, radius: float) -> list[tuple[float, float]]:
    """Step weights as nested disks: ``w(d) = sum_{k: d <= rho_k} c_k``, ``c_k = v_k - v_(k+1)``."""
    if isinstance(decay, Gaussian):
        raise TypeError("Gaussian decay has no disks")
    bands = decay.bands(radius)
    out = []
    for k, (rho, v) in enumerate(bands):
        nxt = bands[k + 1][1] if k + 1 < len(bands) else 0.0
        if v - nxt != 0:
            out.append((rho, v - nxt))
    return out


def _positive(decay: Decay) -> Decay:
    """Weights 1 where ``decay`` is positive, 0 elsewhere (for infinite ratios)."""
    if isinstance(decay, Step):
        return Step(tuple((k, 1.0 if v > 0 else 0.0) for k, v in decay.steps))
    return decay


@dataclass(frozen=True)
class Runs:
    """Each facility's rows and, per radius, its run of columns in each row.

    Computed once and shared by both stages and the reach count. ``start``/``end`` are
    flat positions in a ``(rows, cols + 1)`` raster: the run is ``[start, end)``.
    """

    start: dict[float, NDArray[np.int64]]
    end: dict[float, NDArray[np.int64]]

    def take(self, mask: NDArray[np.bool_]) -> Runs:
        return Runs(
            {k: v[mask] for k, v in self.start.items()}, {k: v[mask] for k, v in self.end.items()}
        )


def runs_for(grid: Grid, fx: FloatArray, fy: FloatArray, radii: list[float]) -> Runs:
    """:class:`Runs` of every facility for each radius in ``radii``."""
    nb, na = grid.shape
    radii = sorted(set(radii))
    _, w = window_rows(grid, fy[:1], max(radii))
    start = {rho: np.empty((len(fx), 2 * w + 1), dtype=np.int64) for rho in radii}
    end = {rho: np.empty((len(fx), 2 * w + 1), dtype=np.int64) for rho in radii}
    for sl in _chunks(len(fx), max(1, RUN_CELLS // (2 * w + 1))):
        rows, _ = window_rows(grid, fy[sl], max(radii))
        base = np.clip(rows, 0, nb - 1) * (na + 1)
        for rho in radii:
            lo, hi = row_intervals(grid, fx[sl], fy[sl], rows, rho)
            start[rho][sl] = base + lo
            end[rho][sl] = base + hi + 1
    return Runs(start, end)


def radii_needed(decay: Decay, radius: float) -> list[float]:
    """Radii whose runs the kernels for ``decay`` will ask for."""
    if isinstance(decay, Gaussian):
        return [radius]
    return sorted(
        {
            radius,
            *(rho for rho, _ in _disks(decay, radius)),
            *(rho for rho, _ in _disks(_positive(decay), radius)),
        }
    )


def catchment_demand(
    grid: Grid, pop: FloatArray, runs: Runs, fx, fy, radius: float, decay: Decay
) -> FloatArray:  # noqa: ANN001
    """Stage 1: ``D_j = sum_{d_ij <= r} P_i w(d_ij)`` for every facility ``j``."""
    if isinstance(decay, Gaussian):
        return _gaussian_stage1(grid, pop, runs, fx, fy, radius, decay)
    parts = [c.ravel() for c in exact_row_cumsum(grid.rasterise(pop))]
    out = np.zeros(len(fx))
    for rho, coef in _disks(decay, radius):
        a, b = runs.start[rho], runs.end[rho]
        seg = combine([p.take(b) - p.take(a) for p in parts])
        out += coef * seg.sum(axis=1)
    return out


def _scatter_runs(shape: tuple[int, int], start, end, value) -> FloatArray:  # noqa: ANN001
    """Sum of ``value`` over runs ``[start, end)`` of the flat ``(rows, cols + 1)`` raster."""
    return combine(_scattered_parts(shape, start, end, split(value)))


def _scattered_parts(shape: tuple[int, int], start, end, pieces) -> list[FloatArray]:  # noqa: ANN001
    """:func:`_scatter_runs` of each piece of :func:`.exact.split` (the first, of heads, is
    exact in every cell), not yet added."""
    nb, na = shape
    size = nb * (na + 1)
    parts = []
    for part in pieces:
        diff = np.bincount(start, part, size)
        diff -= np.bincount(end, part, size)
        parts.append(np.cumsum(diff.reshape(nb, na + 1), axis=1, dtype=np.float64)[:, :na])
    return parts


def reach_counts(grid: Grid, runs: Runs, radius: float) -> NDArray[np.int64]:
    """How many facilities lie within ``radius`` of each cell (exact integers)."""
    nb, na = grid.shape
    size = nb * (na + 1)
    start, end = runs.start[radius].ravel(), runs.end[radius].ravel()
    diff = np.bincount(start, minlength=size) - np.bincount(end, minlength=size)
    return np.cumsum(diff.reshape(nb, na + 1), axis=1)[:, :na]


def spread_ratio(
    grid: Grid, ratio: FloatArray, runs: Runs, fx, fy, radius: float, decay: Decay
) -> FloatArray:  # noqa: ANN001
    """Stage 2 on the raster: ``A_i = sum_{d_ij <= r} R_j w(d_ij)``.

    Follows pandas' ``sum`` as PySAL ``access`` does: NaN terms (``0/0`` ratios, or
    ``inf * 0``) are skipped, ``inf`` ratios make every cell they weigh on infinite.
    """
    finite = np.isfinite(ratio)
    out = np.zeros(grid.shape)
    if finite.any():
        sub = runs if finite.all() else runs.take(finite)
        out = _spread(grid, ratio[finite], sub, fx[finite], fy[finite], radius, decay)
    infinite = np.isinf(ratio)
    if infinite.any():
        ones = np.ones(int(infinite.sum()))
        flags = _spread(
            grid, ones, runs.take(infinite), fx[infinite], fy[infinite], radius, _positive(decay)
        )
        out[flags > 0] = np.inf
    return out


def spread_and_reach(
    grid: Grid, ratio: FloatArray, runs: Runs, fx, fy, radius: float, decay: Decay
) -> tuple[FloatArray, NDArray[np.bool_]]:  # noqa: ANN001
    """:func:`spread_ratio` and whether some facility is within ``radius`` of each cell.

    Reach comes free with the scores when every facility's ratio is finite and positive
    and the outermost disk is the radius itself (2SFCA, and steps with weight at the
    radius): the heads of :func:`.exact.split` then sum exactly, every head is positive,
    so a cell's head total is positive exactly where a run covers it -- no rounding can
    leave a trace where runs opened and closed, nor cancel a covered cell to zero. Any
    other case counts the facilities in reach (:func:`reach_counts`).
    """
    disks = [] if isinstance(decay, Gaussian) else _disks(decay, radius)
    if not (
        disks
        and disks[-1][0] == radius
        and all(coef > 0 for _, coef in disks)
        and np.isfinite(ratio).all()
        and (ratio > 0).all()
    ):
        raster = spread_ratio(grid, ratio, runs, fx, fy, radius, decay)
        return raster, reach_counts(grid, runs, radius) > 0
    # every ratio finite: the scores are spread_ratio's own, computed here by its steps
    start, end, value = _run_values(ratio, runs, disks)
    pieces = split(value)
    parts = _scattered_parts(grid.shape, start, end, pieces)
    # a ratio too small beside the total keeps no head of its own: reach is then counted
    heads_positive = bool((pieces[0] > 0).all())
    reached = parts[0] > 0 if heads_positive else reach_counts(grid, runs, radius) > 0
    return combine(parts), reached


def _run_values(
    ratio: FloatArray, runs: Runs, disks: list[tuple[float, float]]
) -> tuple[NDArray[np.int64], NDArray[np.int64], FloatArray]:
    """Every disk's non-empty runs with its weighted ratio, as one list."""
    starts, ends, values = [], [], []
    for rho, coef in disks:
        a, b = runs.start[rho], runs.end[rho]
        keep = a < b
        starts.append(a[keep])
        ends.append(b[keep])
        values.append(np.broadcast_to((ratio * coef)[:, None], a.shape)[keep])
    return np.concatenate(starts), np.concatenate(ends), np.concatenate(values)


def _spread(grid, ratio, runs, fx, fy, radius, decay) -> FloatArray:  # noqa: ANN001
    if isinstance(decay, Gaussian):
        return _gaussian_stage2(grid, ratio, runs, fx, fy, radius, decay)
    disks = _disks(decay, radius)
    if not disks:
        return np.zeros(grid.shape)
    return _scatter_runs(grid.shape, *_run_values(ratio, runs, disks))


# --- Gaussian decay: dense windows -------------------------------------------------------
#
# Each facility's window is the (2wy+1) x (2wx+1) block of cells around it; the disk inside
# it comes from the exact runs. Facilities are visited in spatial order, a few dozen at a
# time, so each chunk's arrays stay in cache and its scatter touches a small strip.


def _plan(
    grid: Grid, fx: FloatArray, fy: FloatArray, radius: float
) -> tuple[NDArray, int, int, int, int]:
    nb, na = grid.shape
    wx = int(np.ceil(radius / grid.hx)) + 1
    wy = int(np.ceil(radius / grid.hy)) + 1
    row = np.clip(np.rint((fy - grid.y0) / grid.hy), -wy - 1, nb + wy).astype(np.int64)
    col = np.clip(np.rint((fx - grid.x0) / grid.hx), -wx - 1, na + wx).astype(np.int64)
    order = np.lexsort((col, (row + wy + 1) // (2 * wy + 1)))
    # anchors may sit one cell beyond the reach of a window; pad for that too
    return order, wx, wy, 2 * wy + 2, 2 * wx + 2


def _windows(
    grid: Grid, runs: Runs, fx: FloatArray, fy: FloatArray, radius: float, decay: Gaussian
):  # noqa: ANN202
    """Per chunk: positions, flat window indices (padded raster), disk mask, ``gx``, ``gy``."""
    nb, na = grid.shape
    order, wx, wy, py, px = _plan(grid, fx, fy, radius)
    width = na + 2 * px
    side_x, side_y = 2 * wx + 1, 2 * wy + 1
    offsets = np.arange(side_y)[:, None] * width + np.arange(side_x)[None, :]
    two_s2 = 2.0 * decay.sigma**2
    for sl in _chunks(len(fx), max(1, WINDOW_CELLS // (side_x * side_y))):
        pos = order[sl]
        x, y = fx[pos], fy[pos]
        rows, _ = window_rows(grid, y, radius)
        rowbase = np.clip(rows, 0, nb - 1) * (na + 1)
        lo = runs.start[radius][pos] - rowbase
        hi = runs.end[radius][pos] - rowbase - 1
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
        base = (rows[:, 0] + py) * width + cols[:, 0] + px
        yield pos, base, offsets, mask, gx, gy


def _padded_shape(grid: Grid, radius: float) -> tuple[int, int, int, int]:
    nb, na = grid.shape
    py = 2 * (int(np.ceil(radius / grid.hy)) + 1) + 2
    px = 2 * (int(np.ceil(radius / grid.hx)) + 1) + 2
    return nb + 2 * py, na + 2 * px, py, px


def _gaussian_stage1(grid, pop, runs, fx, fy, radius, decay) -> FloatArray:  # noqa: ANN001
    nb, na = grid.shape
    h, w, py, px = _padded_shape(grid, radius)
    padded = np.zeros((h, w))
    padded[py : py + nb, px : px + na] = grid.rasterise(pop)
    flat = padded.ravel()
    out = np.zeros(len(fx))
    for pos, base, offsets, mask, gx, gy in _windows(grid, runs, fx, fy, radius, decay):
        win = flat.take(base[:, None, None] + offsets[None])
        np.multiply(win, mask, out=win)
        inner = np.matmul(win, gx[:, :, None])[:, :, 0]
        out[pos] = np.einsum("js,js->j", inner, gy)
    return out


def _gaussian_stage2(grid, ratio, runs, fx, fy, radius, decay) -> FloatArray:  # noqa: ANN001
    nb, na = grid.shape
    h, w, py, px = _padded_shape(grid, radius)
    acc = np.zeros(h * w)
    for pos, base, offsets, mask, gx, gy in _windows(grid, runs, fx, fy, radius, decay):
        value = (ratio[pos][:, None] * gy)[:, :, None] * gx[:, None, :]
        np.multiply(value, mask, out=value)
        first = int(base.min())
        span = int(base.max()) + int(offsets[-1, -1]) + 1 - first
        idx = (base - first)[:, None, None] + offsets[None]
        acc[first : first + span] += np.bincount(idx.ravel(), value.ravel(), span)
    return acc.reshape(h, w)[py : py + nb, px : px + na]


__all__ = [
    "Runs",
    "catchment_demand",
    "radii_needed",
    "reach_counts",
    "runs_for",
    "spread_and_reach",
    "spread_ratio",
]
