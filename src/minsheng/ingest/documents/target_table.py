"""A plan's indicator table typed into a CSV or XLSX file, without a document.

A higher level's 2026–2030 targets are known long before a full plan is filed
(the national outline's main targets, a province's list sent down to counties),
and a drafting team edits its draft in a workbook. Both arrive as a table:

    序号, 类别, 指标, 单位, 2025年, 2030年, 属性, 备注, 来源, 确认

Only 指标 and at least one year column (``2030年``, ``2030``) are required; with
two year columns the earlier is the baseline and the later the target. Other
columns (the evidence a draft export adds beside each row) are ignored. A row
with nothing but a label is a category row (``一、幼有所育``) naming the domain
of the rows below it. An XLSX file may carry a sheet ``说明`` of key/value rows
(标题, 地区代码, 来源, 上级规划, 原规划) describing the plan.

Cells keep their raw text and are parsed with the target grammar, then given
the meaning their row's 备注 states: ``带*为五年年均数。`` for a ``1500*`` cell, or a
plain ``年均`` / ``五年平均`` beside ``>5`` (a yearly-average target, method §1),
as a document's notes and remarks are read. A nature that
is neither 约束性 nor 预期性 and a row without a name are refused with their row
numbers (header = row 1), all at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from minsheng.domain.errors import InvalidData, Problem
from minsheng.domain.indicators import Nature, PlanIndicator, infer_polarity
from minsheng.domain.targets import TargetKind, parse_target
from minsheng.ingest.documents.footnotes import apply_row_remark
from minsheng.ingest.spreadsheets import read_table

_ROLES = {
    "seq": r"序号|seq|no\.?",
    "domain": r"类别|领域|分类|类型|domain|category",
    "name": r"指标|指标名称|indicator|name",
    "unit": r"单位|unit",
    "nature": r"属性|指标属性|nature",
    "notes": r"备注|注|notes?",
    "source": r"来源|数据来源|出处|source",
    "confirmed": r"确认|已确认|confirmed",
}
_YEAR = re.compile(r"^((?:19|20)\d{2})\s*年?$")
_META_KEYS = {
    "标题": "title",
    "地区代码": "region",
    "地区": "region_name",
    "来源": "source",
    "上级规划": "higher_plan",
    "原规划": "from_plan",
}
_COMPARED = {TargetKind.ABOVE, TargetKind.AT_LEAST, TargetKind.BELOW, TargetKind.AT_MOST}
_YES = {"是", "已确认", "确认", "y", "yes", "true", "1", "√", "✓"}


@dataclass
class TargetTable:
    """What a target table says: rows, the period, sources, and which rows are confirmed."""

    indicators: list[PlanIndicator]
    baseline_year: int | None
    target_year: int
    sources: list[str] = field(default_factory=list)
    confirmed: list[bool | None] = field(default_factory=list)  # None: no 确认 column
    rows: list[int] = field(default_factory=list)  # the spreadsheet row of each indicator
    meta: dict[str, str] = field(default_factory=dict)


def _role(header: str) -> str | None:
    text = re.sub(r"\s+", "", header).lower()
    for role, pattern in _ROLES.items():
        if re.fullmatch(pattern, text):
            return role
    return None


def read_table_rows(path: Path) -> tuple[list[list[str]], dict[str, str]]:
    """Rows of cell texts (the first sheet that is not 说明) and the 说明 sheet's key/value pairs."""
    rows, notes = read_table(path)
    meta: dict[str, str] = {}
    for r in notes:
        if len(r) >= 2 and r[0].strip() in _META_KEYS and r[1].strip():
            meta[_META_KEYS[r[0].strip()]] = r[1].strip()
    return rows or [], meta


def read_target_table(path: str | Path) -> TargetTable:
    """Read a target table (CSV/XLSX) into plan rows; all-or-nothing."""
    p = Path(path)
    table, meta = read_table_rows(p)
    header_at = next((i for i, r in enumerate(table) if any(_role(c) == "name" for c in r)), None)
    if header_at is None:
        raise InvalidData(f"{p.name}: no header row with a 指标 column")
    header = table[header_at]
    roles: dict[str, int] = {}
    years: dict[int, int] = {}
    for j, text in enumerate(header):
        m = _YEAR.match(text.strip())
        if m:
            years[int(m.group(1))] = j
        elif (role := _role(text)) is not None and role not in roles:
            roles[role] = j
    if not years:
        raise InvalidData(
            f"{p.name}: no year column (e.g. 2030年) in the header row {header_at + 1}"
        )
    target_year = max(years)
    baseline_year = min(years) if len(years) > 1 else None
    get = lambda r, j: r[j].strip() if j is not None and j < len(r) else ""  # noqa: E731
    problems: list[Problem] = []
    out = TargetTable([], baseline_year, target_year, meta=meta)
    domain: str | None = None
    for i, r in enumerate(table[header_at + 1 :], start=header_at + 2):
        cells = [c.strip() for c in r]
        if not any(cells):
            continue
        name = get(r, roles.get("name"))
        base = get(r, years.get(baseline_year)) if baseline_year else ""
        target = get(r, years[target_year])
        filled = [c for c in cells if c]
        if len(filled) == 1 and not base and not target:  # a category row
            domain = filled[0]
            continue
        if not name:
            problems.append(
                Problem(
                    i,
                    "指标",
                    "a row with values but no indicator name",
                    message_zh="本行填有数值，但没有指标名称，请补上指标名称",
                )
            )
            continue
        nature_text = get(r, roles.get("nature"))
        nature = Nature.from_label(nature_text)
        if nature_text and nature is None:
            problems.append(
                Problem(
                    i,
                    "属性",
                    f"{nature_text!r} is neither 约束性 nor 预期性",
                    message_zh=f"“{nature_text}”既不是“约束性”也不是“预期性”，请填写其中之一",
                )
            )
        seq_text = get(r, roles.get("seq"))
        seq = int(float(seq_text)) if re.fullmatch(r"\d+(\.0+)?", seq_text) else None
        if seq_text and seq is None:
            problems.append(
                Problem(
                    i,
                    "序号",
                    f"{seq_text!r} is not a row number",
                    message_zh=f"“{seq_text}”不是序号，请填写整数",
                )
            )
        notes = get(r, roles.get("notes")) or None
        as_typed = parse_target(base or None), parse_target(target or None)
        baseline_t, target_t = apply_row_remark(*as_typed, notes, name)
        # ``<5.5`` read as a yearly average keeps the direction its comparator gave
        polarity = infer_polarity(*as_typed) if as_typed[1].kind in _COMPARED else None
        out.indicators.append(
            PlanIndicator(
                seq=seq,
                domain=get(r, roles.get("domain")) or domain,
                name=name,
                unit=get(r, roles.get("unit")) or None,
                baseline_raw=base or None,
                target_raw=target or None,
                nature=nature,
                notes=notes,
                baseline=baseline_t,
                target=target_t,
                baseline_year=baseline_year,
                target_year=target_year,
                polarity=polarity or infer_polarity(baseline_t, target_t),
            )
        )
        out.rows.append(i)
        source = get(r, roles.get("source"))
        if source and source not in out.sources:
            out.sources.append(source)
        confirmed = get(r, roles.get("confirmed"))
        out.confirmed.append(None if "confirmed" not in roles else confirmed.lower() in _YES)
    if problems:
        raise InvalidData(
            f"{p.name}: {len(problems)} row(s) refused",
            problems,
            message_zh=f"{p.name}：{len(problems)} 行有误，未导入",
        )
    if not out.indicators:
        raise InvalidData(f"{p.name}: no indicator rows under the header")
    return out
