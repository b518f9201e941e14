"""Numbers and dates as Chinese reports write them (and their English counterparts).

A value keeps the unit its plan states (万人, 亿元, %, 岁…): the store holds the
number in that unit, so nothing is rescaled; only a unit-less large count is
written with 万/亿 (zh) or thousands separators (en).
"""

from __future__ import annotations

import math
from datetime import date, datetime

from minsheng.domain.moments import in_display_zone, moment_text


def trim(value: float, digits: int = 2) -> str:
    """A number with at most ``digits`` decimals and no trailing zeros (92.50 → 92.5)."""
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def number(value: float | None, unit: str | None = None, lang: str = "zh") -> str:
    """A value with its unit; '—' when there is none."""
    if value is None:
        return "—"
    unit = (unit or "").strip()
    if unit in ("%", "％"):
        return f"{trim(value, 2)}%"
    if not unit and lang == "zh" and abs(value) >= 1e8:
        return f"{trim(value / 1e8, 2)}亿"
    if not unit and lang == "zh" and abs(value) >= 1e4:
        return f"{trim(value / 1e4, 2)}万"
    text = trim(value, _decimals(value))
    return f"{text}{unit}" if lang == "zh" or not unit else f"{text} {unit}"


def _decimals(value: float) -> int:
    """Two decimals, none from 1,000 up, and below 1 as many as four significant digits need:
    a county's 5,368 张 read in 万张 is 0.5368, not 0.54."""
    size = abs(value)
    if size >= 1000:
        return 0
    if 0 < size < 1:
        return min(8, 3 - math.floor(math.log10(size)))
    return 2


def ratio(value: float | None) -> str:
    """ρ, the share of the planned change achieved: two decimals."""
    if value is None:
        return "—"
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


def share(value: float | None) -> str:
    """A 0–1 share as a percentage with one decimal."""
    return "—" if value is None else f"{value * 100:.1f}%"


def month(value: date | datetime | str | None, lang: str = "zh") -> str:
    """2025年3月 (zh) or Mar 2025 (en)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        value = in_display_zone(value)
    if lang == "zh":
        return f"{value.year}年{value.month}月"
    return value.strftime("%b %Y")


def moment(value: datetime | str | None) -> str:
    """2026-12-01 08:03:07 in China Standard Time (the pages say so in the column head)."""
    return moment_text(value)
