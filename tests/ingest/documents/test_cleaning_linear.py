"""The spam patterns run in linear time and find exactly what the original expressions found.

The original expressions (kept here as the oracle) backtrack quadratically or worse on
one long line; on short generated lines they are cheap, and the linear versions must
agree with them span for span.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from minsheng.ingest.documents import cleaning

_PIECE = r"[^\s_，,、。:：;；|（）()“”]+"
ORACLE_CHAIN = re.compile(rf"{_PIECE}(?:_{_PIECE})+")
ORACLE_STRONG = re.compile(
    r"(?:[A-Za-z0-9_]*(?:"
    + "|".join(map(re.escape, cleaning.STRONG_SPAM_WORDS))
    + r"))+[A-Za-z0-9_]*",
    re.I,
)
ORACLE_SITE = re.compile(
    r"[A-Za-z0-9]*(?:bet|365|888|\d{3,})[A-Za-z0-9]*[\u4e00-\u9fff]{0,8}(?:"
    + "|".join(map(re.escape, cleaning.SPAM_WORDS))
    + ")",
    re.I,
)

TOKENS = st.sampled_from(
    [
        *"ab129_ 、，网站城",
        "bet",
        "BET",
        "365",
        "888",
        "casino",
        "博彩",
        "娱乐城",
        "官方网站",
        "开户",
        "xpj",
    ]
)
LINES = st.lists(TOKENS, max_size=30).map("".join)


def _spans(pattern: re.Pattern[str], line: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(line)]


@given(LINES)
def test_the_linear_patterns_find_the_original_spans(line: str) -> None:
    assert _spans(cleaning._CHAIN, line) == _spans(ORACLE_CHAIN, line)
    assert _spans(cleaning._STRONG, line) == _spans(ORACLE_STRONG, line)
    assert cleaning._site_names(line) == _spans(ORACLE_SITE, line)


@given(LINES)
def test_removing_spam_keeps_everything_outside_the_spans(line: str) -> None:
    cleaned, removed = cleaning.remove_spam(line)
    assert len(cleaned) + sum(map(len, removed)) >= len(line)
    assert all(piece in line for piece in removed)
    assert len(cleaned) <= len(line)


def test_long_hostile_lines_are_cleaned_whole() -> None:
    """One long line of letters, digits or Chinese (which hung the original) is returned whole."""
    for unit in ("a", "1234567890", "公共服务"):
        line = unit * (200_000 // len(unit))
        assert cleaning.remove_spam(line) == (line, [])
