"""Fill-in workbooks for observations: write a template, read it back.

Two layouts, both readable from CSV and XLSX:

* **long** — one value a row: columns indicator, region (code and/or name), year,
  value and optionally unit, source, note. Headers may be Chinese or English
  (``指标``/``indicator``, ``地区``/``行政区划代码``/``region``, ``年份``/``year``,
  ``数值``/``值``/``value``, ``单位``, ``来源``, ``备注``), or both separated by ``/``.
* **wide** — one sheet a year, named by the year: row 1 holds indicator names over
  region code and name columns, row 2 (labelled ``单位 / unit``) the units, then one
  row per region. Empty cells are simply not filled in.

Cells are kept as the text typed (a number formatted as a percentage in Excel reads
back as ``"96%"``); :mod:`minsheng.ingest.observations.workbook_validation` gives them meaning.
Row numbers are those a spreadsheet shows, the header being row 1.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from minsheng.domain import limits
from minsheng.domain.errors import InvalidData, NotFound, Problem
from minsheng.ingest.observations import merged
from minsheng.ingest.observations.exported import refuse_evaluation_json, refuse_evaluation_table
from minsheng.ingest.observations.templates import COLUMN_HEADERS, write_template
from minsheng.ingest.observations.workbook_validation import (
    IndicatorSpec,
    ObservationRow,
    ValidationContext,
    normalise_text,
    validate_observation_rows,
)
from minsheng.ingest.spreadsheets import (
    README_SHEET,
    Span,
    checked_csv_text,
    merged_spans,
    open_workbook,
    sheet_rows,
)

__all__ = [
    "IndicatorSpec",
    "ObservationRow",
    "ValidationContext",
    "read_observation_rows",
    "validate_observation_rows",
    "write_template",
]


log = logging.getLogger(__name__)

# Role → header spellings (compared after folding case, width and spaces).
_ROLES: dict[str, tuple[str, ...]] = {
    "indicator": ("指标", "指标名称", "indicator", "indicatorname", "indicator_name"),
    "region_code": (
        "行政区划代码",
        "区划代码",
        "地区代码",
        "代码",
        "code",
        "regioncode",
        "region_code",
        "adcode",
    ),
    "region": (
        "地区",
        "地区名称",
        "行政区",
        "行政区划",
        "区域",
        "region",
        "regionname",
        "region_name",
        "area",
    ),
    "year": ("年份", "年度", "年", "year"),
    "value": ("数值", "值", "数据", "取值", "value", "values"),
    "unit": ("单位", "计量单位", "unit", "units"),
    "source": ("来源", "数据来源", "source", "source_url", "sourceurl"),
    "note": ("备注", "说明", "注", "note", "notes", "remark", "remarks", "comment"),
}
_ALIAS = {normalise_text(a): role for role, aliases in _ROLES.items() for a in aliases}
_COLUMN_NAMES = COLUMN_HEADERS
_YEAR_SHEET = re.compile(r"\s*(\d{4})\s*年?\s*")
_HEADER_SCAN = 10


def header_role(text: Any) -> str | None:
    """The column role a header cell names, or None.

    >>> header_role("行政区划代码 / Region code")
    'region_code'
    >>> header_role("每千人口执业(助理)医师数") is None
    True
    """
    if text is None:
        return None
    raw = str(text)
    candidates = [[raw], re.split(r"[/|\n、]", raw), raw.split()]
    for parts in candidates:
        roles = {_ALIAS.get(normalise_text(p)) for p in parts if normalise_text(p)}
        if len(roles) == 1 and None not in roles:
            return roles.pop()
    return None


# --------------------------------------------------------------------------- reading


def read_observation_rows(path: Path, default_region: str | None = None) -> list[ObservationRow]:
    """Every filled-in value of a CSV or XLSX file, with its spreadsheet row number.

    This is the one way in for observation files: import, file-mode evaluation
    and the demo's statistics all read here, and give the cells meaning with
    :mod:`minsheng.ingest.observations.cells`. ``default_region``: the region of a
    long file without a region column (one region's statistics, such as a
    national bulletin series); without it such a file lacks a column.

    Raises InvalidData for an unsupported or unreadable file, a missing column,
    a row split by an unquoted thousands separator, or an evaluation table
    exported by minsheng; NotFound when the file does not exist.
    """
    path = Path(path)
    if not path.is_file():
        raise NotFound(f"{path}: no such file")
    limits.current().check_size(path.stat().st_size, path.name)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = _read_csv(path, default_region)
    elif suffix in {".xlsx", ".xlsm"}:
        rows = _read_xlsx(path, default_region)
    elif suffix == ".json":
        refuse_evaluation_json(path)
        raise InvalidData(f"{path.name}: observations come as .csv or .xlsx, not JSON")
    else:
        raise InvalidData(
            f"{path.name}: unsupported file type {suffix or '(none)'!r}; "
            "use .csv or .xlsx (save .xls files as .xlsx first)"
        )
    return rows


def no_values_found(file: str, problems: list | None = None) -> InvalidData:
    """The refusal every door gives a file without one value: "0 values" would read as success."""
    return InvalidData(
        f"{file}: no values found (an empty file or template, every value blank or a missing "
        "mark such as —, or a workbook of formulas saved without their results: open and "
        "save it in Excel or WPS first)",
        problems,
        message_zh=f"{file}：没有找到任何数值（文件或模板为空、数值全部空白或为“—”等缺失标记，"
        "或公式未保存计算结果：请先用 Excel 或 WPS 打开并保存）",
    )


def _read_csv(path: Path, default_region: str | None = None) -> list[ObservationRow]:
    text = checked_csv_text(path.read_bytes(), path.name)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t", key=first_line.count)  # the header decides; ties go to the comma
    try:
        records = [
            [c.strip() for c in rec]
            for rec in csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
        ]
    except csv.Error as exc:
        raise InvalidData(f"{path.name}: not a readable CSV file ({exc})") from exc
    rows = _rows_of_table(
        path.name, None, enumerate(records, start=1), must=True, default_region=default_region
    )
    assert rows is not None
    return rows


def _read_xlsx(path: Path, default_region: str | None = None) -> list[ObservationRow]:
    found: list[ObservationRow] = []
    data_sheets = 0
    with open_workbook(path) as book:
        try:
            for ws in book.worksheets:
                if README_SHEET.search(ws.title):
                    continue
                spans = merged_spans(ws)
                table = merged.spread(enumerate(sheet_rows(ws), start=1), spans)
                rows = _rows_of_table(path.name, ws.title, table, must=False,
                                      default_region=default_region, spans=spans)  # fmt: skip
                if rows is not None:
                    data_sheets += 1
                    found.extend(rows)
        except InvalidData:
            raise
        except Exception as exc:
            raise InvalidData(
                f"{path.name}: could not read the workbook ({type(exc).__name__}: {exc})"
            ) from exc
    if not data_sheets:
        raise InvalidData(
            f"{path.name}: no data sheet: expected a sheet with columns "
            "指标/indicator, 地区/region, 年份/year, 数值/value, or sheets named by year"
        )
    return found


def _bounded(name: str, table: Iterable[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    """The rows, refused once a row is wider, or the table larger, than the limits."""
    bound = limits.current()
    cells = 0
    for number, row in table:
        bound.check_columns(len(row), name, number)
        cells += len(row)
        bound.check_cells(cells, name)
        yield number, row


def _rows_of_table(
    file: str,
    sheet: str | None,
    table: Iterable[tuple[int, list[str]]],
    must: bool,
    default_region: str | None = None,
    spans: Sequence[Span] = (),
) -> list[ObservationRow] | None:
    """Rows of one sheet (long or wide); None when it is not a data sheet and need not be.

    ``spans``: the sheet's merged ranges (their text already spread, :mod:`.merged`): a
    header whose merged cells reach lower is read as one block down to its last row."""
    it = _bounded(f"{file}" + (f" [{sheet}]" if sheet else ""), table)
    head: list[tuple[int, list[str]]] = []
    header: tuple[int, list[str], dict[str, int]] | None = None
    year_sheet = _YEAR_SHEET.fullmatch(sheet or "")
    for number, cells in it:
        head.append((number, cells))
        refuse_evaluation_table(file, sheet, number, cells)
        roles = _roles_of(cells)
        if len(roles) >= 2 or "indicator" in roles or (year_sheet and _has_region(roles)):
            header = (number, cells, roles)
            break
        if len(head) >= _HEADER_SCAN:
            break
    if header is None:
        if not any(any(c for c in cells) for _, cells in head):
            return [] if must else None
        if must:
            _missing(file, sheet, head[0][0], {}, ("indicator", "region", "year", "value"))
        if year_sheet:
            _missing(file, sheet, head[0][0], {}, ("region",))
        return None
    number, cells, roles = header
    if merged.header_end(number, spans) > number:
        number, cells = merged.header_block(number, cells, spans, it)
        roles = _roles_of(cells)
    long = "indicator" in roles or "value" in roles or year_sheet is None
    meta = set(roles.values())
    values = (
        {roles["value"]: cells[roles["value"]]} if "value" in roles else {}
    ) if long else {i: h for i, h in enumerate(cells) if h and i not in meta}  # fmt: skip
    merged.refuse_merged_values(file, sheet, spans, number, values)
    if long or year_sheet is None:
        width = max((i for i, c in enumerate(cells) if c), default=-1) + 1
        return list(_long_rows(file, sheet, number, roles, it, default_region, width))
    return list(_wide_rows(file, sheet, year_sheet.group(1), number, cells, roles, it))


def _roles_of(cells: Sequence[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for i, c in enumerate(cells):
        role = header_role(c)
        if role and role not in roles:
            roles[role] = i
    return roles


def _has_region(roles: dict[str, int]) -> bool:
    return "region" in roles or "region_code" in roles


def _missing(
    file: str, sheet: str | None, row: int, roles: dict[str, int], required: Iterable[str]
) -> None:
    absent = [r for r in required if r not in roles and not (r == "region" and _has_region(roles))]
    if absent:
        where = f"{file}" + (f", sheet {sheet}" if sheet else "")
        where_zh = file + (f"，工作表 {sheet}" if sheet else "")
        names = ", ".join(_COLUMN_NAMES.get(a, a) for a in absent)
        raise InvalidData(
            f"{where}: missing column {names}",
            [
                Problem(
                    row,
                    a,
                    f"{where}: missing column {_COLUMN_NAMES.get(a, a)}",
                    message_zh=f"{where_zh}：缺少“{_COLUMN_NAMES.get(a, a)}”列，请按模板添加该列",
                    sheet=sheet,
                )
                for a in absent
            ],
            message_zh=f"{where_zh}：缺少列 {names}",
        )


def _get(cells: Sequence[str], roles: dict[str, int], role: str) -> str:
    i = roles.get(role)
    return cells[i] if i is not None and i < len(cells) else ""


def _region_of(cells: Sequence[str], roles: dict[str, int]) -> str:
    return _get(cells, roles, "region_code") or _get(cells, roles, "region")


def _name_beside_code(cells: Sequence[str], roles: dict[str, int]) -> str | None:
    """The region name when a code is given too: validation checks that both agree."""
    if _get(cells, roles, "region_code") and (name := _get(cells, roles, "region")):
        return name
    return None


def _opt(text: str) -> str | None:
    return text or None


def _long_rows(
    file: str,
    sheet: str | None,
    header_row: int,
    roles: dict[str, int],
    rest: Iterator[tuple[int, list[str]]],
    default_region: str | None = None,
    width: int = 0,
) -> Iterator[ObservationRow]:
    required: tuple[str, ...] = ("indicator", "region", "year", "value")
    if default_region is not None and not _has_region(roles):
        required = ("indicator", "year", "value")
    _missing(file, sheet, header_row, roles, required)
    split: list[Problem] = []
    for number, cells in rest:
        value = _get(cells, roles, "value")
        if sheet is None and any(cells[width:]):
            # more cells than the header names: an unquoted "1,234" split in two. Reading
            # the row by position would store 1.0, so the file is refused instead.
            split.append(
                Problem(
                    number,
                    "value",
                    f"row {number} has {len(cells)} cells but the "
                    f"header {width}: a number with an unquoted thousands separator "
                    '(1,234)? write 1234 or quote it ("1,234")',
                    message_zh=f"第{number}行有 {len(cells)} 格，而表头只有 {width} 列："
                    "可能是数字中的千分位逗号（1,234）把一格拆成了两格，"
                    '请写成 1234，或加引号（"1,234"）',
                )
            )
            continue
        if not value:
            continue  # not filled in (a pre-filled template row) or a blank line
        yield ObservationRow(
            row=number,
            sheet=sheet,
            indicator=_get(cells, roles, "indicator"),
            region=_region_of(cells, roles) or (default_region or ""),
            year=_get(cells, roles, "year"),
            value=value,
            unit=_opt(_get(cells, roles, "unit")),
            source=_opt(_get(cells, roles, "source")),
            note=_opt(_get(cells, roles, "note")),
            region_name=_name_beside_code(cells, roles),
        )
    if split:
        raise InvalidData(
            f"{file}: {len(split)} row(s) with more cells than the header "
            "(an unquoted thousands separator such as 1,234?); nothing was read",
            split,
            message_zh=f"{file}：{len(split)} 行的格数多于表头（可能是未加引号的千分位逗号，"
            "如 1,234），未读取任何数据",
        )


def _wide_rows(
    file: str,
    sheet: str | None,
    year: str,
    header_row: int,
    header: list[str],
    roles: dict[str, int],
    rest: Iterator[tuple[int, list[str]]],
) -> Iterator[ObservationRow]:
    _missing(file, sheet, header_row, roles, ("region",))
    meta = set(roles.values())
    columns = [(i, h) for i, h in enumerate(header) if h and i not in meta]
    units: dict[int, str] = {}
    for number, cells in rest:
        first = next((c for c in cells if c), "")
        if number == header_row + 1 and header_role(first) == "unit":
            units = {i: cells[i] for i, _ in columns if i < len(cells) and cells[i]}
            continue
        region = _region_of(cells, roles)
        for i, indicator in columns:
            if i >= len(cells) or not cells[i]:
                continue
            yield ObservationRow(
                row=number,
                sheet=sheet,
                indicator=indicator,
                region=region,
                year=year,
                value=cells[i],
                unit=units.get(i),
                source=_opt(_get(cells, roles, "source")),
                note=_opt(_get(cells, roles, "note")),
                cell=f"{_column_letter(i)}{number}",
                region_name=_name_beside_code(cells, roles),
            )


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
