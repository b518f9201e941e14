"""Workbooks with merged cells, made with openpyxl at test time and read as an import reads them:
a merged header names every column it spans, a header block two rows tall is one header,
a merged label applies to its rows, and merged value cells get one row-numbered refusal."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from minsheng.domain.errors import InvalidData
from minsheng.ingest.observations.workbook_validation import (
    IndicatorSpec,
    ValidationContext,
    validate_observation_rows,
)
from minsheng.ingest.observations.workbooks import read_observation_rows
from minsheng.ingest.spreadsheets import merge_refs

RATES = ("学前教育毛入园率", "九年义务教育巩固率", "基本医疗保险参保率")


def _book(path: Path, title: str, rows: list[list], merges: list[str]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for ref in merges:
        sheet.merge_cells(ref)
    book.save(path)
    return path


def _wide(path: Path, merges: list[str]) -> Path:
    """代码 and 地区 two rows tall beside group labels (教育 over two indicators) over the names."""
    return _book(
        path,
        "2023",
        [
            ["代码", "地区", "教育", None, "卫生"],
            [None, None, *RATES],
            ["单位", None, "%", "%", "%"],
            ["500118", "永川区", 90, 95, 96],
            ["500116", "江津区", 91, None, 97],
        ],
        merges,
    )


def test_a_two_row_header_with_group_labels_reads_every_value(tmp_path: Path) -> None:
    path = _wide(tmp_path / "wide.xlsx", ["A1:A2", "B1:B2", "C1:D1", "A3:B3"])
    rows = read_observation_rows(path)
    assert [(r.row, r.cell, r.indicator, r.region, r.value, r.unit) for r in rows] == [
        (4, "C4", RATES[0], "500118", "90", "%"),
        (4, "D4", RATES[1], "500118", "95", "%"),
        (4, "E4", RATES[2], "500118", "96", "%"),
        (5, "C5", RATES[0], "500116", "91", "%"),
        (5, "E5", RATES[2], "500116", "97", "%"),
    ]
    specs = {n: IndicatorSpec.for_unit(n, "%") for n in RATES}
    regions = {"500118": "500118", "500116": "500116"}
    values, report = validate_observation_rows(
        rows, ValidationContext(specs, regions, (2021, 2025))
    )
    assert report.ok, report.problems
    assert len(values) == 5


def test_a_long_header_merged_over_code_and_name_and_a_merged_label(tmp_path: Path) -> None:
    """地区 over its 代码 and 名称 columns; one indicator's name merged down its two rows."""
    path = _book(
        tmp_path / "long.xlsx",
        "data",
        [
            ["指标", "地区", None, "年份", "数值"],
            [None, "代码", "名称", None, None],
            [RATES[0], "500118", "永川区", 2023, 90],
            [None, "500116", "江津区", 2023, 91],
            [RATES[1], "500118", "永川区", 2023, 95],
        ],
        ["A1:A2", "B1:C1", "D1:D2", "E1:E2", "A3:A4"],
    )
    rows = read_observation_rows(path)
    assert [(r.row, r.indicator, r.region, r.year, r.value) for r in rows] == [
        (3, RATES[0], "500118", "2023", "90"),
        (4, RATES[0], "500116", "2023", "91"),
        (5, RATES[1], "500118", "2023", "95"),
    ]


def test_a_merged_title_over_the_header_is_no_column(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "title.xlsx",
        "data",
        [
            ["2023年各区县公共服务指标"],
            ["指标", "地区", "年份", "数值"],
            [RATES[0], "500118", 2023, 90],
        ],
        ["A1:D1"],
    )
    assert [(r.row, r.indicator, r.value) for r in read_observation_rows(path)] == [
        (3, RATES[0], "90")
    ]


@pytest.mark.parametrize(
    ("merge", "row", "column"),
    [("E4:E5", 4, RATES[2]), ("C5:D5", 5, RATES[0])],  # down two regions; across two indicators
)
def test_merged_value_cells_are_one_row_numbered_refusal(
    tmp_path: Path, merge: str, row: int, column: str
) -> None:
    path = _wide(tmp_path / "values.xlsx", ["A1:A2", "B1:B2", "C1:D1", merge])
    with pytest.raises(InvalidData) as refused:
        read_observation_rows(path)
    [problem] = refused.value.problems
    assert (problem.row, problem.field) == (row, column)
    assert merge in problem.message and "unmerge" in problem.message
    assert problem.message_zh and merge in problem.message_zh and "取消合并" in problem.message_zh
    assert "nothing was read" in refused.value.message


@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_merged_ranges_are_found_across_read_boundaries(tmp_path: Path, chunk: int) -> None:
    """The import opens workbooks read-only, where openpyxl keeps no merged ranges: they are
    read from the sheet's XML in pieces, and a range split between two pieces still counts once."""
    merges = ["A1:A2", "B1:B2", "C1:D1", "A3:B3"]
    path = _wide(tmp_path / "wide.xlsx", merges)
    with zipfile.ZipFile(path) as archive, archive.open("xl/worksheets/sheet1.xml") as stream:
        assert sorted(merge_refs(stream, chunk)) == sorted(merges)
