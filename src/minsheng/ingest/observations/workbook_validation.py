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
* impossible values are errors: outside what the indicator's kind allows
  (:func:`minsheng.domain.indicators.value_range` — a negative count or rate, a share of a
  whole over 100 %; only a change such as 增长/下降 may be negative), for catalogue and
  plan-only indicators alike;
* implausible values are warnings, never refusals: outside the catalogue's bounds
  or a jump of ``max_jump``× or more against the previous year (from the same file,
  else from the store).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from minsheng.domain.errors import InvalidData, NotFound, ValidationReport
from minsheng.domain.indicators import value_range
from minsheng.domain.observations import Observation
from minsheng.ingest.observations.cells import ParsedNumber, parse_number, parse_year
from minsheng.ingest.observations.wording import (
    NO_INDICATOR_ZH,
    NO_REGION_ZH,
    not_a_year_zh,
    placeholder_zh,
    region_unknown_zh,
)
from minsheng.names import RegionIndex, normalise_name
from minsheng.units import normalise_unit, unit_factor

__all__ = [
    "IndicatorSpec",
    "ObservationRow",
    "ParsedNumber",
    "ValidationContext",
    "normalise_text",
    "normalise_unit",
    "parse_number",
    "parse_year",
    "unit_factor",
    "validate_observation_rows",
]


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
    # the name column's text when a code column gave ``region``: the two must agree
    region_name: str | None = None

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
        """Message prefix adding what a Problem's row number does not say (sheet, cell): a
        long sheet's row is the Problem's own (第3行 年份：工作表 数据，第3行：… said it twice)."""
        if self.cell:
            return f"{self.where}: "
        return f"sheet {self.sheet}: " if self.sheet else ""

    @property
    def value_field(self) -> str:
        """The field a problem with the value names: in a wide sheet the indicator's column
        (its header is what the user sees over the cell), else the value column."""
        return self.indicator if self.cell else "value"

    @property
    def where_zh(self) -> str:
        """:attr:`where` in Chinese: ``工作表 2021，D5`` or ``第7行``."""
        parts = []
        if self.sheet:
            parts.append(f"工作表 {self.sheet}")
        parts.append(self.cell if self.cell else f"第{self.row}行")
        return "，".join(parts)

    @property
    def at_zh(self) -> str:
        """:attr:`at` in Chinese."""
        if self.cell:
            return f"{self.where_zh}："
        return f"工作表 {self.sheet}：" if self.sheet else ""


