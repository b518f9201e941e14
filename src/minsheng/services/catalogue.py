"""The national canonical indicator catalogue shipped as ``data/catalogue.csv``."""

from __future__ import annotations

from minsheng.data.catalogue import load_catalogue
from minsheng.domain.indicators import CanonicalIndicator, value_range


def shipped_catalogue() -> list[CanonicalIndicator]:
    """The catalogue as shipped in ``minsheng/data/catalogue.csv``."""
    return load_catalogue()


def plausible_bounds(indicator: CanonicalIndicator) -> tuple[float | None, float | None]:
    """The catalogue's bounds: the values the indicator can take at all, read from its name
    and unit by the one rule every indicator follows (:func:`value_range`; a value outside
    is refused with its row, whether the indicator is in the catalogue or only in a plan).
    """
    return value_range(indicator.name, percent=indicator.unit in ("%", "％"))
