"""Which years minsheng reads: a year outside them is a typo, not a question to answer."""

from __future__ import annotations

from minsheng.domain.errors import InvalidData

# The People's Republic's statistics begin in 1949; plans reach 2035, forecasts a little further.
FIRST_YEAR, LAST_YEAR = 1949, 2100


def check_year(year: object, what: str = "year") -> int:
    """The year as an int, or InvalidData naming the bounds (0, 99999 and 20-digit years refused)."""
    try:
        value = int(str(year).strip())
    except (TypeError, ValueError):
        raise InvalidData(
            f"{what}: {year!r} is not a year", message_zh=f"{year!r} 不是年份（{what}）"
        ) from None
    if not FIRST_YEAR <= value <= LAST_YEAR:
        shown = str(year) if len(str(year)) <= 12 else f"{str(year)[:12]}…"
        raise InvalidData(
            f"{what}: {shown} is not a year between {FIRST_YEAR} and {LAST_YEAR}",
            message_zh=f"{shown} 不是 {FIRST_YEAR}—{LAST_YEAR} 年之间的年份（{what}）",
        )
    return value
