"""The grammar of baseline and target cells (evaluation method §1).

Indicator tables write targets as ``96%``, ``>90%``, ``≥30``, ``【12】``, ``5左右``,
``1500*``, ``应保尽保``, ``5年内均保持动态清零``, ``1329栋 53275户∗``, ``——`` or plain
words. ``parse_target`` turns any such cell into a :class:`Target`, keeping the
raw text; ``format_target`` writes a Target back in the canonical spelling so
that ``parse_target(format_target(t)) == t``. A footnote marker (``*``, ``**``)
is kept on the target; its meaning comes from the table's notes and is applied
by :func:`apply_footnote`.

>>> parse_target("＞90％").kind, parse_target("＞90％").value, parse_target("＞90％").percent
(<TargetKind.ABOVE: 'above'>, 90.0, True)
>>> parse_target("【320】").kind
<TargetKind.CUMULATIVE: 'cumulative'>
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum


class TargetKind(StrEnum):
    REACH = "reach"
    ABOVE = "above"
    AT_LEAST = "at_least"
    BELOW = "below"
    AT_MOST = "at_most"
    ABOUT = "about"
    CUMULATIVE = "cumulative"
    ANNUAL_AVERAGE = "annual_average"
    FULL_COVERAGE = "full_coverage"
    KEEP_ZERO = "keep_zero"
    MULTIPLE = "multiple"
    QUALITATIVE = "qualitative"
    NONE = "none"


#: Kinds that compare one value against one number.
LEVEL_KINDS = frozenset(
    {
        TargetKind.REACH,
        TargetKind.ABOVE,
        TargetKind.AT_LEAST,
        TargetKind.BELOW,
        TargetKind.AT_MOST,
        TargetKind.ABOUT,
    }
)
#: Kinds that carry a number at all.
NUMERIC_KINDS = LEVEL_KINDS | {TargetKind.CUMULATIVE, TargetKind.ANNUAL_AVERAGE}


@dataclass(frozen=True)
class Target:
    """A parsed cell. ``raw`` is kept for display and audit but not compared."""

    kind: TargetKind
    value: float | None = None
    percent: bool = False
    unit: str | None = None
    marker: str | None = None
    text: str | None = None
    parts: tuple[Target, ...] = ()
    data_year: int | None = None
    raw: str = field(default="", compare=False)

    @property
    def is_measurable(self) -> bool:
        return self.kind not in (TargetKind.NONE, TargetKind.QUALITATIVE)

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"kind": self.kind.value, "raw": self.raw}
        if self.value is not None:
            out["value"] = self.value
        if self.percent:
            out["percent"] = True
        for name in ("unit", "marker", "text", "data_year"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        if self.parts:
            out["parts"] = [p.to_dict() for p in self.parts]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Target:
        raw_parts = data.get("parts") or []
        assert isinstance(raw_parts, list)
        parts = tuple(cls.from_dict(p) for p in raw_parts)
        value = data.get("value")
        year = data.get("data_year")
        return cls(
            kind=TargetKind(str(data["kind"])),
            value=float(value) if value is not None else None,  # type: ignore[arg-type]
            percent=bool(data.get("percent", False)),
            unit=data.get("unit"),  # type: ignore[arg-type]
            marker=data.get("marker"),  # type: ignore[arg-type]
            text=data.get("text"),  # type: ignore[arg-type]
            parts=parts,
            data_year=int(year) if year is not None else None,  # type: ignore[call-overload]
            raw=str(data.get("raw", "")),
        )


NONE = Target(TargetKind.NONE)

# Characters NFKC leaves alone but the documents use as variants.
_TRANSLATE = str.maketrans(
    {
        "∗": "*",  # U+2217 asterisk operator
        "﹡": "*",
        "＊": "*",
        "≧": "≥",
        "≦": "≤",
        "〔": "【",
        "〕": "】",
        "［": "【",
        "］": "】",
        "[": "【",
        "]": "】",
        "﹪": "%",
        "—": "—",
        "－": "-",
        "–": "-",
        "―": "—",
        "─": "—",
    }
)

_EMPTY = re.compile(r"^[\s\-—/／无]*$")
_NUMBER = r"-?\d+(?:\.\d+)?"
_MARKER = r"(?P<marker>\*+)?"
_COMPARATORS: tuple[tuple[str, TargetKind], ...] = (
    ("≥", TargetKind.AT_LEAST),
    (">=", TargetKind.AT_LEAST),
    ("不低于", TargetKind.AT_LEAST),
    ("不少于", TargetKind.AT_LEAST),
    ("≤", TargetKind.AT_MOST),
    ("<=", TargetKind.AT_MOST),
    ("不高于", TargetKind.AT_MOST),
    ("不超过", TargetKind.AT_MOST),
    ("不多于", TargetKind.AT_MOST),
    (">", TargetKind.ABOVE),
    ("大于", TargetKind.ABOVE),
    ("高于", TargetKind.ABOVE),
    ("超过", TargetKind.ABOVE),
    ("<", TargetKind.BELOW),
    ("小于", TargetKind.BELOW),
    ("低于", TargetKind.BELOW),
    ("约", TargetKind.ABOUT),
)
_SUFFIXES: tuple[tuple[str, TargetKind], ...] = (
    ("左右", TargetKind.ABOUT),
    ("以上", TargetKind.AT_LEAST),
    ("及以上", TargetKind.AT_LEAST),
    ("以下", TargetKind.AT_MOST),
    ("以内", TargetKind.AT_MOST),
)
_SYMBOL = {
    TargetKind.ABOVE: ">",
    TargetKind.AT_LEAST: "≥",
    TargetKind.BELOW: "<",
    TargetKind.AT_MOST: "≤",
}
# A unit after a number: CJK or Latin letters, no digits, no comparators.
_UNIT = r"[^\d\s%*.<>≥≤【】、,，;；-]{1,6}"
_QUANTITY = re.compile(rf"(?P<num>{_NUMBER})\s*(?P<pct>%)?\s*(?P<unit>{_UNIT})?\s*{_MARKER}")
_FULL_COVERAGE = re.compile(r"应(.)尽\1|全覆盖|全部覆盖")
_KEEP_ZERO = re.compile(r"清零|保持为?零|动态为零")


def normalise_cell(raw: str) -> str:
    """Full-width to half-width, one spelling per symbol, no spaces inside numbers."""
    text = unicodedata.normalize("NFKC", raw).translate(_TRANSLATE)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"(?<=\d) (?=[\d.])|(?<=\.) (?=\d)", "", text)  # "1 500" → "1500"
    text = re.sub(r"(?<=[<>≥≤]) ", "", text)
    text = re.sub(r" (?=[%*])", "", text)
    return text


def parse_target(raw: str | None) -> Target:
    """Parse one baseline or target cell; never raises."""
    if raw is None:
        return Target(TargetKind.NONE, raw="")
    source = str(raw)
    text = normalise_cell(source)
    if _EMPTY.match(text):
        return Target(TargetKind.NONE, raw=source)
    parsed = _parse_normalised(text)
    return replace(parsed, raw=source)


def _parse_normalised(text: str) -> Target:
    if _KEEP_ZERO.search(text):
        return Target(TargetKind.KEEP_ZERO, text=text)
    if _FULL_COVERAGE.search(text):
        return Target(TargetKind.FULL_COVERAGE, text=text)

    bracket = re.fullmatch(rf"【\s*(?P<inner>[^【】]*?)\s*】\s*{_MARKER}", text)
    if bracket:
        inner = _parse_simple(bracket.group("inner"))
        if inner is not None and inner.kind in LEVEL_KINDS and inner.kind is not TargetKind.ABOUT:
            return replace(
                inner, kind=TargetKind.CUMULATIVE, marker=bracket.group("marker") or inner.marker
            )

    simple = _parse_simple(text)
    if simple is not None:
        return simple

    parts = _parse_quantities(text)
    if parts is not None:
        return Target(TargetKind.MULTIPLE, parts=parts)
    return Target(TargetKind.QUALITATIVE, text=text)


def _parse_simple(text: str) -> Target | None:
    """One number with an optional comparator, %, unit, suffix and marker."""
    kind = TargetKind.REACH
    rest = text.strip()
    for word, comparator in _COMPARATORS:
        if rest.startswith(word):
            kind, rest = comparator, rest[len(word) :].strip()
            break
    for word, suffix_kind in sorted(_SUFFIXES, key=lambda s: -len(s[0])):
        m = re.fullmatch(rf"(?P<body>.*?){word}\s*{_MARKER}", rest)
        if m and kind is TargetKind.REACH:
            kind = suffix_kind
            rest = m.group("body").strip() + (m.group("marker") or "")
            break
    m = _QUANTITY.fullmatch(rest)
    if not m:
        return None
    return Target(
        kind,
        value=float(m.group("num")),
        percent=bool(m.group("pct")),
        unit=m.group("unit"),
        marker=m.group("marker"),
    )


def _parse_quantities(text: str) -> tuple[Target, ...] | None:
    """Two or more ``number unit`` groups in one cell (``1329栋 53275户*``)."""
    pieces = [p for p in re.split(r"[\s、,，;；和及]+", text) if p]
    if len(pieces) < 2:
        return None
    parts = []
    for piece in pieces:
        part = _parse_simple(piece)
        if part is None:
            return None
        parts.append(part)
    return tuple(parts)


def _format_number(value: float) -> str:
    text = format(Decimal(repr(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_target(target: Target) -> str:
    """The canonical spelling of a target; the inverse of :func:`parse_target`."""
    kind = target.kind
    if kind is TargetKind.NONE:
        return "—"
    if kind in (TargetKind.QUALITATIVE, TargetKind.FULL_COVERAGE, TargetKind.KEEP_ZERO):
        return target.text or {"full_coverage": "应保尽保", "keep_zero": "保持动态清零"}.get(
            kind.value, ""
        )
    if kind is TargetKind.MULTIPLE:
        texts = [format_target(p) for p in target.parts]
        out = texts[0]
        for prev, nxt in zip(texts, texts[1:], strict=False):
            # "0 0" would read back as the one number 00 (spaces inside numbers are dropped)
            out += ("、" if prev[-1:].isdigit() and nxt[:1].isdigit() else " ") + nxt
        return out
    assert target.value is not None
    body = _format_number(target.value) + ("%" if target.percent else "") + (target.unit or "")
    marker = target.marker or ""
    if kind is TargetKind.CUMULATIVE:
        return f"【{body}】{marker}"
    if kind is TargetKind.ABOUT:
        return f"{body}左右{marker}"
    if kind in _SYMBOL:
        return f"{_SYMBOL[kind]}{body}{marker}"
    return body + marker


class FootnoteMeaning(StrEnum):
    ANNUAL_AVERAGE = "annual_average"
    CUMULATIVE = "cumulative"
    DATA_YEAR = "data_year"


@dataclass(frozen=True)
class Footnote:
    """What a table note says a marker (``*``, ``**``, ``【】``) means."""

    marker: str
    meaning: FootnoteMeaning
    year: int | None = None
    text: str = ""


_NOTE_MARKER = re.compile(r"带\s*(?P<marker>\*+|【\s*】|\[\s*\]|〔\s*〕)")
_AVERAGE_WORDS = r"年度?平均|年均|平均每年|每年平均"
_AVERAGE = re.compile(_AVERAGE_WORDS)
_NOT_AVERAGE = re.compile(rf"(?:非|不是|并非|不按|不)\s*[五十\d]*\s*(?:{_AVERAGE_WORDS})")


def says_annual_average(text: str) -> bool:
    """Whether a note or a remark says numbers are yearly averages (``年均``, ``五年平均``,
    ``平均每年``) — and does not deny it (``非年均``). A place's average (全省平均) is no
    yearly one."""
    return _AVERAGE.search(text) is not None and _NOT_AVERAGE.search(text) is None


def read_footnote(note: str) -> Footnote | None:
    """Classify one note line of an indicator table, if it defines a marker.

    >>> read_footnote("带**的为2019年数据。").year
    2019
    """
    text = normalise_cell(note)
    m = _NOTE_MARKER.search(text)
    if not m:
        return None
    marker = m.group("marker")
    marker = "【】" if not marker.startswith("*") else marker
    year = re.search(
        r"((?:19|20)\d{2})\s*年(?:的)?(?:预测|预计|统计|快报|初步|初步核算)?(?:的)?数据", text
    )
    if year:
        return Footnote(marker, FootnoteMeaning.DATA_YEAR, int(year.group(1)), note)
    if says_annual_average(text):
        return Footnote(marker, FootnoteMeaning.ANNUAL_AVERAGE, None, note)
    if "累计" in text:
        return Footnote(marker, FootnoteMeaning.CUMULATIVE, None, note)
    return None


def apply_footnote(target: Target, footnote: Footnote) -> Target:
    """Give a marked target the meaning its table's note declares."""
    if footnote.meaning is FootnoteMeaning.DATA_YEAR:
        return replace(target, data_year=footnote.year)
    if target.kind is TargetKind.MULTIPLE:  # "1329栋 53275户∗": the note speaks for each quantity
        return replace(target, parts=tuple(apply_footnote(p, footnote) for p in target.parts))
    if target.kind not in LEVEL_KINDS and target.kind is not TargetKind.CUMULATIVE:
        return target
    if footnote.meaning is FootnoteMeaning.ANNUAL_AVERAGE:
        return replace(target, kind=TargetKind.ANNUAL_AVERAGE)
    return replace(target, kind=TargetKind.CUMULATIVE)
