"""The five-year plans' numbering: “十四五” is the 14th, 2021–2025.

Documents name a period by its plan (“十四五”时期), drafts must name the next one
(“十五五”), and both directions follow one count: the first two plans ran 1953–1957
and 1958–1962, and from the third (1966–1970) they run back to back.
"""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def five_year_period(number: int) -> tuple[int, int]:
    """First and last year of the ``number``-th five-year plan."""
    start = 1953 + 5 * (number - 1) if number <= 2 else 1966 + 5 * (number - 3)
    return start, start + 4


def five_year_number(start: int, end: int) -> int | None:
    """Which five-year plan spans exactly ``start``–``end``; None for any other span."""
    if end != start + 4:
        return None
    if start < 1966:
        return next((n for n in (1, 2) if five_year_period(n)[0] == start), None)
    return (start - 1966) // 5 + 3 if (start - 1966) % 5 == 0 else None


def five_year_name(start: int | None, end: int | None) -> str | None:
    """``(2026, 2030)`` → ``十五五``, as plans write it; None when the span is no plan's."""
    number = five_year_number(start, end) if start and end else None
    return None if number is None else f"{write_chinese_number(number)}五"


def write_chinese_number(number: int) -> str:
    """1–99 in Chinese numerals as plan names write them: 十, 十四, 二十, 二十一."""
    if not 0 < number < 100:
        raise ValueError(f"{number} is not between 1 and 99")
    tens, ones = divmod(number, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else f"{_DIGITS[tens]}十")
    return head + (_DIGITS[ones] if ones else "")
