"""Regular population grids: detecting one, and the exact disk of cells around a point.

Why: on a grid the cells within ``rho`` of a facility form, row by row, one contiguous run
of columns. Knowing the runs exactly (same distance formula and ``<=`` as a KD-tree pair
list fed to PySAL ``access``) turns catchment sums into prefix-sum look-ups, with work
proportional to facilities x rows instead of facilities x cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

# A grid whose bounding box holds more than this many cells per point is not worth it.
MAX_FILL = 4.0


@dataclass(frozen=True)
class Grid:
    """Cell centres ``xs[col], ys[row]`` (increasing) and each input point's ``row, col``."""

    xs: FloatArray
    ys: FloatArray
    x0: float
    y0: float
    hx: float
    hy: float
    row: IntArray | None  # None: the points are the whole grid in row-major order
    col: IntArray | None

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.ys), len(self.xs)

    def fits(self, radius: float) -> bool:
        """Whether a disk of ``radius`` spans at most about twice the grid's rows/columns:
        far beyond that the run kernels would walk empty rows and pairs are cheaper."""
        nb, na = self.shape
        return radius / self.hy <= 2 * nb + 64 and radius / self.hx <= 2 * na + 64

    def rasterise(self, values: FloatArray) -> FloatArray:
        """Dense ``(rows, cols)`` array of point values, zero where no point lies."""
        if self.row is None:
            return np.asarray(values, dtype=np.float64).reshape(self.shape)
        out = np.zeros(self.shape)
        out[self.row, self.col] = values
        return out

    def sample(self, raster: NDArray) -> NDArray:
        """The raster's value at each input point, in input order."""
        if self.row is None:
            return raster.reshape(-1)
        return raster[self.row, self.col]


def _axis(v: FloatArray) -> tuple[float, float, IntArray, FloatArray] | None:
    lo = float(v.min())
    steps = np.abs(np.diff(v))
    steps = steps[steps > 0]
    h = float(steps.min()) if steps.size else 1.0
    if h <= 1e-9 * (abs(lo) + float(np.abs(v).max()) + 1.0):
        return None  # rounding noise, not a spacing
    k = np.rint((v - lo) / h)
    if np.any(np.abs(lo + k * h - v) > 1e-7 * h):
        return None
    idx = k.astype(np.int64)
    n = int(idx.max()) + 1
    if n > MAX_FILL * len(v) + 1:
        return None
    coords: FloatArray = (lo + np.arange(n) * h).astype(np.float64)
    coords[idx] = v
    if not np.array_equal(coords[idx], v) or np.any(np.diff(coords) <= 0):
        return None  # points of one column disagree in x: not a grid
    return lo, h, idx, coords


def _uniform(v: FloatArray) -> float | None:
    """The spacing of increasing, evenly spaced centres (within 1e-7 of a step), else None."""
    if len(v) == 1:
        return 1.0
    h = float(v[-1] - v[0]) / (len(v) - 1)
    if not h > 1e-9 * (abs(float(v[0])) + abs(float(v[-1])) + 1.0):
        return None
    if np.any(np.diff(v) <= 0) or np.any(np.abs(v[0] + np.arange(len(v)) * h - v) > 1e-7 * h):
        return None
    return h


def _row_major(x: FloatArray, y: FloatArray) -> Grid | None:
    """Fast path: a complete grid listed row by row (as rasters are exported)."""
    n = len(x)
    head = y[: min(n, 1 << 16)]
    change = np.flatnonzero(head != head[0])
    na = int(change[0]) if change.size else (n if n <= head.size else 0)
    if na == 0 or n % na:
        return None
    nb = n // na
    gx, gy = x.reshape(nb, na), y.reshape(nb, na)
    if not ((gx == gx[0]).all() and (gy == gy[:, :1]).all()):
        return None
    xs, ys = gx[0].copy(), gy[:, 0].copy()
    hx, hy = _uniform(xs), _uniform(ys)
    if hx is None or hy is None:
        return None
    return Grid(xs, ys, float(xs[0]), float(ys[0]), hx, hy, None, None)


