"""The one table reader: CSV in either encoding and workbooks read alike, as the cell texts
a person sees, with the notes sheet apart."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from minsheng.domain.errors import InvalidData, NotFound
from minsheng.ingest.spreadsheets import read_table

ROWS = [["指标", "2030年"], ["学前教育毛入园率", "96%"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_every_encoding_reads_the_same(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text("\n".join(" , ".join(r) for r in ROWS) + "\n", encoding=encoding)
    assert read_table(path) == (ROWS, [])


def test_a_workbook_reads_its_first_data_sheet_and_its_notes(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "说明"
    notes.append(["标题", "某规划"])
    data = book.create_sheet("指标")
    data.append(["指标", "2030年"])
    data.append(["学前教育毛入园率", 0.96])
    data["B2"].number_format = "0%"
    book.create_sheet("其他").append(["ignored"])
    path = tmp_path / "t.xlsx"
    book.save(path)
    assert read_table(path) == (ROWS, [["标题", "某规划"]])


def test_a_workbook_of_notes_only_has_no_rows(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "readme"
    book.active.append(["only notes"])
    path = tmp_path / "t.xlsx"
    book.save(path)
    assert read_table(path) == (None, [["only notes"]])


def test_refusals(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        read_table(tmp_path / "missing.csv")
    (tmp_path / "t.txt").write_text("x")
    with pytest.raises(InvalidData, match="unsupported file type"):
        read_table(tmp_path / "t.txt")
    (tmp_path / "t.xlsx").write_bytes(b"not a zip")
    with pytest.raises(InvalidData, match="not a readable .xlsx workbook"):
        read_table(tmp_path / "t.xlsx")
