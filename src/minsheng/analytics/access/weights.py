"""Distance decay for floating catchment measures: none (classic 2SFCA), step, Gaussian.

The functions match PySAL ``access.weights`` exactly: ``step_fn`` gives the weight of the
smallest threshold ``t`` with ``d <= t`` (0 beyond the last one) and ``gaussian`` is
``exp(-d**2 / (2 sigma**2))`` without normalisation (Luo & Qi 2009, E2SFCA; Dai 2010).
They are kept as data rather than closures so the fast kernels can use their structure:
step weights become nested disks, Gaussian weights factor into ``g(dx) * g(dy)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class Uniform:
    """Weight 1 inside the catchment: the classic 2SFCA of Luo & Wang (2003)."""

    def __call__(self, d: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.ones_like(np.asarray(d, dtype=np.float64))

    def bands(self, radius: float) -> list[tuple[float, float]]:
        return [(radius, 1.0)]


@dataclass(frozen=True)
class Step:
    """Piecewise-constant weights ``{threshold: weight}``, e.g. ``{1000: 1, 2000: .68, 3000: .22}``."""

    steps: tuple[tuple[float, float], ...] = field(default=())

    @classmethod
    def of(cls, steps: Mapping[float, float]) -> Step:
        if not steps:
            raise ValueError("a step decay needs at least one threshold")
        items = tuple(sorted((float(k), float(v)) for k, v in steps.items()))
        if any(v < 0 for _, v in items) or any(k < 0 for k, _ in items):
            raise ValueError("step thresholds and weights must be non-negative")
        return cls(items)

    @classmethod
    def luo_qi(cls, radius: float) -> Step:
        """The three zones of Luo & Qi (2009) scaled to ``radius``: weights 1, 0.68, 0.22."""
        return cls.of({radius / 3: 1.0, 2 * radius / 3: 0.68, radius: 0.22})

    def __call__(self, d: NDArray[np.float64]) -> NDArray[np.float64]:
        d = np.asarray(d, dtype=np.float64)
        thresholds = np.array([k for k, _ in self.steps])
        values = np.array([v for _, v in self.steps] + [0.0])
        return values[np.searchsorted(thresholds, d, side="left")]

    def bands(self, radius: float) -> list[tuple[float, float]]:
        """``(outer radius, weight)`` of each annulus inside ``radius``, innermost first."""
        out: list[tuple[float, float]] = []
        for k, v in self.steps:
            out.append((min(k, radius), v))
            if k >= radius:
                break
        return out


@dataclass(frozen=True)
class Gaussian:
    """``w(d) = exp(-d**2 / (2 sigma**2))`` (unnormalised, ``w(0) = 1``) as in PySAL ``access``."""

    sigma: float

    def __post_init__(self) -> None:
        if not self.sigma > 0:
            raise ValueError("Gaussian decay needs sigma > 0")

    def __call__(self, d: NDArray[np.float64]) -> NDArray[np.float64]:
        d = np.asarray(d, dtype=np.float64)
        return np.exp(-d * d / (2 * self.sigma**2))

    def of_squared(self, d2: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.exp(-d2 / (2 * self.sigma**2))


Decay = Uniform | Step | Gaussian
