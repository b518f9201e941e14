"""Check rows read from a fill-in workbook before anything is stored.

The reader (:mod:`minsheng.ingest.observations.workbooks`) keeps every cell as the text a person
typed; this module decides what that text means. A file is imported whole or not at
all, so problems are collected into one row-numbered :class:`ValidationReport`:
errors refuse the file, warnings (implausible but possible values) let it through.

Rules, in the order they are applied to each row:

* the indicator must be one of the plan's (names and aliases, ignoring spaces,
  full-width characters and bracket style); otherwise an error naming the closest one;
* the region must be known by code or name; the year must be a year of the plan;
* the value must be a number: ``1,234``, full-width digits and ``96%`` (percent
  indicators only) are accepted; an empty cell means "not filled in" and is skipped
  silently; a placeholder (``—``, ``-``, ``N/A``, ``无``) is skipped with a warning;
* the unit, when given, must be the indicator's unit or differ from it only by a
  magnitude prefix (万人 vs 人, 亿元 vs 万元, 千米 vs 米): such values are converted by the
  factor and a warning says so; any other unit is an error;
* a percent indicator whose values in the file are all ≤ 1 (and not all 0) while its
  stored values, baseline or upper bound exceed 1 was given as a share (0.95 for 95 %):
  an error with the hint to multiply by 100 (values typed with a ``%`` sign are exempt);
* the same indicator × region × year twice: an error if the values differ, a warning
  if they agree;
* implausible values are warnings, never refusals: outside the indicator's bounds
  (a rate over 100 %, a negative count) or a jump of ``max_jump``× or more against the
  previous year (from the same file, else from the store).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from minsheng.domain.errors import ValidationReport
from minsheng.domain.observations import Observation


@dataclass(frozen=True)
class ObservationRow:
    """One value cell as read, before any interpretation.

    ``row`` is 1-based as the spreadsheet shows it (header = row 1); for a wide sheet
    it is the region's row and ``cell`` names the cell (``"D5"``).
    """

    row: int
    sheet: str | None
    indicator: str
    region: str
    year: str | int
    value: str
    unit: str | None = None
    source: str | None = None
    note: str | None = None
    cell: str | None = None

    @property
    def where(self) -> str:
        """Human location: ``sheet 2021, D5`` or ``row 7``."""
        parts = []
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        parts.append(self.cell if self.cell else f"row {self.row}")
        return ", ".join(parts)

    @property
    def at(self) -> str:
        """Message prefix adding what a Problem's row number does not say (sheet, cell)."""
        return f"{self.where}: " if self.sheet or self.cell else ""


@dataclass
class IndicatorSpec:
    """What a plan expects of one indicator's values.

    ``lower``/``upper`` are plausible bounds; when both are None the defaults apply
    (rates 0..100, counts ≥ 0, none for growth rates). ``baseline`` (the plan's 2020
    value, optional) helps recognise a share typed where a percentage is meant.
    """

    name: str
    unit: str | None
    percent: bool
    lower: float | None = None
    upper: float | None = None
    aliases: tuple[str, ...] = ()
    baseline: float | None = None

    @classmethod
    def for_unit(cls, name: str, unit: str | None, aliases: tuple[str, ...] = (),
                 baseline: float | None = None) -> IndicatorSpec:
        """A spec whose ``percent`` flag follows from the unit."""
        return cls(name, unit, normalise_unit(unit) == "%", aliases=aliases, baseline=baseline)

    def bounds(self) -> tuple[float | None, float | None]:
        """Plausible (lower, upper), with defaults when neither was set."""
        if self.lower is not None or self.upper is not None:
            return self.lower, self.upper
        if _GROWTH.search(self.name):
            return None, None
        return (0.0, 100.0) if self.percent else (0.0, None)


@dataclass
class ValidationContext:
    """Everything validation needs to know about the plan and the store."""

    indicators: dict[str, IndicatorSpec]
    regions: dict[str, str]
    years: tuple[int, int]
    existing: dict[tuple[str, str, int], float] = field(default_factory=dict)
    max_jump: float = 10.0


_GROWTH = re.compile(r"增长|增速|增幅|变化|变动|growth|change", re.IGNORECASE)
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_PLACEHOLDERS = {"—", "——", "-", "--", "–", "…", "……", "...", "/", "n/a", "na", "无", "暂无",
                 "无数据", "缺", "空", "x", "×", "null", "none"}