@dataclass
class IndicatorSpec:
    """What a plan expects of one indicator's values.

    ``lower``/``upper`` are plausible bounds (the catalogue's); when both are None the
    indicator's possible range (:meth:`limits`) stands in. ``baseline`` (the plan's 2020
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
    def for_unit(
        cls,
        name: str,
        unit: str | None,
        aliases: tuple[str, ...] = (),
        baseline: float | None = None,
    ) -> IndicatorSpec:
        """A spec whose ``percent`` flag follows from the unit."""
        return cls(name, unit, normalise_unit(unit) == "%", aliases=aliases, baseline=baseline)

    def bounds(self) -> tuple[float | None, float | None]:
        """Plausible (lower, upper), with the possible range when neither was set."""
        if self.lower is not None or self.upper is not None:
            return self.lower, self.upper
        return self.limits()

    def limits(self) -> tuple[float | None, float | None]:
        """The values the indicator can take at all, from its name and unit alone (the same
        rule for catalogue and plan-only indicators); a value outside is refused."""
        return value_range(self.name, percent=self.percent)


@dataclass
class ValidationContext:
    """Everything validation needs to know about the plan and the store."""

    indicators: dict[str, IndicatorSpec]
    regions: RegionIndex | dict[str, str]  # the region tree, or an explicit name → code mapping
    years: tuple[int, int]
    existing: dict[tuple[str, str, int], float] = field(default_factory=dict)
    max_jump: float = 10.0


def normalise_text(text: str) -> str:
    """Fold full-width forms, spacing, bracket style and Traditional script (:func:`normalise_name`)."""
    return normalise_name(text)


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
    return normalise_name(text)


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


def _resolve_region(
    text: str, regions: RegionIndex | _Names, year: int | None, name: str | None = None
) -> tuple[str | None, str | None, str | None]:
    """(code, None, None) or (None, why not, why not in Chinese): the one region resolver,
    or an explicit mapping. ``name``: the row's region name beside its code, which must
    name the same region."""
    if isinstance(regions, RegionIndex):
        try:
            code = regions.resolve(text, year=year).code
        except (NotFound, InvalidData) as exc:
            return None, exc.message, exc.message_zh or region_unknown_zh(text)
        return (code, None, None) if name is None else region_pair(regions, code, name, year)
    found = regions.get(text)
    if found is None and re.fullmatch(r"\d+\.0", text):
        found = regions.get(text[:-2])
    if found is None:
        hint = regions.suggest(text)
        tail = f"; did you mean {hint!r}?" if hint else ""
        tail_zh = f"，是否应为“{hint}”？" if hint else ""
        return None, f"unknown region {text!r}{tail}", f"{region_unknown_zh(text)}{tail_zh}"
    return found, None, None


def region_pair(
    regions: RegionIndex, code: str, name: str, year: int | None
) -> tuple[str | None, str | None, str | None]:
    """``code`` when ``name`` names the same region, else why not: a row copied and its
    name changed but not its code would store its value under another region."""
    if regions.names(name, code, year):
        return code, None, None
    full = regions.full_name(code)
    return (
        None,
        f"region code {code} is {full}, but the region name says {name!r}: "
        "correct the code or the name",
        f"行政区划代码 {code} 是{full}，而地区名称写的是“{name}”：请更正代码或名称",
    )


@dataclass
class _Good:
    row: ObservationRow
    spec: IndicatorSpec
    region: str
    year: int
    value: float
    percent_sign: bool
    bound: str | None = None


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
    regions = (
        context.regions
        if isinstance(context.regions, RegionIndex)
        else _Names(dict(context.regions))
    )
    first, last = context.years
    converted: dict[tuple[str, str], list[ObservationRow]] = {}
    good: list[_Good] = []

    for r in rows:
        errors_before = len(report.errors)
        name, header_unit = _resolve_indicator(r.indicator or "", indicators)
        if not (r.indicator or "").strip():
            report.error(
                r.row,
                "indicator",
                f"{r.at}no indicator given",
                zh=f"{r.at_zh}{NO_INDICATOR_ZH}",
                sheet=r.sheet,
            )
        elif name is None:
            hint = indicators.suggest(r.indicator)
            tail = f"; did you mean {hint!r}?" if hint else ""
            tail_zh = f"，是否应为“{hint}”？" if hint else "，请使用模板中的指标名称"
            report.error(
                r.row,
                "indicator",
                f"{r.at}unknown indicator {r.indicator!r}{tail}",
                zh=f"{r.at_zh}“{r.indicator}”不是本规划的指标{tail_zh}",
                sheet=r.sheet,
            )
        year = parse_year(r.year)
        region_text = str(r.region).strip()
        region, why, why_zh = (
            _resolve_region(region_text, regions, year, r.region_name)
            if region_text
            else (None, None, None)
        )
        if not region_text:
            report.error(
                r.row,
                "region",
                f"{r.at}no region given",
                zh=f"{r.at_zh}{NO_REGION_ZH}",
                sheet=r.sheet,
            )
        elif region is None:
            report.error(r.row, "region", f"{r.at}{why}", zh=f"{r.at_zh}{why_zh}", sheet=r.sheet)
        if year is None:
            report.error(
                r.row,
                "year",
                f"{r.at}{r.year!r} is not a year",
                zh=f"{r.at_zh}{not_a_year_zh(r.year)}",
                sheet=r.sheet,
            )
        elif not first <= year <= last:
            report.error(
                r.row,
                "year",
                f"{r.at}year {year} is outside the plan ({first}–{last})",
                zh=f"{r.at_zh}{year}年不在本规划的年份范围（{first}—{last}年）内",
                sheet=r.sheet,
            )
        number = parse_number(r.value)
        if number.error:
            report.error(
                r.row,
                r.value_field,
                f"{r.at}{number.error}",
                zh=f"{r.at_zh}{number.error_zh}",
                sheet=r.sheet,
            )
        elif number.placeholder:
            report.warn(
                r.row,
                r.value_field,
                f"{r.at}{r.value!r} means no value; row skipped",
                zh=f"{r.at_zh}{placeholder_zh(r.value)}",
                sheet=r.sheet,
            )
        if len(report.errors) > errors_before or number.value is None or name is None:
            continue
        assert region is not None and year is not None
        spec = specs[name]
        value = number.value
        if number.percent_sign and not spec.percent:
            report.error(
                r.row,
                r.value_field,
                f"{r.at}{r.value!r} has a % sign but {name} is "
                f"measured in {spec.unit or 'no unit'}",
                zh=f"{r.at_zh}“{r.value}”带有百分号，但“{name}”的单位是"
                f"{f'“{spec.unit}”' if spec.unit else '无单位'}，请去掉百分号并按该单位填写",
                sheet=r.sheet,
            )
            continue
        unit = r.unit if normalise_unit(r.unit) else header_unit
        if number.percent_sign and normalise_unit(unit) is None:
            unit = "%"
        factor = unit_factor(unit, spec.unit)
        if factor is None:
            report.error(
                r.row,
                "unit",
                f"{r.at}unit {unit!r} does not match {name}'s unit "
                f"{spec.unit!r} and cannot be converted",
                zh=f"{r.at_zh}单位“{unit}”与指标“{name}”的单位“{spec.unit or ''}”不符，"
                "且无法换算，请按模板所列单位填写",
                sheet=r.sheet,
            )
            continue
        if factor != 1.0:
            value *= factor
            converted.setdefault((name, str(normalise_unit(unit))), []).append(r)
        good.append(_Good(r, spec, region, year, value, number.percent_sign, number.bound))

    for (name, unit), at in converted.items():
        report.warn(
            at[0].row,
            "unit",
            f"{name}: {len(at)} value(s) in {unit} converted to "
            f"{specs[name].unit} (first at row {at[0].row})",
            zh=f"{name}：{len(at)} 个以“{unit}”填写的数值已换算为“{specs[name].unit}”"
            f"（第一个在第{at[0].row}行），请核对",
            sheet=at[0].sheet,
        )
    shares = _check_shares(good, context, report)
    kept = _check_duplicates(good, report)
    _check_plausible(kept, shares, context, report)
    report.in_reading_order([r.sheet for r in rows])
    observations = [
        Observation(
            g.spec.name,
            g.region,
            g.year,
            g.value,
            unit=g.spec.unit,
            source=_blank_none(g.row.source),
            note=_blank_none(g.row.note),
            bound=g.bound,
        )
        for g in kept
    ]
    return observations, report


def _blank_none(text: str | None) -> str | None:
    return text.strip() or None if text is not None else None


def _check_shares(
    good: list[_Good], context: ValidationContext, report: ValidationReport
) -> set[str]:
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
            lowest = next(g.row for g in items if g.row.row == rows[0])
            report.error(
                rows[0],
                items[0].row.value_field,
                f"{name}: all {len(items)} value(s) in the file are ≤ 1, "
                f"a share where a percentage is meant (0.95 for 95 %); multiply by 100 "
                f"(rows {rows[0]}–{rows[-1]})",
                zh=f"{name}：文件中全部 {len(items)} 个数值都不大于 1，像是把百分比填成了小数"
                f"（95% 填成了 0.95），请乘以 100 后填写（第{rows[0]}—{rows[-1]}行）",
                sheet=lowest.sheet,
            )
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
        elif first.bound == g.bound and math.isclose(
            first.value, g.value, rel_tol=1e-12, abs_tol=0.0
        ):
            report.warn(
                g.row.row,
                g.row.value_field,
                f"{g.row.at}repeats {first.row.where} "
                f"({g.spec.name}, {g.region}, {g.year}); ignored",
                zh=f"{g.row.at_zh}与{first.row.where_zh}重复"
                f"（{g.spec.name}，{g.region}，{g.year}年），本行不再导入",
                sheet=g.row.sheet,
            )
        else:
            report.error(
                g.row.row,
                g.row.value_field,
                f"{g.row.at}{g.spec.name}, {g.region}, {g.year} = "
                f"{g.bound or ''}{g.value:g} conflicts with {first.row.where} = "
                f"{first.bound or ''}{first.value:g}",
                zh=f"{g.row.at_zh}{g.spec.name}（{g.region}，{g.year}年）= "
                f"{g.bound or ''}{g.value:g}，与{first.row.where_zh}的 "
                f"{first.bound or ''}{first.value:g} 不一致，请只保留正确的一行",
                sheet=g.row.sheet,
            )
    return kept


def _check_plausible(
    kept: list[_Good], shares: set[str], context: ValidationContext, report: ValidationReport
) -> None:
    in_file = {(g.spec.name, g.region, g.year): g.value for g in kept}
    for g in kept:
        if g.spec.name in shares or _impossible(g, report):
            continue
        lower, upper = g.spec.bounds()
        if lower is not None and g.value < lower:
            report.warn(
                g.row.row,
                g.row.value_field,
                f"{g.row.at}{g.spec.name} = {g.value:g} is below the plausible minimum {lower:g}",
                zh=f"{g.row.at_zh}{g.spec.name} = {g.value:g}，低于合理下限 {lower:g}，请核对",
                sheet=g.row.sheet,
            )
        if upper is not None and g.value > upper:
            report.warn(
                g.row.row,
                g.row.value_field,
                f"{g.row.at}{g.spec.name} = {g.value:g} is above the plausible maximum {upper:g}",
                zh=f"{g.row.at_zh}{g.spec.name} = {g.value:g}，高于合理上限 {upper:g}，请核对",
                sheet=g.row.sheet,
            )
        name, region = g.spec.name, g.region
        neighbours = [
            (
                g.year - 1,
                in_file.get(
                    (name, region, g.year - 1), context.existing.get((name, region, g.year - 1))
                ),
            )
        ]
        if (name, region, g.year + 1) not in in_file:  # a corrected past year meets the store
            neighbours.append((g.year + 1, context.existing.get((name, region, g.year + 1))))
        for year, other in neighbours:
            if _jump(other, g.value) >= context.max_jump:
                report.warn(
                    g.row.row,
                    g.row.value_field,
                    f"{g.row.at}{name} = {g.value:g} in {g.year} is "
                    f"{_jump(other, g.value):.1f}× the {year} value {other:g}; check the unit",
                    zh=f"{g.row.at_zh}{name} {g.year}年为 {g.value:g}，是{year}年数值 {other:g} "
                    f"的 {_jump(other, g.value):.1f} 倍，请核对单位",
                    sheet=g.row.sheet,
                )


def _impossible(g: _Good, report: ValidationReport) -> bool:
    """An error for a value the indicator's kind cannot take (:meth:`IndicatorSpec.limits`)."""
    lower, upper = g.spec.limits()
    name, at, at_zh, value = g.spec.name, g.row.at, g.row.at_zh, g.value
    if lower is not None and value < lower:
        report.error(
            g.row.row,
            g.row.value_field,
            f"{at}{name} = {value:g} cannot be negative: only a change (增长, 增速, 下降…) "
            "can be; check the sign",
            zh=f"{at_zh}“{name}”= {value:g}，不能为负数（只有增长、增速、下降等变化量可以为负），"
            "请核对正负号",
            sheet=g.row.sheet,
        )
        return True
    if upper is not None and value > upper:
        report.error(
            g.row.row,
            g.row.value_field,
            f"{at}{name} = {value:g} is a share of a whole and cannot exceed {upper:g} %",
            zh=f"{at_zh}“{name}”= {value:g}，是占总体的比例，不能超过 {upper:g}%，请核对",
            sheet=g.row.sheet,
        )
        return True
    return False


def _jump(a: float | None, b: float) -> float:
    """max/min of two same-signed non-zero values (0 when not comparable)."""
    if a is None or a == 0 or b == 0 or (a > 0) != (b > 0):
        return 0.0
    return max(abs(a), abs(b)) / min(abs(a), abs(b))
