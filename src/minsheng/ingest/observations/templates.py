"""Fill-in templates for observations: everything but the values pre-filled.

:func:`minsheng.ingest.observations.workbooks.read_observation_rows` reads them back
unchanged (long CSV, or an XLSX workbook in the long or the wide layout).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from minsheng.domain.errors import InvalidData
from minsheng.ingest.observations.workbook_validation import IndicatorSpec

UNIT_LABEL = "单位 / unit"


#: Column role (a Problem's ``field``) → the template's header, Chinese / English. The one naming
#: of these columns: the template writes it, refusals and pages name a column by it.
COLUMN_HEADERS: dict[str, str] = {
    "indicator": "指标 / indicator",
    "unit": "单位 / unit",
    "region_code": "行政区划代码 / region code",
    "region": "地区 / region",
    "year": "年份 / year",
    "value": "数值 / value",
    "source": "来源 / source",
    "note": "备注 / note",
}
_LONG_HEADERS = tuple(COLUMN_HEADERS.values())
_CSV_HEADERS = ("indicator", "unit", "region_code", "region", "year", "value", "source", "note")
_README = (
    "填写说明",
    "1. 只在“数值”格中填写数字，不要改动指标名称、单位、地区和年份。",
    "2. 数值按所列单位填写；百分比指标填 95 或 95%，不要填 0.95。",
    "3. 没有数据的格子留空即可；不要填 0 代替缺失。",
    "4. 来源、备注两列可选，如填写请写明统计公报或部门名称。",
    "5. 宽表：每个年份一个工作表，每行一个地区，每列一个指标（第 2 行为单位）。",
    "How to fill in",
    "1. Type numbers into the value cells only; leave indicator names, units, regions and years as they are.",
    "2. Use the unit shown; for a percentage write 95 or 95%, not 0.95.",
    "3. Leave a cell empty when there is no figure; do not write 0 for a missing value.",
    "4. Source and note are optional; name the bulletin or department when you give one.",
    "5. Wide layout: one sheet per year, one row per region, one column per indicator (units in row 2).",
)


def write_template(
    path: Path,
    title: str,
    indicators: list[IndicatorSpec],
    regions: list[tuple[str, str]],
    years: list[int],
    layout: str = "wide",
) -> Path:
    """Write a fill-in workbook (or a long CSV when ``path`` ends in .csv).

    Everything but the values is pre-filled so that what comes back names indicators,
    units, regions and years exactly as the plan does; :func:`read_observation_rows`
    reads it back unchanged.
    """
    path = Path(path)
    if layout not in {"wide", "long"}:
        raise InvalidData(f"unknown template layout {layout!r}; use 'wide' or 'long'")
    long_rows = [
        (spec.name, spec.unit or "", code, name, year)
        for year in years
        for spec in indicators
        for code, name in regions
    ]
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(_CSV_HEADERS)
            writer.writerows([*r, "", "", ""] for r in long_rows)
        return path
    if path.suffix.lower() != ".xlsx":
        raise InvalidData(f"{path.name}: a template is written as .xlsx or .csv")

    from openpyxl import Workbook

    book = Workbook()
    readme = book.active
    readme.title = "说明 README"
    readme.append([title])
    readme["A1"].font = _bold(14)
    readme.append(
        [
            f"年份 / years: {', '.join(map(str, years))}; "
            f"指标 / indicators: {len(indicators)}; 地区 / regions: {len(regions)}"
        ]
    )
    for line in _README:
        readme.append([line])
    readme.column_dimensions["A"].width = 110
    if layout == "long":
        ws = book.create_sheet("数据 data")
        ws.append(_LONG_HEADERS)
        for r in long_rows:
            ws.append(list(r))
        _style_header(ws, 1, len(_LONG_HEADERS))
        ws.freeze_panes = "A2"
        for letter, width in zip("ABCDEFGH", (36, 10, 16, 20, 10, 14, 24, 24), strict=True):
            ws.column_dimensions[letter].width = width
        _decimal_validation(ws, f"F2:F{max(2, len(long_rows) + 1)}")
    else:
        for year in years:
            _wide_sheet(book.create_sheet(str(year)), indicators, regions)
    book.save(path)
    return path


def _wide_sheet(ws: Any, indicators: list[IndicatorSpec], regions: list[tuple[str, str]]) -> None:
    from openpyxl.utils import get_column_letter

    n = len(indicators)
    ws.append(
        [
            COLUMN_HEADERS["region_code"],
            COLUMN_HEADERS["region"],
            *(s.name for s in indicators),
            COLUMN_HEADERS["source"],
            COLUMN_HEADERS["note"],
        ]
    )
    ws.append([UNIT_LABEL, "", *(s.unit or "" for s in indicators)])
    for code, name in regions:
        ws.append([str(code), name])
    _style_header(ws, 2, n + 4)
    ws.freeze_panes = "C3"
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 20
    for i in range(n + 2):
        ws.column_dimensions[get_column_letter(i + 3)].width = 18
    for row in ws.iter_rows(min_row=3, max_col=1):
        row[0].number_format = "@"
    if n and regions:
        _decimal_validation(ws, f"C3:{get_column_letter(n + 2)}{len(regions) + 2}")


def _bold(size: int = 11) -> Any:
    from openpyxl.styles import Font

    return Font(bold=True, size=size)


def _style_header(ws: Any, rows: int, columns: int) -> None:
    from openpyxl.styles import Alignment, PatternFill

    fill = PatternFill("solid", fgColor="DDEBF7")
    for row in ws.iter_rows(min_row=1, max_row=rows, max_col=columns):
        for cell in row:
            cell.font = _bold()
            cell.fill = fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")


def _decimal_validation(ws: Any, ref: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(
        type="decimal",
        operator="between",
        formula1="-1000000000000000",
        formula2="1000000000000000",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="数值 / value",
        error="请填写数字 / please enter a number",
    )
    ws.add_data_validation(dv)
    dv.add(ref)
