"""How numbers and verdicts are written in a report: one place, shared by every renderer.

Numbers keep the precision a plan writes (at most ``digits`` decimals, trailing
zeros dropped), shares are percentages with one decimal, and codes become the
Chinese words of the evaluation method.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from minsheng.domain.evaluation import Grade, SdgProgress, Status
from minsheng.domain.indicators import Nature
from minsheng.domain.service_domains import DOMAINS_BY_CODE

#: Status colours (fill, text) — green, blue, amber, red, grey — used by every renderer.
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "achieved": ("D8EFD3", "1E5E1E"),
    "completed": ("D8EFD3", "1E5E1E"),
    "on_track": ("DCE9F7", "1D4E89"),
    "basically_completed": ("DCE9F7", "1D4E89"),
    "lagging": ("FCE9C8", "8A5300"),
    "regressing": ("F8D3D0", "9B1C1C"),
    "not_completed": ("F8D3D0", "9B1C1C"),
    "no_data": ("ECECEC", "555555"),
    "not_assessable": ("ECECEC", "555555"),
    "undetermined": ("ECECEC", "555555"),
}

#: Chart colours per status, in the order the stacked bars are drawn.
CHART_COLOURS: dict[str, str] = {
    "achieved": "#3a8d3a",
    "on_track": "#3d7cc9",
    "lagging": "#e0a030",
    "regressing": "#c8423b",
    "no_data": "#b0b0b0",
    "not_assessable": "#d8d8d8",
    "undetermined": "#c8c8c8",
}

#: A number as text finds it (the reason's numbers are found in its words by this).
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?%?")
#: Columns of an evaluation row whose values a reason may state (analytics.reasons templates).
REASON_FIELDS = (
    "value", "target", "baseline", "expected", "data_year", "y0", "yT", "year", "years_observed",
    "years_held", "total", "mean",
)  # fmt: skip

METHOD_ZH = {
    "planned_change": "进度比 ρ=(V−B)/(T−B)",
    "condition_only": "目标条件判断（T=B）",
    "cumulative_change": "五年累计变化量",
    "cumulative_share": "累计完成比 ρ=Σ/T",
    "annual_average": "年均值对比",
    "every_year": "逐年达标（应保尽保/清零）",
    "analyst_judgement": "人工研判",
    "not_assessable": "不可量化评估",
}


def number(value: float | int | None, digits: int = 2) -> str:
    """``12.50`` → ``"12.5"``; ``None``/NaN → ``"—"``; thousands separated."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def percent(share: float | None, digits: int = 1) -> str:
    """0.6 → ``"60%"``; 0.9394 → ``"93.9%"``."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "—"
    return f"{number(share * 100, digits)}%"


def unit_of(row: Mapping[str, Any]) -> str:
    """The indicator's unit; "%" where the plan wrote the sign on its baseline or target cells
    instead of in a unit column (the national plan's rates), so 92.9 is not printed bare
    beside a target of >90%."""
    unit = (row.get("unit") or "").strip()
    if unit:
        return unit
    cells = (row.get("target_raw") or "", row.get("baseline_raw") or "")
    return "%" if any(c.strip().rstrip("*∗＊").endswith(("%", "％")) for c in cells) else ""


def status_zh(code: str | None) -> str:
    if code is None:
        return "—"
    try:
        return Status(code).label_zh
    except ValueError:
        return code


def grade_zh(code: str | None) -> str:
    if code is None:
        return "—"
    try:
        return Grade(code).label_zh
    except ValueError:
        return code


def sdg_zh(code: str | None) -> str:
    if code is None:
        return "—"
    try:
        return SdgProgress(code).label_zh
    except ValueError:
        return code


def nature_zh(code: str | None) -> str:
    if code is None:
        return "—"
    try:
        return Nature(code).label_zh
    except ValueError:
        return code


def domain_zh(code: str | None, label: str | None = None) -> str:
    """The nine domains' names; a plan's own label where its row maps to none."""
    if code in DOMAINS_BY_CODE:
        return DOMAINS_BY_CODE[code].name_zh
    return label or "其他"


#: The measured figures of a reason (not years or counts), re-rounded as the report writes them.
ROUNDED_FIELDS = ("value", "target", "baseline", "expected", "total", "mean")


def reason_zh(row: Mapping[str, Any]) -> str | None:
    """The evaluation's own reason in Chinese (``reason_zh``, worded in analytics beside the
    English ``reason``), None where the status needs none.

    The evaluation writes figures with six significant digits; the report states the same
    figures as its tables do (``number``), so a sentence does not say 2.29 and then 2.2863.
    """
    text = row.get("reason_zh") or None
    if text is None:
        return None
    figures = {significant(row[k]) for k in ROUNDED_FIELDS if isinstance(row.get(k), int | float)}
    rounded: dict[str, set[str]] = {}
    for exact in figures:
        rounded.setdefault(number(float(exact)), set()).add(exact)
    shown = {  # a figure keeps its digits where rounding would make it equal another (95 < 95)
        exact: short
        for short, exacts in rounded.items()
        for exact in exacts
        if len(exacts) == 1 and "." in exact
    }
    return NUMBER.sub(lambda m: shown.get(m.group(0), m.group(0)), text)


def significant(value: float) -> str:
    """A number as the evaluation's reasons write it: six significant digits, no trailing ``.0``."""
    text = repr(float(f"{float(value):.6g}"))
    return text.removesuffix(".0")


def reason_numbers(row: Mapping[str, Any], reason: str) -> dict[str, float]:
    """The row's figures that its reason states, keyed by column (a paragraph's ``numbers``),
    plus ``y0+1``, the first year of the period, where a "no value in …" reason names it."""
    said = set(NUMBER.findall(reason))
    nums = {
        k: float(row[k])
        for k in REASON_FIELDS
        if isinstance(row.get(k), int | float)
        and (significant(row[k]) in said or number(row[k]) in said)
    }
    if isinstance(row.get("y0"), int) and str(row["y0"] + 1) in said:
        nums["y0+1"] = row["y0"] + 1
    return nums


def method_zh(method: str | None) -> str:
    return METHOD_ZH.get(method or "", method or "—")


def cell(value: object, kind: str = "text", digits: int = 2) -> str:
    """A table cell as text, by its column's kind (the renderers' one formatter)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if kind == "number" and isinstance(value, int | float):
        return number(value, digits)
    if kind == "percent" and isinstance(value, int | float):
        return percent(float(value), digits)
    if kind == "year" and isinstance(value, int | float):
        return str(int(value))
    return str(value)


#: A verdict's Chinese label → its code, so a status cell is coloured by what it says.
LABEL_CODES: dict[str, str] = {
    **{s.label_zh: s.value for s in Status},
    **{g.label_zh: g.value for g in Grade},
    # a service standard against the national one (reports.build_standards)
    "低于国家标准": "regressing",
    "与国家标准持平": "achieved",
    "高于国家标准": "on_track",
}


def colours_of(label: object) -> tuple[str, str] | None:
    """(fill, ink) of a status or grade cell, None for anything else."""
    code = LABEL_CODES.get(str(label)) if label is not None else None
    return STATUS_COLOURS.get(code) if code else None
