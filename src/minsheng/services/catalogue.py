"""The national canonical indicator catalogue shipped as ``data/catalogue.csv``."""

from __future__ import annotations

from minsheng.data.catalogue import load_catalogue
from minsheng.domain.indicators import CanonicalIndicator, plausible_range


def shipped_catalogue() -> list[CanonicalIndicator]:
    """The catalogue as shipped in ``minsheng/data/catalogue.csv``."""
    return load_catalogue()


def plausible_bounds(indicator: CanonicalIndicator) -> tuple[float | None, float | None]:
    """The catalogue's bounds: the values the indicator plausibly takes, read from its name
    and unit by the one rule every indicator follows (:func:`plausible_range`; a value
    outside is a warning — what it cannot take at all, :func:`value_range`, is refused).
    """
    return plausible_range(indicator.name, percent=indicator.unit in ("%", "％"))
