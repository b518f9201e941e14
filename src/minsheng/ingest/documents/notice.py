"""The notice around a plan: labelled page fields, the signature block, the document's own number.

A plan arrives inside a notice (``关于印发《…》的通知``) on a web page. The page
labels some fields (``来源:``, ``发布时间:``, ``信息来源:``); the notice ends with
its issuer's name and the date, often with blank lines between them or on one
line (``某市人民政府办公室　2022年3月5日``, date first, ``印发日期：…``); its own
number (``川府发〔2021〕47号``) stands on a line of its own or ends the notice's
heading, while numbers the text cites (``依据…〔2019〕52号``) sit inside sentences.

Every function works on lines already converted to Simplified script
(:func:`simplified`) so Traditional pages (規劃, 號, 辦公廳) read like any other;
callers keep the original lines to report values as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from minsheng.ingest.documents.text import chinese_number, squeeze_spaces
from minsheng.names import to_simplified

#: Labels of the metadata fields pages print above the text, longest first where one
#: contains another (信息来源 before 来源, 发布时间 before 时间).
FIELD_NAMES = (
    "索引号|发文字号|文号|发布机构|发文机关|成文日期|印发日期|发布日期|发布时间|发文日期|信息来源|"
    "标题|主题分类|有效性|来源|作者|时间|浏览次数|点击数|字号"
)
_FIELD = re.compile(
    rf"({FIELD_NAMES})\s*[:：]\s*\|?\s*([^|]*?)(?=\s*(?:{FIELD_NAMES})\s*[:：]|\||$)", re.M
)
DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[〔\[［【（(]\s*((?:19|20)\d{2})\s*[〕\]］】）)]\s*\d{1,4}\s*号"
)
DATE_CN = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
DATE_ISO = re.compile(r"((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})")
#: The digits of a year written in Chinese numerals, one by one (二〇二二); documents write
#: the zero as 〇, as the look-alike circle ○, as 零 or as a full-width letter O.
_YEAR_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {
    "○": 0,
    "零": 0,
    "Ｏ": 0,
    "O": 0,
}
#: A year in Chinese numerals, digit by digit (二〇二二).
YEAR_CN_NUMERALS = f"[{''.join(_YEAR_DIGITS)}]{{4}}"


def numeral_year(text: str) -> int:
    """The year of a :data:`YEAR_CN_NUMERALS` match (二〇二二 → 2022)."""
    return int("".join(str(_YEAR_DIGITS[c]) for c in text))


#: A date in Chinese numerals, as older documents and some counties sign (二〇二二年三月五日).
DATE_CN_NUMERALS = re.compile(
    rf"({YEAR_CN_NUMERALS})\s*年\s*([一二三四五六七八九十]{{1,3}})\s*月"
    r"\s*([一二三四五六七八九十]{1,3})\s*日"
)
#: Labels that say the date after them is the day the document was issued. Only after
#: one is a numeric date (2022-03-05) a signature's: bare, it is more often a page's posting date.
_ISSUE_LABEL = re.compile(r"(?:印发日期|成文日期)\s*[:：]\s*")
#: A label some pages set before the issuer in a signature line (``发文机关：…``).
_ISSUER_LABEL = re.compile(r"^(?:发文机关|发布机构|印发机关|发文单位)\s*[:：]\s*")
_ISSUER_END = re.compile(r"(?:委员会|人民政府|政府|办公室|办公厅|局|厅|委|部|院|中心)$")
#: Words that make a document number one the text cites rather than its own.
_CITING = re.compile(r"依据|根据|按照|参照|贯彻|落实|执行|转发|《|[。，；,;]")
#: How many blank lines may separate a signature's issuer line from its date.
_SIGNATURE_GAP = 4


@dataclass(frozen=True)
class Found:
    """A value read from one line (0-based index), with how sure the reading is."""

    value: str
    index: int
    confidence: float
    how: str


def simplified(text: str) -> str:
    """Text in Simplified script, for matching only (values are reported as written):
    the one converter of :mod:`minsheng.names`."""
    return to_simplified(text)


def is_traditional(lines: list[str]) -> bool:
    """Whether a document's opening is in Traditional script (conversion would change it)."""
    sample = "".join(sorted(set("".join(lines[:200])[:3000])))  # each character once: fast
    return simplified(sample) != sample


def as_written(original: str, converted: str, value: str) -> str:
    """``value`` (found in the converted line) as the original line writes it.

    t2s conversion maps character to character on almost every line, so the same span
    of the original is the value as written; where lengths differ the value is kept.
    """
    if len(original) != len(converted):
        return value
    start = converted.find(value)
    if start < 0:
        return value
    return original[start : start + len(value)]


def labelled_fields(lines: list[str], limit: int = 40) -> dict[str, Found]:
    """``来源:四川省人民政府 | 发布时间: 2021-12-30`` → the first non-empty value of each label."""
    fields: dict[str, Found] = {}
    for i, line in enumerate(lines[:limit]):
        for m in _FIELD.finditer(line):
            value = squeeze_spaces(m.group(2))
            if value and m.group(1) not in fields:
                fields[m.group(1)] = Found(value, i, 0.9, f"labelled field {m.group(1)}")
    return fields


