"""Report model → Excel: the indicator table and, on a second sheet, the calculation records.

Values stay numbers (with number formats), ρ a percentage, statuses coloured;
the header row is frozen so an analyst can sort and filter the figures directly.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

from minsheng.reports.formatting import colours_of
from minsheng.reports.model import Column, Report, Table

INDICATOR_SHEET = "指标完成情况"
RECORD_SHEET = "计算记录"
SOURCE_SHEET = "数据来源"


def _format(column: Column) -> str:
    if column.kind == "percent":
        return "0.0%"
    if column.kind == "year":
        return "0"
    if column.kind == "number":
        return "#,##0" if column.digits == 0 else "#,##0." + "0" * column.digits
    return "@"


def _sheet(ws: Any, table: Table, leading: list[tuple[str, list[Any]]] | None = None) -> None:
    """One table on a sheet: bold shaded header, frozen, filtered, widths to fit."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    lead = leading or []
    titles = [t for t, _ in lead] + [c.title for c in table.columns]
    ws.append(titles)
    header_fill = PatternFill("solid", fgColor="E8EDF3")
    for c in ws[1]:
        c.font = Font(bold=True)
        c.fill = header_fill
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(table.rows):
        ws.append([values[r] for _, values in lead] + list(row))
        for i, column in enumerate(table.columns, start=len(lead) + 1):
            target = ws.cell(row=r + 2, column=i)
            if column.kind in ("number", "percent", "year") and isinstance(
                target.value, int | float
            ):
                target.number_format = _format(column)
            colours = colours_of(target.value) if column.kind == "status" else None
            if colours:
                fill, ink = colours
                target.fill = PatternFill("solid", fgColor=fill)
                target.font = Font(color=ink)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for i, title in enumerate(titles, start=1):
        width = max([len(str(title)) * 2] + [
            min(40, len(str(ws.cell(row=r, column=i).value or "")) * 1.6)
            for r in range(2, min(ws.max_row, 200) + 1)
        ])  # fmt: skip
        ws.column_dimensions[get_column_letter(i)].width = max(8, min(48, width))


def render_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = INDICATOR_SHEET
    tables = report.tables("indicators")
    columns = tables[0].columns
    domains = [t.caption.split("　", 1)[-1].removesuffix("领域指标完成情况") for t in tables]
    merged = Table(
        INDICATOR_SHEET,
        columns,
        [row for t in tables for row in t.rows],
        status_keys=[k for t in tables for k in t.status_keys],
    )
    _sheet(
        ws, merged, [("领域", [d for d, t in zip(domains, tables, strict=True) for _ in t.rows])]
    )
    _sheet(wb.create_sheet(RECORD_SHEET), report.records)
    for table in report.tables("sources"):
        _sheet(wb.create_sheet(SOURCE_SHEET), table)
    wb.properties.title = report.title
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def write_xlsx(report: Report, out: Path) -> Path:
    out.write_bytes(render_xlsx(report))
    return out