_PREFIXES = (("百万", 1e6), ("十万", 1e5), ("亿", 1e8), ("万", 1e4), ("千", 1e3))
_YEAR = re.compile(r"\s*(\d{4})\s*(?:年|年度)?\s*")


def normalise_text(text: str) -> str:
    """Fold full-width forms and spacing so that hand-typed names compare equal."""
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    return re.sub(r"\s+", "", folded)


def normalise_unit(unit: str | None) -> str | None:
    """Canonical unit text: ``百分比``/``％``/``percent`` → ``%``; blank → None."""
    if unit is None:
        return None
    u = normalise_text(unit)
    if not u:
        return None
    if u in {"%", "百分比", "percent", "pct", "百分率"}:
        return "%"
    return u


def unit_factor(given: str | None, wanted: str | None) -> float | None:
    """Factor turning a value in ``given`` into ``wanted``; None when not convertible.

    Only magnitude prefixes convert (万人 = 10 000 人): a different base is a
    different quantity, and guessing would silently corrupt data.

    >>> unit_factor("万人", "人")
    10000.0
    >>> unit_factor("人", "个") is None
    True
    """
    g, w = normalise_unit(given), normalise_unit(wanted)
    if g is None or w is None or g == w:
        return 1.0
    gf, gb = _split_prefix(g)
    wf, wb = _split_prefix(w)
    if gb != wb:
        return None
    return gf / wf


def _split_prefix(unit: str) -> tuple[float, str]:
    for prefix, factor in _PREFIXES:
        if unit.startswith(prefix) and len(unit) > len(prefix):
            return factor, unit[len(prefix):]
    return 1.0, unit


@dataclass(frozen=True)
class ParsedNumber:
    value: float | None  # None: nothing to import
    percent_sign: bool = False
    placeholder: bool = False
    error: str | None = None


def parse_number(text: str | None) -> ParsedNumber:
    """Read a hand-typed number: ``1,234``, ``１２３``, ``96%``, ``−3.5``.

    >>> parse_number("1,234.5").value
    1234.5
    >>> parse_number("96%").percent_sign
    True
    """
    if text is None:
        return ParsedNumber(None)
    t = unicodedata.normalize("NFKC", str(text)).strip()
    if not t:
        return ParsedNumber(None)
    if t.lower() in _PLACEHOLDERS:
        return ParsedNumber(None, placeholder=True)
    t = t.replace("\u2212", "-").replace(" ", "")
    percent = t.endswith("%")
    if percent:
        t = t[:-1]
    if _GROUPED.fullmatch(t):
        t = t.replace(",", "")
    if not _NUMBER.fullmatch(t):
        return ParsedNumber(None, error=f"{text!r} is not a number")
    value = float(t)
    if not math.isfinite(value):
        return ParsedNumber(None, error=f"{text!r} is not a finite number")
    return ParsedNumber(value, percent_sign=percent)


