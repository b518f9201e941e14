"""The national canonical indicator catalogue shipped as ``data/catalogue.csv``."""

from __future__ import annotations

from minsheng.data.catalogue import load_catalogue
from minsheng.domain.indicators import CanonicalIndicator


def shipped_catalogue() -> list[CanonicalIndicator]:
    """The catalogue as shipped in ``minsheng/data/catalogue.csv``."""
    return load_catalogue()


def plausible_bounds(indicator: CanonicalIndicator) -> tuple[float | None, float | None]:
    """Bounds outside which a value is implausible (a warning on import, never a refusal).

    Rates cannot be negative and, unless gross (毛…率, which counts over-age
    enrolment and may pass 100), cannot exceed 100 %; counts cannot be negative.
    """
    if indicator.unit == "%":
        return 0.0, (None if "毛" in indicator.name else 100.0)
    return 0.0, None
