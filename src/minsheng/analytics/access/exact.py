"""Error-free splitting of floating-point sums (why: 2SFCA here must match PySAL ``access``
to 1e-9 relative even where a cell's score is tiny next to its neighbours').

Prefix sums and difference arrays subtract large running totals; in plain float64 the
result carries an absolute error of ``eps * total``. Splitting every value into parts
that are multiples of ``u * sigma`` (``sigma`` a power of two above the total) makes the
sums of the first two parts exact in *any* order -- ``np.cumsum`` and ``np.bincount``
included -- so only a remainder of order ``u**2 * total`` is rounded.

Reference: S. M. Rump, T. Ogita, S. Oishi, "Accurate floating-point summation part I:
faithful rounding", SIAM J. Sci. Comput. 31(1), 2008 (algorithm ExtractScalar).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

# Sums of up to 2**40 extracted parts stay exact with this head-room.
_HEADROOM = 2.0


def extract(values: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Split ``values`` into ``(head, tail)`` with ``head + tail == values`` exactly.

    Every ``head`` is a multiple of ``2**-53 * sigma`` and ``sum(|values|) < sigma / 2``,
    so any partial sum of heads is representable, hence computed exactly.
    """
    total = float(np.abs(values).sum())
    if total == 0.0 or not math.isfinite(total):
        return np.zeros_like(values), values.copy()
    sigma = 2.0 ** (math.ceil(math.log2(total)) + _HEADROOM)
    head = (sigma + values) - sigma
    return head, values - head


def split(values: FloatArray) -> list[FloatArray]:
    """``[head, tail]`` (or ``[values]`` when already exact): heads sum exactly in any order.

    The tail terms are at most ``u * sigma`` each, so even summed naively (with
    cancellation) they add an error of order ``n * u**2 * sum|values|`` only.
    """
    values = np.asarray(values, dtype=np.float64)
    head, tail = extract(values)
    if not tail.any():
        return [head]
    return [head, tail]


def exact_row_cumsum(grid: FloatArray) -> list[FloatArray]:
    """Row prefix sums with a leading zero column, one array per part of :func:`split`.

    ``sum_k (C_k[b, hi + 1] - C_k[b, lo])`` is then the sum of ``grid[b, lo:hi + 1]`` to
    within a few ulps of itself, however large the row total before ``lo``.
    """
    out = []
    for part in split(grid):
        c = np.zeros((grid.shape[0], grid.shape[1] + 1))
        np.cumsum(part, axis=1, out=c[:, 1:])
        out.append(c)
    return out


def combine(parts: list[FloatArray]) -> FloatArray:
    """Add the parts smallest first, so the one rounding step is the last."""
    acc = parts[-1]
    for part in reversed(parts[:-1]):
        acc = part + acc
    return acc
