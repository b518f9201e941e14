"""CSV and XLSX files as the cell texts a person sees: the one table reader of every door.

Observation files, target tables and service lists all arrive as a spreadsheet; here they
are opened, decoded (UTF-8 with or without BOM, or GB18030, the two encodings Chinese
Excel and WPS save CSV in) and turned into rows of cell texts. What the columns mean is
each reader's own business (:mod:`minsheng.ingest.observations.workbooks`,
:mod:`minsheng.ingest.documents.target_table`, :mod:`minsheng.ingest.standards.files`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from minsheng.domain import limits
from minsheng.domain.errors import InvalidData, NotFound

#: A sheet of notes for people (说明, readme, instructions), never data.
README_SHEET = re.compile(r"说明|readme|instructions?", re.IGNORECASE)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def cell_text(value: Any, number_format: str | None = None) -> str:
    """The text a person sees in a cell (numbers exactly, percentages with ``%``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    elif isinstance(value, datetime | date):
        return value.isoformat()
    else:
        return str(value).strip()
    if number_format and number_format.rstrip().endswith("%"):
        scaled = Decimal(repr(value) if isinstance(value, float) else text).scaleb(2)
        return f"{scaled.normalize():f}%"
    return text


#: The encodings CSV files arrive in, tried in this order: UTF-8 (with or without BOM),
#: else GB18030 (which Chinese Excel and WPS save, and which decodes almost anything).
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


def decode_csv(data: bytes, name: str) -> str:
    """A CSV file's text: UTF-8 (with or without BOM), else GB18030."""
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidData(
        f"{name}: not UTF-8 or GB18030 text"
    )  # pragma: no cover - gb18030 decodes almost anything


def checked_csv_text(data: bytes, name: str) -> str:
    """A CSV file's text (:func:`decode_csv`), refused when it is binary data or longer than
    the input limits allow."""
    text = decode_csv(data, name)
    if "\x00" in text:
        raise InvalidData(f"{name}: binary data, not a CSV file")
    limits.current().check_lines(text, name)
    return text


@contextmanager
def open_workbook(path: Path) -> Iterator[Any]:
    """An .xlsx workbook opened read-only with its cached values, closed afterwards."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InvalidData(
            f"{path.name}: not a readable .xlsx workbook ({type(exc).__name__})"
        ) from exc
    try:
        yield book
    finally:
        book.close()


def sheet_rows(sheet: Any) -> Iterator[list[str]]:
    """Every row of a worksheet as the cell texts a person sees."""
    sheet.reset_dimensions()  # some writers record a wrong used range; read every row
    for row in sheet.iter_rows():
        yield [cell_text(getattr(c, "value", None), getattr(c, "number_format", None)) for c in row]


def read_table(path: Path) -> tuple[list[list[str]] | None, list[list[str]]]:
    """The rows of a CSV file or of a workbook's first data sheet, and the rows of its notes
    sheet (说明/readme; none for CSV). Rows of a workbook without a data sheet are None.

    Cells are stripped text; row *i* of the result is spreadsheet row *i + 1*.
    """
    if not path.is_file():
        raise NotFound(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text = decode_csv(path.read_bytes(), path.name)
        return [[c.strip() for c in record] for record in csv.reader(io.StringIO(text))], []
    if suffix not in WORKBOOK_SUFFIXES:
        raise InvalidData(
            f"{path.name}: unsupported file type {suffix or '(none)'!r}; use .csv or .xlsx"
        )
    rows: list[list[str]] | None = None
    notes: list[list[str]] = []
    with open_workbook(path) as book:
        for sheet in book.worksheets:
            if README_SHEET.search(sheet.title):
                notes = notes or list(sheet_rows(sheet))
            elif rows is None:
                rows = list(sheet_rows(sheet))
    return rows, notes


#: (first row, first column, last row, last column) of a merged range, 1-based as Excel counts.
Span = tuple[int, int, int, int]

_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?)"')


def merge_refs(stream: IO[bytes], chunk: int = 1 << 20) -> list[str]:
    """The ``ref`` of every ``<mergeCell>`` in a sheet's XML, read ``chunk`` bytes at a time."""
    refs: list[str] = []
    tail = b""
    for piece in iter(lambda: stream.read(chunk), b""):
        data = tail + piece
        # a range ending within the carried tail was found in the piece before
        refs += [m.group(1).decode() for m in _MERGE_REF.finditer(data) if m.end() > len(tail)]
        tail = data[-256:]
    return refs


def merged_spans(sheet: Any) -> list[Span]:  # noqa: ANN401 - an openpyxl worksheet
    """The sheet's merged ranges. Only the first cell of a range holds its text; the reader
    decides what the rest mean (:mod:`minsheng.ingest.observations.merged`).

    A read-only worksheet (how :func:`open_workbook` opens them, to read large files in
    one pass) does not keep its ranges, so they are found in the sheet's XML, which lists
    them after the cells: one streaming pass over the raw text, no second parse.
    """
    from openpyxl.utils.cell import range_boundaries

    ranges = getattr(sheet, "merged_cells", None)
    if ranges is not None:  # a worksheet opened for editing (tests, templates)
        refs = [str(r.coord) for r in ranges.ranges]
    else:
        with sheet._get_source() as stream:  # openpyxl's own reader of the sheet's XML part
            refs = merge_refs(stream)
    spans = []
    for ref in refs:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if (
            min_col is not None
            and min_row is not None
            and max_col is not None
            and max_row is not None
        ):
            spans.append((min_row, min_col, max_row, max_col))
    return spans
