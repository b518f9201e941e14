"""What one typed cell of an observation file means: a number, a bound, nothing, or an error.

Every door that reads observation files (import, file-mode evaluation, the
demo's statistics) reads cells here, so ``１,２３４``, ``96%``, ``>95``,
``95以上``, ``—`` and ``2023年`` mean the same thing whichever way they came in.

* numbers: full-width digits, the Unicode minus, ``1,234.5`` (a comma only
  where it groups thousands — ``1,23`` is refused, not guessed), ``96%``;
* bounds: ``>95``, ``≥95``, ``>=95``, ``<5``, ``≤5``, ``不低于95``, ``超过95``,
  ``95以上``, ``95%以下`` keep their comparator: ``>``, ``>=``, ``<`` or ``<=``
  (``以上``/``以下`` include the number, as Chinese statutes read them);
* missing: an empty cell, ``—``, ``-``, ``－``, ``N/A``, ``无``… mean "no value";
* years: ``2023``, ``2023年``, ``2023.0``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["BOUNDS", "ParsedNumber", "parse_number", "parse_year"]

#: The comparators a bound may carry, as stored.
BOUNDS = (">", ">=", "<", "<=")

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_PLACEHOLDERS = {"—", "——", "-", "--", "–", "−", "…", "……", "...", "/", "n/a", "na", "无", "暂无",
                 "无数据", "缺", "空", "x", "×", "null", "none"}  # fmt: skip
_PREFIX_BOUNDS = (
    (">=", ">="), ("≥", ">="), ("⩾", ">="), ("不低于", ">="), ("不少于", ">="), ("至少", ">="),
    ("<=", "<="), ("≤", "<="), ("⩽", "<="), ("不高于", "<="), ("不超过", "<="), ("不多于", "<="),
    ("至多", "<="), (">", ">"), ("超过", ">"), ("高于", ">"), ("大于", ">"), ("多于", ">"),
    ("<", "<"), ("低于", "<"), ("小于", "<"), ("不足", "<"), ("少于", "<"),
)  # fmt: skip
_SUFFIX_BOUNDS = (("以上", ">="), ("及以上", ">="), ("以下", "<="), ("及以下", "<="))
_YEAR = re.compile(r"\s*(\d{4})\s*(?:年|年度)?\s*")


@dataclass(frozen=True)
class ParsedNumber:
    """A cell read: ``value`` None means nothing to store (empty, placeholder or error)."""

    value: float | None
    percent_sign: bool = False
    placeholder: bool = False
    error: str | None = None
    bound: str | None = None  # one of BOUNDS when the cell gave only a bound
    error_zh: str | None = None  # ``error`` in Chinese, for pages


def parse_number(text: str | float | int | None) -> ParsedNumber:
    """Read a hand-typed value cell.

    >>> parse_number("1,234.5").value
    1234.5
    >>> parse_number("96%").percent_sign
    True
    >>> (parse_number("≥95").bound, parse_number("95以上").bound, parse_number("<5").bound)
    ('>=', '>=', '<')
    >>> parse_number("1,23").error is not None
    True
    """
    if text is None:
        return ParsedNumber(None)
    if isinstance(text, bool):
        return ParsedNumber(
            None, error=f"{text!r} is not a number", error_zh=f"“{text}”不是数字，请填写数值"
        )
    if isinstance(text, int | float):
        if not math.isfinite(float(text)):
            return _not_finite(text)
        return ParsedNumber(float(text))
    t = unicodedata.normalize("NFKC", str(text)).strip()
    if not t:
        return ParsedNumber(None)
    if t.lower() in _PLACEHOLDERS:
        return ParsedNumber(None, placeholder=True)
    t = t.replace("\u2212", "-").replace(" ", "").replace("\u00a0", "")
    bound = None
    for word, op in _PREFIX_BOUNDS:
        if t.startswith(word) and len(t) > len(word):
            bound, t = op, t[len(word) :]
            break
    else:
        for word, op in _SUFFIX_BOUNDS:
            if t.endswith(word) and len(t) > len(word):
                bound, t = op, t[: -len(word)]
                break
    percent = t.endswith("%")
    if percent:
        t = t[:-1]
    if _GROUPED.fullmatch(t):
        t = t.replace(",", "")
    if not _NUMBER.fullmatch(t):
        comma = "," in t
        hint = " (a comma only groups thousands: 1,234)" if comma else ""
        hint_zh = "（逗号只能用作千分位分隔，如 1,234）" if comma else ""
        return ParsedNumber(
            None,
            error=f"{text!r} is not a number{hint}",
            error_zh=f"“{text}”不是数字{hint_zh}，请填写数值",
        )
    value = float(t)
    if not math.isfinite(value):
        return _not_finite(text)
    return ParsedNumber(value, percent_sign=percent, bound=bound)


def _not_finite(text: str | float) -> ParsedNumber:
    return ParsedNumber(
        None,
        error=f"{text!r} is not a finite number",
        error_zh=f"“{text}”不是有限的数值，请填写具体数字",
    )


def parse_year(raw: str | int | float | None) -> int | None:
    """``2021``, ``"2021"``, ``"2021年"``, ``"２０２１"``, ``2021.0`` → 2021; anything else → None."""
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    m = _YEAR.fullmatch(unicodedata.normalize("NFKC", str(raw)))
    if m:
        return int(m.group(1))
    try:
        f = float(unicodedata.normalize("NFKC", str(raw)))
    except ValueError:
        return None
    return int(f) if f.is_integer() and 1000 <= f <= 9999 else None
