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


@pytest.fixture
def table_with_remarks(tmp_path: Path):
    """A one-row table whose 备注 (and 2030 cell) each case fills in."""

    def write(target: str, remark: str, baseline: str = "4.8") -> Path:
        path = tmp_path / "remarks.csv"
        path.write_text(
            f"指标,单位,2025年,2030年,备注\n城镇新增就业人数,万人,{baseline},{target},{remark}\n",
            encoding="utf-8",
        )
        return path

    return write


@pytest.mark.parametrize(
    "remark", ["年均", "年均增长", "年均值", "五年平均", "平均每年新增", "年度平均"]
)
@pytest.mark.parametrize("target", [">5", "≥5", "5"])
def test_a_remark_saying_yearly_average_makes_the_target_one(
    table_with_remarks, remark: str, target: str
) -> None:
    """``>5`` with 备注 年均 is a yearly-average target of 5, as ``5*`` under 带*为五年年均数 is."""
    row = read_target_table(table_with_remarks(target, remark)).indicators[0]
    assert (row.target.kind, row.target.value) == (TargetKind.ANNUAL_AVERAGE, 5.0)
    assert row.baseline.kind is TargetKind.ANNUAL_AVERAGE and row.baseline.value == 4.8
    assert row.target_raw == target and row.notes == remark  # raw text kept
    marked = read_target_table(table_with_remarks("5*", "带*为五年年均数。")).indicators[0]
    assert (marked.target.kind, marked.target.value) == (row.target.kind, row.target.value)


@pytest.mark.parametrize(
    ("target", "kind"),
    [(">5", TargetKind.ABOVE), ("5", TargetKind.REACH), ("【5】", TargetKind.CUMULATIVE)],
)
@pytest.mark.parametrize("remark", ["", "省统计局", "2024年数据", "全省平均", "非年均数", "含农村"])
def test_a_remark_that_speaks_of_no_yearly_average_changes_nothing(
    table_with_remarks, target: str, kind: TargetKind, remark: str
) -> None:
    row = read_target_table(table_with_remarks(target, remark)).indicators[0]
    assert (row.target.kind, row.target.value) == (kind, 5.0)


def test_a_marker_note_in_the_remark_speaks_only_for_the_marked_cell(table_with_remarks) -> None:
    row = read_target_table(table_with_remarks("5*", "带*为五年年均数。", "4.8")).indicators[0]
    assert row.target.kind is TargetKind.ANNUAL_AVERAGE
    assert row.baseline.kind is TargetKind.REACH  # 4.8 carries no marker


def test_a_lower_better_yearly_average_keeps_its_direction(table_with_remarks) -> None:
    row = read_target_table(table_with_remarks("<5.5", "年均", "5.6")).indicators[0]
    assert row.target.kind is TargetKind.ANNUAL_AVERAGE and row.polarity is not None
    assert row.polarity.value == "lower"
