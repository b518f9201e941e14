"""Target tables typed into CSV/XLSX: rows, category rows, the period, sources, refusals."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from minsheng.data import data_file
from minsheng.domain.errors import InvalidData, NotFound
from minsheng.domain.indicators import Nature
from minsheng.domain.targets import TargetKind
from minsheng.ingest.documents.target_table import read_target_table

CSV = """序号,指标,单位,2025年,2030年,属性,来源
一、病有所医,,,,,,
1,人均预期寿命,岁,79,80,预期性,某省规划纲要
2,每千人口执业(助理)医师数,人,3.4,≥3.8,约束性,某省规划纲要
二、劳有所得,,,,,,
3,城镇新增就业人数,万人,【50】,【55】,,某省规划纲要
4,失业保险应保尽保,%,,应保尽保,,某省人社厅
"""


def test_a_csv_table_becomes_plan_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(CSV, encoding="utf-8")
    table = read_target_table(path)
    assert (table.baseline_year, table.target_year) == (2025, 2030)
    rows = [
        (i.seq, i.domain, i.name, i.baseline_raw, i.target_raw, i.nature) for i in table.indicators
    ]
    assert rows == [
        (1, "一、病有所医", "人均预期寿命", "79", "80", Nature.ANTICIPATORY),
        (2, "一、病有所医", "每千人口执业(助理)医师数", "3.4", "≥3.8", Nature.BINDING),
        (3, "二、劳有所得", "城镇新增就业人数", "【50】", "【55】", None),
        (4, "二、劳有所得", "失业保险应保尽保", None, "应保尽保", None),
    ]
    assert table.indicators[2].target.kind is TargetKind.CUMULATIVE
    assert table.indicators[3].target.kind is TargetKind.FULL_COVERAGE
    assert table.sources == ["某省规划纲要", "某省人社厅"] and table.rows == [3, 4, 6, 7]
    assert table.confirmed == [None] * 4  # no 确认 column


def test_a_workbook_with_only_the_target_year_and_a_description_sheet(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["指标", "单位", "2030", "类别", "确认", "线性趋势2030"])
    ws.append(["养老机构护理型床位占比", "%", 73, "老有所养", "是", 61.2])
    ws.append(["人均预期寿命", "岁", 80, "病有所医", "否", 81])
    meta = book.create_sheet("说明")
    meta.append(["地区代码", "500000"])
    meta.append(["来源", "某文件"])
    path = tmp_path / "t.xlsx"
    book.save(path)
    table = read_target_table(path)
    assert table.baseline_year is None and table.target_year == 2030
    assert [(i.name, i.target_raw, i.domain) for i in table.indicators] == [
        ("养老机构护理型床位占比", "73", "老有所养"),
        ("人均预期寿命", "80", "病有所医"),
    ]
    assert table.confirmed == [True, False]
    assert table.meta == {"region": "500000", "source": "某文件"}


def test_bad_rows_are_refused_together_with_their_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "指标,2030年,属性,序号\n人均预期寿命,80,必须,1\n,5,预期性,2\n", encoding="utf-8"
    )
    with pytest.raises(InvalidData) as caught:
        read_target_table(path)
    assert [(p.row, p.field) for p in caught.value.problems] == [(2, "属性"), (3, "指标")]
    no_year = tmp_path / "no_year.csv"
    no_year.write_text("指标,目标\n人均预期寿命,80\n", encoding="utf-8")
    with pytest.raises(InvalidData, match="year column"):
        read_target_table(no_year)
    with pytest.raises(NotFound):
        read_target_table(tmp_path / "missing.csv")


def test_the_shipped_national_targets_read_with_their_source() -> None:
    table = read_target_table(Path(str(data_file("targets", "national_15th_2030.csv"))))
    assert table.target_year == 2030
    assert {i.name: i.target.value for i in table.indicators} == {
        "劳动年龄人口平均受教育年限": 11.7,
        "人均预期寿命": 80.0,
        "养老机构护理型床位占比": 73.0,
    }
    assert len(table.sources) == 1 and "第十五个五年规划纲要" in table.sources[0]