def parse_year(raw: str | int) -> int | None:
    """``2021``, ``"2021"``, ``"2021年"``, ``2021.0`` → 2021; anything else → None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    m = _YEAR.fullmatch(unicodedata.normalize("NFKC", str(raw)))
    if m:
        return int(m.group(1))
    try:
        f = float(str(raw))
    except ValueError:
        return None
    return int(f) if f.is_integer() and 1000 <= f <= 9999 else None


class _Names:
    """Exact-then-folded lookup with a fuzzy suggestion for what is not found."""

    def __init__(self, mapping: dict[str, str]) -> None:
        self.exact = mapping
        self.folded = {_fold(k): v for k, v in mapping.items()}
        self.choices = sorted(mapping)
        self._suggest: dict[str, str | None] = {}

    def get(self, key: str) -> str | None:
        return self.exact.get(key) or self.folded.get(_fold(key))

    def suggest(self, key: str) -> str | None:
        if key not in self._suggest:
            hit = process.extractOne(key, self.choices, scorer=fuzz.WRatio, score_cutoff=60)
            self._suggest[key] = hit[0] if hit else None
        return self._suggest[key]


def _fold(text: str) -> str:
    t = normalise_text(text)
    return t.replace("（", "(").replace("）", ")").replace("【", "[").replace("】", "]")


_UNIT_SUFFIX = re.compile(r"^(.*\S)\s*[(（\[【]\s*([^()（）\[\]【】]+?)\s*[)）\]】]\s*$")


def _resolve_indicator(text: str, names: _Names) -> tuple[str | None, str | None]:
    """Indicator name (and a unit written into the header as ``name (unit)``)."""
    found = names.get(text)
    if found:
        return found, None
    m = _UNIT_SUFFIX.match(text)
    if m:
        found = names.get(m.group(1))
        if found:
            return found, m.group(2)
    return None, None


def _resolve_region(text: str, names: _Names) -> str | None:
    found = names.get(text)
    if found is None:
        try:
            f = float(text)
            if f.is_integer():
                found = names.get(str(int(f)))
        except ValueError:
            pass
    return found


@dataclass
class _Good:
    row: ObservationRow
    spec: IndicatorSpec
    region: str
    year: int
    value: float
    percent_sign: bool


def validate_observation_rows(
    rows: list[ObservationRow], context: ValidationContext
) -> tuple[list[Observation], ValidationReport]:
    """Interpret rows against the plan; the caller imports only when ``report.ok``."""
    report = ValidationReport()
    by_name: dict[str, str] = {}
    for spec in context.indicators.values():
        by_name[spec.name] = spec.name
        for alias in spec.aliases:
            by_name.setdefault(alias, spec.name)
    specs = {spec.name: spec for spec in context.indicators.values()}
    indicators = _Names(by_name)
    regions = _Names(dict(context.regions))
    first, last = context.years
    converted: dict[tuple[str, str], list[int]] = {}
    good: list[_Good] = []

    for r in rows:
        errors_before = len(report.errors)
        name, header_unit = _resolve_indicator(r.indicator or "", indicators)
        if not (r.indicator or "").strip():
            report.error(r.row, "indicator", f"{r.at}no indicator given")
        elif name is None:
            hint = indicators.suggest(r.indicator)
            tail = f"; did you mean {hint!r}?" if hint else ""
            report.error(r.row, "indicator", f"{r.at}unknown indicator {r.indicator!r}{tail}")
        region = _resolve_region(str(r.region).strip(), regions) if str(r.region).strip() else None
        if not str(r.region).strip():
            report.error(r.row, "region", f"{r.at}no region given")
        elif region is None:
            hint = regions.suggest(str(r.region))
            tail = f"; did you mean {hint!r}?" if hint else ""
            report.error(r.row, "region", f"{r.at}unknown region {r.region!r}{tail}")
        year = parse_year(r.year)
        if year is None:
            report.error(r.row, "year", f"{r.at}{r.year!r} is not a year")
        elif not first <= year <= last:
            report.error(r.row, "year", f"{r.at}year {year} is outside the plan ({first}–{last})")
        number = parse_number(r.value)
        if number.error:
            report.error(r.row, "value", f"{r.at}{number.error}")
        elif number.placeholder:
            report.warn(r.row, "value", f"{r.at}{r.value!r} means no value; row skipped")
        if len(report.errors) > errors_before or number.value is None or name is None:
            continue
        assert region is not None and year is not None
        spec = specs[name]
        value = number.value
        if number.percent_sign and not spec.percent:
            report.error(r.row, "value", f"{r.at}{r.value!r} has a % sign but {name} is "
                                         f"measured in {spec.unit or 'no unit'}")
            continue
        unit = r.unit if normalise_unit(r.unit) else header_unit
        if number.percent_sign and normalise_unit(unit) is None:
            unit = "%"
        factor = unit_factor(unit, spec.unit)
        if factor is None:
            report.error(r.row, "unit", f"{r.at}unit {unit!r} does not match {name}'s unit "
                                        f"{spec.unit!r} and cannot be converted")
            continue
        if factor != 1.0:
            value *= factor
            converted.setdefault((name, str(normalise_unit(unit))), []).append(r.row)
        good.append(_Good(r, spec, region, year, value, number.percent_sign))

    for (name, unit), at in converted.items():
        report.warn(at[0], "unit", f"{name}: {len(at)} value(s) in {unit} converted to "
                                   f"{specs[name].unit} (first at row {at[0]})")
    shares = _check_shares(good, context, report)
    kept = _check_duplicates(good, report)
    _check_plausible(kept, shares, context, report)
    observations = [
        Observation(g.spec.name, g.region, g.year, g.value, unit=g.spec.unit,
                    source=_blank_none(g.row.source), note=_blank_none(g.row.note))
        for g in kept
    ]
    return observations, report


def _blank_none(text: str | None) -> str | None:
    return text.strip() or None if text is not None else None


def _check_shares(good: list[_Good], context: ValidationContext, report: ValidationReport) -> set[str]:
    """Percent indicators given as shares; returns their names."""
    per: dict[str, list[_Good]] = {}
    for g in good:
        if g.spec.percent and not g.percent_sign:
            per.setdefault(g.spec.name, []).append(g)
    flagged: set[str] = set()
    stored_max: dict[str, float] | None = None
    for name, items in per.items():
        values = [g.value for g in items]
        if max(values) > 1 or min(values) < 0 or not any(values):
            continue
        spec = items[0].spec
        if stored_max is None:  # built once, only when some indicator looks like shares
            stored_max = {}
            for (ind, _, _), v in context.existing.items():
                stored_max[ind] = max(v, stored_max.get(ind, v))
        reference = [stored_max[name]] if name in stored_max else []
        if spec.baseline is not None:
            reference.append(spec.baseline)
        upper = spec.bounds()[1]
        suspicious = max(reference) > 1 if reference else (upper is None or upper > 1)
        if suspicious:
            flagged.add(name)
            rows = sorted({g.row.row for g in items})
            report.error(rows[0], "value", f"{name}: all {len(items)} value(s) in the file are ≤ 1, "
                         f"a share where a percentage is meant (0.95 for 95 %); multiply by 100 "
                         f"(rows {rows[0]}–{rows[-1]})")
    return flagged


def _check_duplicates(good: list[_Good], report: ValidationReport) -> list[_Good]:
    seen: dict[tuple[str, str, int], _Good] = {}
    kept = []
    for g in good:
        key = (g.spec.name, g.region, g.year)
        first = seen.get(key)
        if first is None:
            seen[key] = g
            kept.append(g)
        elif math.isclose(first.value, g.value, rel_tol=1e-12, abs_tol=0.0):
            report.warn(g.row.row, "value", f"{g.row.at}repeats {first.row.where} "
                                            f"({g.spec.name}, {g.region}, {g.year}); ignored")
        else:
            report.error(g.row.row, "value", f"{g.row.at}{g.spec.name}, {g.region}, {g.year} = "
                         f"{g.value:g} conflicts with {first.row.where} = {first.value:g}")
    return kept


def _check_plausible(kept: list[_Good], shares: set[str], context: ValidationContext,
                     report: ValidationReport) -> None:
    in_file = {(g.spec.name, g.region, g.year): g.value for g in kept}
    for g in kept:
        if g.spec.name in shares:
            continue
        lower, upper = g.spec.bounds()
        if lower is not None and g.value < lower:
            report.warn(g.row.row, "value", f"{g.row.at}{g.spec.name} = {g.value:g} is below "
                                            f"the plausible minimum {lower:g}")
        if upper is not None and g.value > upper:
            report.warn(g.row.row, "value", f"{g.row.at}{g.spec.name} = {g.value:g} is above "
                                            f"the plausible maximum {upper:g}")
        name, region = g.spec.name, g.region
        neighbours = [(g.year - 1, in_file.get((name, region, g.year - 1),
                                               context.existing.get((name, region, g.year - 1))))]
        if (name, region, g.year + 1) not in in_file:  # a corrected past year meets the store
            neighbours.append((g.year + 1, context.existing.get((name, region, g.year + 1))))
        for year, other in neighbours:
            if _jump(other, g.value) >= context.max_jump:
                report.warn(g.row.row, "value", f"{g.row.at}{name} = {g.value:g} in {g.year} is "
                            f"{_jump(other, g.value):.1f}× the {year} value {other:g}; check the unit")


def _jump(a: float | None, b: float) -> float:
    """max/min of two same-signed non-zero values (0 when not comparable)."""
    if a is None or a == 0 or b == 0 or (a > 0) != (b > 0):
        return 0.0
    return max(abs(a), abs(b)) / min(abs(a), abs(b))