def is_issuer(text: str) -> bool:
    """A line shaped like an issuing body's name (…人民政府, …办公厅, …委员会)."""
    return (
        0 < len(text) <= 40
        and _ISSUER_END.search(text) is not None
        and not re.search(r"[。，,：:；;《》|]", text)
    )


def _as_date(m: re.Match[str]) -> date | None:
    """The day a match of one of the date patterns names; None for an impossible one."""
    if m.re is DATE_CN_NUMERALS:
        year = numeral_year(m.group(1))
        month, day = chinese_number(m.group(2)), chinese_number(m.group(3))
        if not 1900 <= year <= 2099 or month is None or day is None:
            return None  # as the digits' patterns: a 19xx or 20xx year; 十十 is no number
        parts = (year, month, day)
    else:
        parts = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
    try:
        return date(*parts)
    except ValueError:
        return None


def _first(patterns: tuple[re.Pattern[str], ...], text: str) -> re.Match[str] | None:
    """The match that starts first in ``text`` among the patterns'."""
    found = [m for pattern in patterns if (m := pattern.search(text))]
    return min(found, key=lambda m: m.start(), default=None)


def parse_date(text: str) -> date | None:
    """The first date written in ``text`` (2022-03-05, 2022年3月5日, 二〇二二年三月五日), or None."""
    m = _first((DATE_ISO, DATE_CN, DATE_CN_NUMERALS), text)
    return _as_date(m) if m else None


def dated_line(text: str) -> tuple[date, str] | None:
    """A line carrying a signature date: the date, and what else the line says.

    ``2022年3月5日`` or ``二〇二二年三月五日`` → (date, ""); ``某市人民政府办公室　2022年3月5日``,
    the date first, or ``…办公室 印发日期：2022-03-05`` → (date, the rest, label and
    spaces dropped). The caller decides whether the rest is an issuer; None for a line
    with no date or an impossible one (2022年2月30日).
    """
    text = squeeze_spaces(text)
    label = _ISSUE_LABEL.search(text)
    m = None
    if label:
        m = next(
            (d for p in (DATE_CN, DATE_ISO, DATE_CN_NUMERALS) if (d := p.match(text, label.end()))),
            None,
        )
    if m is None:
        label, m = None, _first((DATE_CN, DATE_CN_NUMERALS), text)
    if m is None:
        return None
    day = _as_date(m)
    if day is None:
        return None
    start = label.start() if label else m.start()
    rest = squeeze_spaces(text[:start] + text[m.end() :])
    return day, _ISSUER_LABEL.sub("", rest)


def signature(lines: list[str], limit: int = 150) -> tuple[Found, Found] | None:
    """The notice's issuer and date: both on one line, or an issuer line above a date line
    with blank lines between; the first such signature in the text."""
    for i in range(min(len(lines), limit)):
        dated = dated_line(lines[i])
        if dated is None:
            continue
        day, rest = dated
        if rest:
            if is_issuer(rest):
                return (
                    Found(rest, i, 0.95, "signature (one line)"),
                    Found(day.isoformat(), i, 0.95, "signature (one line)"),
                )
            continue  # a date inside other words: no signature
        j, gap = i - 1, 0
        while j >= 0 and not squeeze_spaces(lines[j]) and gap < _SIGNATURE_GAP:
            j, gap = j - 1, gap + 1
        above = squeeze_spaces(lines[j]) if j >= 0 else ""
        above = _ISSUER_LABEL.sub("", above)
        if is_issuer(above):
            confidence = 0.95 if gap == 0 else 0.9
            return (
                Found(above, j, confidence, "signature"),
                Found(day.isoformat(), i, confidence, "signature"),
            )
    return None


def own_number(lines: list[str], limit: int = 80) -> Found | None:
    """The document's own number: alone on its line, or ending the notice's heading line.

    A number inside a sentence or after 依据/根据/《 is one the text cites, never its own.
    """
    best: Found | None = None
    for i, line in enumerate(lines[:limit]):
        text = squeeze_spaces(line)
        if not text or "号" not in text:
            continue
        whole = DOC_NUMBER.fullmatch(text)
        if whole:
            return Found(whole.group(0), i, 0.95, "number line")
        if best is not None:
            continue
        tokens = line.split()
        if len(tokens) >= 2:
            for k in (1, 2):  # ``川府发〔2021〕47号`` or ``川府发〔2021〕47 号`` at the end
                tail = squeeze_spaces(" ".join(tokens[-k:]))
                head = " ".join(tokens[:-k])
                if DOC_NUMBER.fullmatch(tail) and not _CITING.search(head.replace("《", "")):
                    best = Found(tail, i, 0.8, "end of the notice heading")
                    break
    return best


def cited_numbers(lines: list[str]) -> list[tuple[int, str]]:
    """Numbers the text cites (inside sentences): reported so a reader sees they were skipped."""
    out = []
    for i, line in enumerate(lines):
        text = squeeze_spaces(line)
        for m in DOC_NUMBER.finditer(text):
            if m.group(0) != text and _CITING.search(text[: m.start()]):
                out.append((i, m.group(0)))
    return out
