"""The notice's signature: issuer and date on one line in any order and spacing, or on two lines.

Issuer names and dates are generated (hypothesis); the real plan heads in
``../shared/corpus`` are read again with their own signature lines joined into
one, and must give the gold metadata unchanged.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ingest_paths import CORPUS, GOLD

from minsheng.ingest.documents.cleaning import clean_lines
from minsheng.ingest.documents.metadata import read_metadata, read_metadata_sourced
from minsheng.ingest.documents.notice import dated_line, parse_date, signature
from minsheng.ingest.documents.readers import read_document

#: Characters issuer names are made of here (no digits, no punctuation, Simplified script).
_NAME_CHARS = "东南西北中上下新安宁和平阳山河湖海江城州长青白金石泉林花园丰华兴盛永"
_BODIES = (
    "市人民政府",
    "市人民政府办公室",
    "县人民政府办公室",
    "省人民政府办公厅",
    "区发展和改革委员会",
    "市教育局",
    "县卫生健康委",
    "市民政局",
)
_SPACES = ("", " ", "    ", "\u3000", "\u3000\u3000", "\t", " \u3000\t")
_TITLE = "“十四五”公共服务发展规划"

issuers = st.builds(
    lambda prefix, body: prefix + body,
    st.text(alphabet=_NAME_CHARS, min_size=2, max_size=8),
    st.sampled_from(_BODIES),
)
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31))


def _numeral(n: int) -> str:
    """1–31 in Chinese numerals as dates write them: 五, 十, 十二, 二十, 三十一."""
    digits = "〇一二三四五六七八九"
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else digits[tens]) + "十" if tens else "") + (
        digits[ones] if ones else ""
    )


def _in_numerals(day: date, zero: str = "〇") -> str:
    """A date in Chinese numerals, the year digit by digit (二〇二二年三月五日)."""
    year = "".join("〇一二三四五六七八九"[int(d)] for d in str(day.year)).replace("〇", zero)
    return f"{year}年{_numeral(day.month)}月{_numeral(day.day)}日"


#: How many ways :func:`_written` writes a date.
STYLES = 9


def _written(day: date, style: int) -> str:
    """One date as signatures write it."""
    return (
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.year}年{day.month:02d}月{day.day:02d}日",
        f"{day.year} 年 {day.month} 月 {day.day} 日",
        f"印发日期：{day.year}年{day.month}月{day.day}日",
        f"印发日期:{day.isoformat()}",
        f"印发日期： {day.year}/{day.month}/{day.day}",
        _in_numerals(day),
        _in_numerals(day, "○").replace("年", " 年 "),  # the circle look-alike, spaced
        f"印发日期：{_in_numerals(day, '零')}",
    )[style]


def _head(*lines: str) -> list[str]:
    return [_TITLE, "", "各有关单位：", "现将规划印发给你们，请认真贯彻执行。", "", *lines, ""]


@settings(max_examples=60, deadline=None)
@given(
    issuer=issuers,
    day=days,
    style=st.integers(0, STYLES - 1),
    space=st.sampled_from(_SPACES),
    date_first=st.booleans(),
)
def test_issuer_and_date_on_one_line_give_both(
    issuer: str, day: date, style: int, space: str, date_first: bool
) -> None:
    when = _written(day, style)  # with no space between (某市人民政府2022年3月5日) too
    line = f"{when}{space}{issuer}" if date_first else f"{issuer}{space}{when}"
    meta, _warnings, sources = read_metadata_sourced(_head(line))
    assert (meta.issuer, meta.issue_date) == (issuer, day), line
    assert sources["issuer"].line == sources["issue_date"].line == 6


@settings(max_examples=40, deadline=None)
@given(
    issuer=issuers,
    day=days,
    style=st.integers(0, STYLES - 1),
    gap=st.integers(0, 3),
    indent=st.sampled_from(_SPACES),
)
def test_issuer_and_date_on_their_own_lines_still_give_both(
    issuer: str, day: date, style: int, gap: int, indent: str
) -> None:
    meta, _ = read_metadata(_head(indent + issuer, *[""] * gap, indent + _written(day, style)))
    assert (meta.issuer, meta.issue_date) == (issuer, day)


@settings(max_examples=40, deadline=None)
@given(issuer=issuers, day=days, space=st.sampled_from(_SPACES[1:]), style=st.sampled_from([0, 6]))
def test_a_date_inside_other_words_is_no_signature(
    issuer: str, day: date, space: str, style: int
) -> None:
    """A sentence that names a body and a date, or a date beside a non-issuer, signs nothing."""
    when = _written(day, style)
    lines = [f"{issuer}于{when}召开会议，研究本规划。", f"发布时间：{when}{space}浏览次数：12"]
    assert signature(lines) is None
    meta, _ = read_metadata(_head(*lines))
    assert (meta.issuer, meta.issue_date) == (None, None)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2022年3月5日", (date(2022, 3, 5), "")),
        ("某市人民政府办公室\u3000\u30002022年3月5日", (date(2022, 3, 5), "某市人民政府办公室")),
        ("发文机关：某县教育局 印发日期：2022-03-05", (date(2022, 3, 5), "某县教育局")),
        ("2022年2月30日", None),  # no such day
        ("某县人民政府\u3000二〇二一年十二月三十一日", (date(2021, 12, 31), "某县人民政府")),
        ("二〇二二年二月三十日", None),
        ("二〇二二年十十月一日", None),  # 十十 is no number
        ("三〇二二年一月一日", None),  # a year outside 1900–2099, as the digits' patterns
        ("2022-03-05", None),  # a bare numeric date is a page's, not a signature's
        ("某市人民政府办公室", None),
    ],
)
def test_dated_line(line: str, expected: tuple[date, str] | None) -> None:
    assert dated_line(line) == expected


@given(
    day=st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    zero=st.sampled_from("〇○零Ｏ"),
)
def test_every_date_in_chinese_numerals_reads_back(day: date, zero: str) -> None:
    assert parse_date(_in_numerals(day, zero)) == day
    assert parse_date(f"成文日期：{_in_numerals(day, zero)}，发布日期：2000-01-01") == day


def _gold() -> dict[str, dict[str, object]]:
    return json.loads((GOLD / "metadata.json").read_text(encoding="utf-8"))["documents"]


_SIGNED = sorted(p.name for p in CORPUS.glob("plan_*.txt"))


@pytest.mark.parametrize("space", [" ", "\u3000\u3000", "\t"])
@pytest.mark.parametrize("name", _SIGNED)
def test_corpus_signatures_joined_onto_one_line_read_as_gold(name: str, space: str) -> None:
    """Each corpus head read as it is, then with its issuer line and date line made one line
    (either order): the metadata is the gold's either way, and nothing else read changes."""
    expected = _gold()[name]
    lines, _removed = clean_lines(read_document(CORPUS / name).lines)
    before, _warnings, sources = read_metadata_sourced(lines)
    assert before.issuer == expected["issuer"]
    assert (before.issue_date.isoformat() if before.issue_date else None) == expected["issue_date"]
    if "issuer" not in sources or "issue_date" not in sources:
        assert expected["issuer"] is None or expected["issue_date"] is None
        return  # no signature in this head: nothing to join
    at_issuer, at_date = sources["issuer"].line - 1, sources["issue_date"].line - 1
    assert at_issuer != at_date  # the corpus signs on two lines; one line is made below
    for date_first in (False, True):
        parts = [lines[at_issuer].strip(), lines[at_date].strip()]
        joined = space.join(parts[::-1] if date_first else parts)
        changed = list(lines)
        changed[at_issuer], changed[at_date] = joined, ""
        again, _w, _s = read_metadata_sourced(changed)
        assert again == before, joined