def detect_grid(x: FloatArray, y: FloatArray) -> Grid | None:
    """The regular grid the points lie on (each point a distinct cell), or ``None``."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if len(x) < 2 or not (np.isfinite(x).all() and np.isfinite(y).all()):
        return None
    fast = _row_major(x, y)
    if fast is not None:
        return fast
    ax, ay = _axis(x), _axis(y)
    if ax is None or ay is None:
        return None
    x0, hx, col, xs = ax
    y0, hy, row, ys = ay
    if len(xs) * len(ys) > MAX_FILL * len(x) + 16:
        return None
    counts = np.bincount(row * len(xs) + col, minlength=len(xs) * len(ys))
    if counts.max() > 1:
        return None
    return Grid(xs, ys, x0, y0, hx, hy, row, col)


def window_rows(grid: Grid, fy: FloatArray, reach: float) -> tuple[IntArray, int]:
    """Rows ``(n, 2w + 1)`` around each facility that can hold cells within ``reach``."""
    w = int(np.ceil(reach / grid.hy)) + 1
    centre = np.rint((fy - grid.y0) / grid.hy)
    centre = np.clip(centre, -w - 1, len(grid.ys) + w).astype(np.int64)
    return centre[:, None] + np.arange(-w, w + 1)[None, :], w


# Cell centres lie within 1e-7 cells of x0 + k * hx (checked in _axis); an estimate whose
# boundary falls further than this from a cell centre cannot be changed by rounding.
_SURE = 1e-6


def row_intervals(
    grid: Grid, fx: FloatArray, fy: FloatArray, rows: IntArray, rho: float
) -> tuple[IntArray, IntArray]:
    """Columns ``lo..hi`` (inclusive; empty when ``lo > hi``) of each row within ``rho``.

    A cell is inside when ``sqrt(dx*dx + dy*dy) <= rho``, exactly as a pair list would
    decide. The closed-form estimate ``fx -+ sqrt(rho**2 - dy**2)`` is exact unless a run
    end falls within ``_SURE`` cells of a cell centre (or the row only grazes the disk);
    those few ends are settled by evaluating the predicate itself.
    """
    nb, na = grid.shape
    valid = (rows >= 0) & (rows < nb)
    dy = grid.ys[np.clip(rows, 0, nb - 1)] - fy[:, None]
    dy2 = dy * dy
    r2 = rho * rho
    gap = r2 - dy2
    half = np.sqrt(np.maximum(gap, 0.0))
    fxc = np.broadcast_to(fx[:, None], dy.shape)
    t_lo = (fxc - half - grid.x0) / grid.hx
    t_hi = (fxc + half - grid.x0) / grid.hx
    lo = np.ceil(t_lo)
    hi = np.floor(t_hi)
    unsure = (np.abs(t_lo - np.rint(t_lo)) < _SURE) | (np.abs(t_hi - np.rint(t_hi)) < _SURE)
    unsure |= np.abs(gap) <= _SURE * r2
    unsure &= valid
    lo = np.clip(lo, 0, na).astype(np.int64)
    hi = np.clip(hi, -1, na - 1).astype(np.int64)
    empty = ~valid | (gap < 0)
    if unsure.any():
        k = np.flatnonzero(unsure.ravel())
        lo_k, hi_k = _settle(
            grid, fxc.ravel()[k], dy2.ravel()[k], lo.ravel()[k], hi.ravel()[k], rho
        )
        lo.ravel()[k] = lo_k
        hi.ravel()[k] = hi_k
        empty.ravel()[k] = lo_k > hi_k
    empty |= lo > hi
    lo = np.where(empty, 0, lo)
    hi = np.where(empty, -1, hi)
    return lo, hi


def _settle(
    grid: Grid, fx: FloatArray, dy2: FloatArray, lo: IntArray, hi: IntArray, rho: float
) -> tuple[IntArray, IntArray]:
    """Move each end by at most one cell to where the exact predicate puts it."""
    na = grid.shape[1]

    def inside(a: IntArray) -> NDArray[np.bool_]:
        ok = (a >= 0) & (a < na)
        dx = grid.xs[np.clip(a, 0, na - 1)] - fx
        return ok & (np.sqrt(dx * dx + dy2) <= rho)

    lo = np.where(inside(lo - 1), lo - 1, np.where(inside(lo), lo, lo + 1))
    hi = np.where(inside(hi + 1), hi + 1, np.where(inside(hi), hi, hi - 1))
    return lo, hi
