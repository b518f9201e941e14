"""A draft out to files: the Word table plans print, plan JSON, and a workbook that imports back.

The Word table has the layout of the plans themselves — 序号, 指标, 单位, base
year, target year, 属性; a category row across the table for each domain; a 注
line explaining 【】 — so that the project's own document reader reads it back
row for row. The workbook carries the same columns plus 确认 (the analyst
writes 是 when a target is agreed), the rule and its sentence, and the evidence;
a 说明 sheet records the region, the plan it was drafted from and the higher
plan, which :func:`minsheng.services.target_plans.import_draft` reads back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from minsheng.analytics.draft_rows import RULE_ZH, TABLE_NOTES
from minsheng.domain.errors import InvalidData
from minsheng.domain.five_year_plans import five_year_name
from minsheng.services.drafting import Draft

EXPORT_SUFFIXES = (".docx", ".xlsx", ".json")

#: Evidence columns of the workbook: (header, field, percent-rate?)
_EVIDENCE = (
    ("2025年评估等级", "grade", False),
    ("线性趋势2030", "linear", False),
    ("复合增速2030", "compound", False),
    ("历史年均增速", "historical_rate", True),
    ("所需年均增速", "required_rate", True),
    ("雄心检查", "ambition", False),
    ("同级地区数", "peer_count", False),
    ("同级中位数", "peer_median", False),
    ("同级前25%", "peer_best_quartile", False),
    ("本地区百分位", "percentile", False),
    ("上级目标", "higher_target", False),
    ("上级属性", "higher_nature", False),
    ("距上限", "headroom", False),
)
_GRADES = {"completed": "完成", "basically_completed": "基本完成", "not_completed": "未完成"}
_AMBITION = {"above_history": "快于历史（可能过度承诺）", "below_history": "慢于历史（可能偏保守）"}


def export_draft(draft: Draft, path: str | Path) -> Path:
    """Write the draft as .docx, .xlsx or .json (by the file's suffix)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".docx":
        write_docx(draft, p)
    elif suffix == ".xlsx":
        write_xlsx(draft, p)
    elif suffix == ".json":
        p.write_text(
            json.dumps(draft.to_dict(), ensure_ascii=False, indent=2, default=str), encoding="utf-8"
        )
    else:
        raise InvalidData(f"{p.name}: export to {', '.join(EXPORT_SUFFIXES)}")
    return p


def _years(draft: Draft) -> tuple[str, str]:
    return f"{draft.plan.baseline_year}年", f"{draft.plan.target_year}年"


@dataclass(frozen=True)
class DraftSheet:
    """What the printed draft says, laid out by the Word and the PDF writers alike.

    ``rows`` holds, in order, a domain's name alone (a category row across the table)
    or the six cells of an indicator row. ``note`` is the table's 注 line (what its 【】
    and * markers mean); ``data_note`` says how many baselines are synthetic — a
    paragraph of its own, since the 注 line is the table's and is read back with it.
    """

    title: str
    caption: str
    header: tuple[str, ...]
    rows: list[str | tuple[str, ...]]
    note: str | None
    data_note: str | None


def draft_sheet(draft: Draft) -> DraftSheet:
    """The printed draft's content, once for every layout."""
    plan = draft.plan
    meta = plan.metadata
    name = five_year_name(meta.period_start, meta.period_end)
    span = f"“{name}”时期" if name else f"{meta.period_start or ''}—{plan.target_year}年"
    base, target = _years(draft)
    rows: list[str | tuple[str, ...]] = []
    domain: str | None = None
    for ind in plan.indicators:
        if ind.domain and ind.domain != domain:
            rows.append(ind.domain)
            domain = ind.domain
        rows.append(
            (
                str(ind.seq or ""),
                ind.name,
                ind.unit or "",
                ind.baseline_raw or "—",
                ind.target_raw or "—",
                ind.nature.label_zh if ind.nature else "",
            )
        )
    used = [n for n in TABLE_NOTES if any(ind.notes == n for ind in plan.indicators)]
    # one note as plans write one; two numbered, as the reader splits them
    note = "".join(f"{k}.{n}" for k, n in enumerate(used, 1)) if len(used) > 1 else "".join(used)
    return DraftSheet(
        title=meta.title or "",
        caption=f"专栏1 {span}主要指标",
        header=("序号", "指标", "单位", base, target, "属性"),
        rows=rows,
        note=f"注：{note}" if note else None,
        data_note=(
            f"数据说明：{base}栏有{draft.synthetic_baselines}项为演示用合成数据，不是统计数据。"
            if draft.synthetic_baselines
            else None
        ),
    )


def write_docx(draft: Draft, path: Path) -> None:
    import docx

    sheet = draft_sheet(draft)
    document = docx.Document()
    document.add_heading(sheet.title, level=0)
    document.add_paragraph(sheet.caption)
    table = document.add_table(rows=1, cols=len(sheet.header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, sheet.header, strict=True):
        cell.text = text
    for row in sheet.rows:
        cells = table.add_row().cells
        if isinstance(row, str):
            cells[0].merge(cells[-1]).text = row
            continue
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    for paragraph in (sheet.note, sheet.data_note):
        if paragraph:
            document.add_paragraph(paragraph)
    document.save(str(path))


def write_xlsx(draft: Draft, path: Path) -> None:
    import openpyxl
    from openpyxl.styles import Font

    plan = draft.plan
    rows = {r["indicator"]: r for r in draft.table.iter_rows(named=True)}
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "指标"
    base, target = _years(draft)
    header = ["序号", "类别", "指标", "单位", base, target, "属性", "备注", "确认", "规则", "依据"]
    header += [h for h, _, _ in _EVIDENCE]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for ind in plan.indicators:
        r = rows.get(ind.name, {})
        line: list[object] = [
            ind.seq, ind.domain, ind.name, ind.unit, ind.baseline_raw, ind.target_raw,
            ind.nature.label_zh if ind.nature else None, ind.notes, "否",
            RULE_ZH.get(r.get("rule_used") or "", r.get("rule_used")), r.get("explanation"),
        ]  # fmt: skip
        for _, key, rate in _EVIDENCE:
            value = r.get(key)
            if key == "grade":
                value = _GRADES.get(value or "", value)
            elif key == "ambition":
                value = _AMBITION.get(value or "", value)
            elif rate and value is not None:
                value = f"{value * 100:.2f}%"
            elif isinstance(value, float):
                value = round(value, 4)
            line.append(value)
        ws.append(line)
    ws.freeze_panes = "D2"
    for column, width in zip("ABCDEFGHIJK", (6, 18, 36, 10, 12, 12, 8, 16, 6, 8, 60), strict=True):
        ws.column_dimensions[column].width = width
    meta = book.create_sheet("说明")
    meta.append(["标题", plan.metadata.title])
    meta.append(["地区代码", plan.metadata.region_code])
    meta.append(["地区", plan.metadata.region_name])
    meta.append(["原规划", str(draft.source_plan_id)])
    meta.append(["上级规划", str(draft.higher_plan_id) if draft.higher_plan_id else None])
    meta.append(["来源", plan.source])
    meta.append([])
    meta.append(
        [
            "填写说明",
            "修改“指标”表中的目标值后，在“确认”列填“是”，再用 minsheng draft import 文件.xlsx 导入。",
        ]
    )
    # a yearly average is a number with a marker and a 备注: edited without the marker it reads
    # as a level, so the sheet says to keep both (as a 【】 total keeps its brackets)
    meta.append(["", "带【】的为五年累计数、带*的为五年年均数：改数值时请保留【】或*及“备注”。"])
    book.save(str(path))
