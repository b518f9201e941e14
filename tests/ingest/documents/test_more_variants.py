"""More layouts the corpus does not show, each written as a real plan would publish it.

Every fixture is made up (its own wording and figures); the tests check each row
field by field, the metadata resolved through the division tree, and that
nothing was silently dropped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ingest_paths import FIXTURES

from minsheng.ingest.documents.document import extract_lines, read_plan
from minsheng.ingest.documents.extraction import Extraction
from minsheng.ingest.documents.plan_json import GOLD_ROW_FIELDS
from minsheng.ingest.documents.readers import RawDocument, read_document
from minsheng.ingest.documents.vertical import join_vertical_tables

Row = tuple[Any, ...]


def _rows(extraction: Extraction) -> list[Row]:
    rows = extraction.to_json_dict()["indicators"]
    assert isinstance(rows, list)
    return [tuple(r[f] for f in GOLD_ROW_FIELDS) for r in rows]


def _kinds(extraction: Extraction) -> list[tuple[str, str]]:
    rows = extraction.to_json_dict()["indicators"]
    assert isinstance(rows, list)
    return [(r["baseline"]["kind"], r["target"]["kind"]) for r in rows]


def _meta(extraction: Extraction) -> tuple[Any, ...]:
    meta = extraction.plan.metadata
    return (
        meta.region_code,
        meta.level.value if meta.level else None,
        meta.period_start,
        meta.period_end,
        extraction.plan.baseline_year,
        extraction.plan.target_year,
    )


# -- 1. a provincial portal page with a real <table> ------------------------------------------

PORTAL_NOTE_STAR = "带*的指标为2025年目标按国家口径测算。"
PORTAL_NOTE_2019 = "带**的为2019年数据。"
PORTAL_NOTE_SUM = "带【】的为五年累计数或五年年均数。"
PORTAL_ROWS: list[Row] = [
    (1, "幼有所育", "每千人口拥有3岁以下婴幼儿托位数", "个", "1.6", "4.2", "预期性", None),
    (2, "幼有所育", "孕产妇死亡率", "1/10万", "9.8", "<9.5", "预期性", PORTAL_NOTE_STAR),
    (3, "学有所教", "学前教育毛入园率", "%", "89.3", "≥92", "约束性", None),
    (4, "学有所教", "九年义务教育巩固率", "%", "96.1", "97", "约束性", None),
    (5, "病有所医", "每千人口执业（助理）医师数", "人", "2.6", "3.2", "预期性", None),
    (6, "病有所医", "人均预期寿命", "岁", "77.6**", "78.6", "预期性", PORTAL_NOTE_2019),
    (7, "病有所医", "城乡居民基本医疗保险参保率", "%", ">95", ">95", "约束性", None),
    (8, "老有所养", "新增养老机构护理型床位", "张", "—", "【12000】", "预期性", PORTAL_NOTE_SUM),
    (9, "弱有所扶", "困难残疾人生活补贴覆盖率", "%", "100", "应保尽保", "约束性", None),
    (10, "弱有所扶", "城乡低保标准年均增长", "%", "【7.1】", "【6】", "预期性", PORTAL_NOTE_SUM),
]


def test_a_provincial_portal_page_with_a_tfoot_note_row() -> None:
    extraction = read_plan(FIXTURES / "province_portal.html")
    assert _rows(extraction) == PORTAL_ROWS
    assert _meta(extraction) == ("360000", "province", 2021, 2025, 2020, 2025)
    meta = extraction.plan.metadata
    assert meta.document_number == "赣府发〔2021〕17号"
    assert meta.issuer == "江西省人民政府" and str(meta.issue_date) == "2021-11-08"
    assert extraction.unparsed_lines == []
    kinds = _kinds(extraction)
    assert kinds[5] == ("reach", "reach")
    assert extraction.to_json_dict()["indicators"][5]["baseline"]["data_year"] == 2019
    # one note names two meanings: a sum for a count, an annual average for a growth rate
    assert kinds[7] == ("none", "cumulative") and kinds[9] == ("annual_average",) * 2
    assert kinds[8] == ("reach", "full_coverage")
    # the note for * says nothing the grammar reads: the row keeps it and a warning says so
    assert any("孕产妇死亡率" in w and "no meaning" in w for w in extraction.warnings)


def test_portal_chrome_is_removed_and_reported_but_no_plan_text() -> None:
    extraction = read_plan(FIXTURES / "province_portal.html")
    removed = " ".join(r.text for r in extraction.removed)
    for chrome in (
        "当前位置",
        "打印本页",
        "关闭窗口",
        "扫一扫",
        "网站标识码",
        "主办单位",
        "承办单位",
        "ICP",
    ):
        assert chrome in removed
    assert "政务公开" in removed  # the navigation bar
    for kept in ("规划背景", "主要目标", "全面落实国家基本公共服务标准"):
        assert kept not in removed
    titles = [node.title for node in extraction.plan.outline]
    assert any("第三章" in t for t in titles)


# -- 2. a Word file: heading styles, a merged category column, a 备注 column, a one-column box ---
WORD_HEADER = ["类别", "序号", "指标名称", "单位", "2020年", "2025年", "指标属性", "备注"]
WORD_GROUPS = [
    (
        "学有所教",
        [
            ["1", "义务教育学校标准化达标率", "%", "90.5", "≥95%", "约束性", ""],
            ["2", "新增公办幼儿园学位", "个", "2400", "3600", "预期性", "五年累计"],
        ],
    ),
    (
        "病有所医",
        [
            ["3", "每千人口医疗机构床位数", "张", "4.3", "5左右", "预期性", ""],
            ["4", "家庭医生签约服务覆盖率", "%", "38", "≥45%", "预期性", "重点人群"],
            ["5", "新建村卫生室", "个", "【32】", "【50】", "预期性", "含改扩建"],
        ],
    ),
    (
        "弱有所扶",
        [
            ["6", "特困人员救助供养覆盖率", "%", "100", "应保尽保", "约束性", ""],
        ],
    ),
]


def _write_word_plan(path: Path) -> None:
    document = docx.Document()
    document.add_heading("河北省保定市涞水县“十四五”公共服务规划", level=0)
    document.add_paragraph("涞水县人民政府")
    document.add_paragraph("2021年12月20日")
    document.add_heading("第一章 发展基础", level=1)
    document.add_paragraph("“十三五”以来，全县公共服务设施网络逐步健全，服务能力稳步提升。")
    document.add_heading("第二章 发展目标", level=1)
    document.add_paragraph("专栏1 “十四五”公共服务主要指标")
    n = 1 + sum(len(rows) for _, rows in WORD_GROUPS)
    table = document.add_table(rows=n, cols=len(WORD_HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, WORD_HEADER, strict=True):
        cell.text = text
    at = 1
    for label, rows in WORD_GROUPS:
        first = table.cell(at, 0)
        if len(rows) > 1:
            first = first.merge(table.cell(at + len(rows) - 1, 0))
        first.text = label
        for values in rows:
            for j, text in enumerate(values, 1):
                table.cell(at, j).text = text
            at += 1
    document.add_paragraph("注：带【】的为五年累计数。")
    document.add_heading("第三章 重点任务", level=1)
    box = document.add_table(rows=4, cols=1)
    box.style = "Table Grid"
    items = [
        "专栏2 公共服务设施建设重点工程",
        "1.县域医疗卫生次中心建设工程。在两个中心镇建成县域医疗卫生次中心，提升急诊急救能力。",
        "2.城区学校扩容工程。新建、改扩建中小学4所，新增学位3000个。",
        "3.养老服务设施提升工程。建成乡镇区域养老服务中心6个。",
    ]
    for row, text in zip(box.rows, items, strict=True):
        row.cells[0].text = text
    document.add_heading("第四章 保障措施", level=1)
    document.add_paragraph("加强组织领导，压实部门责任。")
    document.save(str(path))


def test_a_word_plan_with_merged_categories_remarks_and_a_project_box(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    _write_word_plan(path)
    extraction = read_plan(path)
    cumulative = "带【】的为五年累计数。"
    assert _rows(extraction) == [
        (1, "学有所教", "义务教育学校标准化达标率", "%", "90.5", "≥95%", "约束性", None),
        (2, "学有所教", "新增公办幼儿园学位", "个", "2400", "3600", "预期性", "五年累计"),
        (3, "病有所医", "每千人口医疗机构床位数", "张", "4.3", "5左右", "预期性", None),
        (4, "病有所医", "家庭医生签约服务覆盖率", "%", "38", "≥45%", "预期性", "重点人群"),
        (
            5,
            "病有所医",
            "新建村卫生室",
            "个",
            "【32】",
            "【50】",
            "预期性",
            f"含改扩建 {cumulative}",
        ),
        (6, "弱有所扶", "特困人员救助供养覆盖率", "%", "100", "应保尽保", "约束性", None),
    ]
    assert _kinds(extraction) == [
        ("reach", "at_least"),
        ("cumulative", "cumulative"),  # said by the 备注 cell, not by brackets
        ("reach", "about"),
        ("reach", "at_least"),
        ("cumulative", "cumulative"),
        ("reach", "full_coverage"),
    ]
    assert _meta(extraction) == ("130623", "county", 2021, 2025, 2020, 2025)
    meta = extraction.plan.metadata
    assert meta.title is not None and meta.title.endswith("公共服务规划")
    assert meta.issuer == "涞水县人民政府" and str(meta.issue_date) == "2021-12-20"
    assert extraction.unparsed_lines == []
    chapters = [n.title for n in extraction.plan.outline if n.kind == "chapter"]
    assert chapters == ["第一章 发展基础", "第二章 发展目标", "第三章 重点任务", "第四章 保障措施"]
    projects = extraction.plan.projects
    assert [p.name for p in projects] == [
        "县域医疗卫生次中心建设工程",
        "城区学校扩容工程",
        "养老服务设施提升工程",
    ]
    assert {p.box for p in projects} == {"专栏2 公共服务设施建设重点工程"}
    assert projects[1].description == "新建、改扩建中小学4所，新增学位3000个。"
    assert (projects[0].domain, projects[2].domain) == ("health_care", "elderly_care")


# -- 3. text copied from a PDF: a growth column, wrapped rows, full-width digits set apart ------

PDF_FIXTURE = FIXTURES / "pdf_copy_growth_column.txt"
PDF_ROWS: list[Row] = [
    (1, "（一）幼有所育", "每千人口拥有3岁以下婴幼儿托位数", "个", "１．２", "4.5", "预期性", None),
    (2, "（一）幼有所育", "儿童健康管理率", "%", "９５．２", "≥96", "约束性", None),
    (3, "（二）学有所教", "学前三年毛入园率", "%", "91.3", "９５", "约束性", None),
    (
        4,
        "（二）学有所教",
        "普通高中在校生规模",
        "人",
        "12860",
        "13500",
        "预期性",
        "普通高中在校生规模为当年秋季学期数。",
    ),
    (5, "（三）病有所医", "每千人口执业（助理）医师数", "人", "2.45", "2.9", "预期性", None),
    (6, "（三）病有所医", "居民电子健康档案建档率", "%", "88", "＞９０", "预期性", None),
    (7, "（四）老有所养", "城乡居民基本养老保险参保率", "%", "９６", "≥97", "约束性", None),
    (8, "（四）老有所养", "每千名老年人拥有养老床位数", "张", "31", "35", "预期性", None),
    (9, "（五）文体服务保障", "人均体育场地面积", "平方米", "1.62", "2.3", "预期性", None),
]


def test_a_pdf_copy_with_a_growth_column_wrapped_rows_and_full_width_digits() -> None:
    extraction = read_plan(PDF_FIXTURE)
    assert _rows(extraction) == PDF_ROWS
    rows = extraction.to_json_dict()["indicators"]
    assert isinstance(rows, list)
    # the growth column (30.2%, 1.0%…) is never taken for a target
    assert [r["target"]["value"] for r in rows] == [4.5, 96, 95, 13500, 2.9, 90, 97, 35, 2.3]
    assert rows[1]["baseline"]["value"] == 95.2 and rows[5]["target"]["kind"] == "above"
    assert _meta(extraction) == ("620502", "county", 2021, 2025, 2020, 2025)
    assert extraction.unparsed_lines == []
    lines = PDF_FIXTURE.read_text(encoding="utf-8").splitlines()
    page = next(i for i, line in enumerate(lines, 1) if line.startswith("—"))
    assert [(r.line, r.reason) for r in extraction.removed] == [(page, "page number")]


def test_a_pdf_row_that_does_not_fit_is_reported_not_glued_to_the_next(tmp_path: Path) -> None:
    lines = PDF_FIXTURE.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("儿童健康管理率"))
    lines[at] = lines[at].replace("约束性", "待议")
    path = tmp_path / "broken.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    extraction = read_plan(path)
    assert [(u.line, u.text) for u in extraction.unparsed_lines] == [(at + 1, lines[at])]
    expected = [r for r in PDF_ROWS if r[2] != "儿童健康管理率"]
    assert [r[1:] for r in _rows(extraction)] == [r[1:] for r in expected]
    assert extraction.confidence < read_plan(PDF_FIXTURE).confidence


# -- 4. a prefecture plan: 基期值/目标值 over a row of years, 序号 restarting per category ----

PREFECTURE_FIXTURE = FIXTURES / "prefecture_two_row_header.txt"
BASIC, NON_BASIC, LIVING = "一、基本公共服务", "二、普惠性非基本公共服务", "三、生活服务"
PREFECTURE_ROWS: list[Row] = [
    (1, BASIC, "每千人口拥有3岁以下婴幼儿托位数", "个", "2.1", "4.5", "预期性", None),
    (2, BASIC, "九年义务教育巩固率", "%", "98.6", "≥99", "约束性", None),
    (
        3,
        BASIC,
        "城镇新增就业人数",
        "万人",
        "【45.3】",
        "【42】",
        "预期性",
        "带【】的为五年累计数。",
    ),
    (4, BASIC, "基本养老保险参保率", "%", "92.7*", "95", "约束性", "带*的为2019年数据。"),
    (1, NON_BASIC, "普惠性幼儿园覆盖率", "%", "83.5", "≥85", "约束性", None),
    (2, NON_BASIC, "养老机构护理型床位占比", "%", "51", "55", "预期性", None),
    (3, NON_BASIC, "每万人口拥有公共文化设施面积", "平方米", "1480", "1650", "预期性", None),
    (1, LIVING, "人均体育场地面积", "平方米", "2.35", "2.8", "预期性", None),
    (2, LIVING, "社区综合服务设施覆盖率", "%", "90", "100", "预期性", None),
]


def _as_spaces(tmp_path: Path) -> Path:
    """The same page as a PDF copy would give it: cells separated by spaces."""
    text = PREFECTURE_FIXTURE.read_text(encoding="utf-8")
    lines = [line.replace(" | ", " ").removesuffix(" |") for line in text.splitlines()]
    path = tmp_path / "spaces.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_a_prefecture_table_with_years_in_a_second_header_row(tmp_path: Path) -> None:
    for path in (PREFECTURE_FIXTURE, _as_spaces(tmp_path)):
        extraction = read_plan(path)
        assert _rows(extraction) == PREFECTURE_ROWS, path.name
        assert _meta(extraction) == ("370700", "prefecture", 2021, 2025, 2020, 2025)
        meta = extraction.plan.metadata
        assert meta.document_number == "潍政发〔2021〕21号" and meta.issuer == "潍坊市人民政府"
        assert extraction.unparsed_lines == []
        rows = extraction.to_json_dict()["indicators"]
        assert isinstance(rows, list)
        assert rows[2]["target"]["kind"] == "cumulative"
        assert rows[3]["baseline"]["data_year"] == 2019
        # the numbering restarts per category: kept as the table has it, and said
        assert any("序号 restarts" in w for w in extraction.warnings)


def test_a_table_numbered_through_gives_no_restart_warning() -> None:
    extraction = read_plan(FIXTURES / "province_portal.html")
    assert not any("序号 restarts" in w for w in extraction.warnings)


# -- 5. a GB18030 page that declares gb2312 -----------------------------------------------------

GB_FIXTURE = FIXTURES / "gb18030_declared_gb2312.html"
GB_ROWS: list[Row] = [
    (1, "幼有所育", "每千人口拥有3岁以下婴幼儿托位数", "个", "1.3", "4", "预期性", None),
    (2, "幼有所育", "适龄儿童国家免疫规划疫苗接种率", "%", ">90", ">90", "约束性", None),
    (3, "学有所教", "义务教育入学率", "%", "99.6", "100", "约束性", None),
    (4, "病有所医", "每千人口拥有注册护士数", "人", "2.2", "3", "预期性", None),
    (5, "病有所医", "县域内住院率", "%", "86", "90左右", "预期性", None),
    (
        6,
        "住有所居",
        "城镇棚户区住房改造",
        "套",
        "【860】",
        "【1000】",
        "预期性",
        "带【】的为五年累计数。",
    ),
]


def test_the_fixture_really_needs_more_than_gb2312() -> None:
    data = GB_FIXTURE.read_bytes()
    assert b'charset="gb2312"' in data
    with pytest.raises(UnicodeEncodeError):
        data.decode("gb18030").encode("gb2312")  # 垚 is outside GB2312


def _gb_checks(extraction: Extraction) -> None:
    assert _rows(extraction) == GB_ROWS
    assert _meta(extraction) == ("450321", "county", 2021, 2025, 2020, 2025)
    assert extraction.plan.metadata.issuer == "阳朔县人民政府"
    assert extraction.unparsed_lines == []
    assert [(p.name, p.domain) for p in extraction.plan.projects] == [
        ("龙堃社区养老服务中心", "elderly_care"),
        ("石垚村综合文化服务中心", "culture_sports"),
    ]
    removed = " ".join(r.text for r in extraction.removed)
    assert "您现在的位置" in removed and "ICP" in removed and "信息公开" in removed
    assert not any("\ufffd" in line for line in read_document(GB_FIXTURE).lines)


def test_a_gb18030_page_declaring_gb2312_is_read_whole() -> None:
    raw = read_document(GB_FIXTURE)
    assert raw.encoding == "gb18030"
    assert any("石垚村、䶮山村、龙堃社区" in line for line in raw.lines)
    _gb_checks(read_plan(GB_FIXTURE))


def test_a_page_resaved_as_utf8_with_its_old_gb2312_declaration(tmp_path: Path) -> None:
    path = tmp_path / "resaved.html"
    path.write_bytes(GB_FIXTURE.read_bytes().decode("gb18030").encode("utf-8"))
    assert read_document(path).encoding == "utf-8"
    _gb_checks(read_plan(path))


# -- 6. an HTML header whose 指标值 cell spans a row of years ------------------------------------


def test_a_spanning_value_header_over_a_row_of_years() -> None:
    extraction = read_plan(FIXTURES / "colspan_value_header.html")
    assert _rows(extraction) == [
        (1, "一、幼有所育", "每千人口拥有3岁以下婴幼儿托位数", "个", "1.9", "4.5", "预期性", None),
        (2, "二、病有所医", "每千人口拥有执业（助理）医师数", "人", "2.8", "3.3", "预期性", None),
        (3, "二、病有所医", "二级及以上公立医院预约诊疗率", "%", "45", "≥60", "预期性", None),
        (4, "三、老有所养", "养老机构护理型床位占比", "%", "40", "≥55", "约束性", None),
    ]
    assert _meta(extraction) == ("420506", "county", 2021, 2025, 2020, 2025)
    assert extraction.unparsed_lines == []


def test_a_spanning_header_without_its_row_of_years_is_reported(tmp_path: Path) -> None:
    source = (FIXTURES / "colspan_value_header.html").read_text(encoding="utf-8")
    path = tmp_path / "no_years.html"
    source = source.replace("<tr><th>2020年</th><th>2025年</th></tr>", "")
    path.write_text(source.replace(' rowspan="2"', ""), "utf-8")
    extraction = read_plan(path)
    # The header cannot be read, so it is reported; the rows below keep the shape of
    # numbered rows and are read by it, dated by the plan period, with warnings saying so.
    assert [u.line for u in extraction.unparsed_lines] == [4]
    assert len(extraction.plan.indicators) == 4
    assert any("header is missing" in w for w in extraction.warnings)
    assert any("from the plan period" in w for w in extraction.warnings)


# -- 7. header and row shapes seen on other sites, one small table each ------------------------

LIFE = (1, None, "人均预期寿命", "岁", "78.3", "79", "预期性", None)
ORPHANS = (2, None, "孤儿基本生活保障覆盖率", None, "—", "应保尽保", "约束性", None)
SHAPES = {
    "unit in the name column's header": [
        "序号 | 指标名称（单位） | 2020年 | 2025年 | 属性 |",
        "1 | 人均预期寿命（岁） | 78.3 | 79 | 预期性 |",
        "2 | 孤儿基本生活保障覆盖率 | — | 应保尽保 | 约束性 |",
    ],
    "a 责任单位 column, spaces": [
        "序号 指标 单位 2020年 2025年 属性 责任单位",
        "1 人均预期寿命 岁 78.3 79 预期性 区卫生健康局",
        "2 孤儿基本生活保障覆盖率 — 应保尽保 约束性",
    ],
    "cells between tabs (copied from a spreadsheet)": [
        "序号\t指标\t单位\t2020年\t2025年\t属性",
        "1\t人均预期寿命\t岁\t78.3\t79\t预期性",
        "2\t孤儿基本生活保障覆盖率\t\t—\t应保尽保\t约束性",
    ],
    "full-width bars": [
        "序号｜指标｜单位｜2020年｜2025年｜属性",
        "1｜人均预期寿命｜岁｜78.3｜79｜预期性",
        "2｜孤儿基本生活保障覆盖率｜｜—｜应保尽保｜约束性",
    ],
    "a Markdown table": [
        "| 序号 | 指标 | 单位 | 2020年末 | 2025年末 | 属性 |",
        "| --- | --- | --- | --- | --- | --- |",
        "| 1 | 人均预期寿命 | 岁 | 78.3 | 79 | 预期性 |",
        "| 2 | 孤儿基本生活保障覆盖率 |  | — | 应保尽保 | 约束性 |",
    ],
    "nature first, bare years": [
        "属性 | 序号 | 指标 | 单位 | 2020 | 2025 |",
        "预期性 | 1 | 人均预期寿命 | 岁 | 78.3 | 79 |",
        "约束性 | 2 | 孤儿基本生活保障覆盖率 |  | — | 应保尽保 |",
    ],
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_other_table_shapes(shape: str, tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    body = ["安徽省黄山市歙县“十四五”公共服务规划", "专栏1 主要指标", *SHAPES[shape]]
    path.write_text("\n".join([*body, "", "第三章 主要任务"]), encoding="utf-8")
    extraction = read_plan(path)
    assert _rows(extraction) == [LIFE, ORPHANS], shape
    assert _meta(extraction) == ("341021", "county", 2021, 2025, 2020, 2025)
    assert extraction.unparsed_lines == []


def test_a_header_without_years_takes_them_from_the_plan_period(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    lines = [
        "安徽省黄山市歙县“十四五”公共服务规划",
        "序号 | 指标 | 单位 | 现状值 | 目标值 | 属性 |",
        "1 | 人均预期寿命 | 岁 | 78.3 | 79 | 预期性 |",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    extraction = read_plan(path)
    assert (extraction.plan.baseline_year, extraction.plan.target_year) == (2020, 2025)
    assert any("names no years" in w for w in extraction.warnings)


def test_html_cells_merged_down_belong_to_every_row_they_span(tmp_path: Path) -> None:
    page = """<html><head><meta charset="utf-8"></head><body>
<p>安徽省黄山市歙县“十四五”公共服务规划</p>
<table>
<tr><th>序号</th><th>类别</th><th>指标</th><th>单位</th><th>2020年</th><th>2025年</th><th>属性</th></tr>
<tr><td>1</td><td rowspan="3">病有所医</td><td>人均预期寿命</td><td>岁</td><td>78.3</td><td>79</td>
<td rowspan="2">预期性</td></tr>
<tr><td>2</td><td>每千人口拥有注册护士数</td><td rowspan="2">人</td><td>2.9</td><td>3.5</td></tr>
<tr><td>3</td><td>每千人口拥有执业（助理）医师数</td><td>2.6</td><td>3.1</td><td>约束性</td></tr>
<tr><td colspan="7">注：数据来源于县卫生健康统计年报。</td></tr>
</table>
<p>第三章 主要任务</p></body></html>"""
    path = tmp_path / "merged.html"
    path.write_text(page, encoding="utf-8")
    extraction = read_plan(path)
    assert _rows(extraction) == [
        (1, "病有所医", "人均预期寿命", "岁", "78.3", "79", "预期性", None),
        (2, "病有所医", "每千人口拥有注册护士数", "人", "2.9", "3.5", "预期性", None),
        (3, "病有所医", "每千人口拥有执业（助理）医师数", "人", "2.6", "3.1", "约束性", None),
    ]
    assert extraction.unparsed_lines == []


def test_a_title_set_over_two_lines_still_names_its_region(tmp_path: Path) -> None:
    text = PREFECTURE_FIXTURE.read_text(encoding="utf-8")
    split = text.replace(
        "\n潍坊市“十四五”公共服务体系建设规划\n", "\n山东省潍坊市“十四五”\n公共服务体系建设规划\n"
    )
    assert split != text
    path = tmp_path / "split_title.txt"
    path.write_text(split, encoding="utf-8")
    meta = read_plan(path).plan.metadata
    assert meta.title == "山东省潍坊市“十四五”公共服务体系建设规划"
    assert meta.region_code == "370700"
    assert meta.level is not None and meta.level.value == "prefecture"


def test_a_region_named_only_in_the_issuing_notice(tmp_path: Path) -> None:
    lines = PREFECTURE_FIXTURE.read_text(encoding="utf-8").splitlines()
    kept = [
        "公共服务体系建设规划" if line == "潍坊市“十四五”公共服务体系建设规划" else line
        for line in lines
        if line not in ("潍坊市人民政府", "2021年10月26日")
    ]
    path = tmp_path / "notice_only.txt"
    path.write_text("\n".join(kept), encoding="utf-8")
    extraction = read_plan(path)
    assert extraction.plan.metadata.issuer is None
    assert extraction.plan.metadata.region_code == "370700"


# -- 8. a PDF text layer that gives the table one cell per line --------------------------------

VERTICAL_FIXTURE = FIXTURES / "pdf_one_cell_per_line.txt"
VERTICAL_ROWS: list[Row] = [
    (1, "一、幼有所育", "每千人口拥有3岁以下婴幼儿托位数", "个", "1.4", "4.5", "预期性", None),
    (2, "一、幼有所育", "普惠性幼儿园覆盖率", "%", "82.6", "≥85", "约束性", None),
    (3, "二、病有所医", "每千人口拥有执业（助理）医师数", "人", "2.3", "2.8", "预期性", None),
    (4, "二、病有所医", "孕产妇系统管理率", "%", "93.5", ">95", "约束性", None),
    (5, "三、弱有所扶", "残疾人基本康复服务覆盖率", "%", "—", "≥85", "预期性", None),
    (
        6,
        "四、老有所养",
        "新增护理型养老床位",
        "张",
        "—",
        "【600】",
        "预期性",
        "带【】的为五年累计数。",
    ),
]


def test_a_table_given_one_cell_per_line_is_set_back_into_rows() -> None:
    extraction = read_plan(VERTICAL_FIXTURE)
    assert _rows(extraction) == VERTICAL_ROWS
    assert _meta(extraction) == ("350405", "county", 2021, 2025, 2020, 2025)
    assert extraction.unparsed_lines == []
    assert _kinds(extraction)[5] == ("none", "cumulative")
    titles = [n.title for n in extraction.plan.outline]
    assert "第三章 主要任务" in titles and not any("幼有所育" in t for t in titles)


def test_a_vertical_row_without_its_nature_is_reported_cell_by_cell(tmp_path: Path) -> None:
    lines = VERTICAL_FIXTURE.read_text(encoding="utf-8").splitlines()
    at = lines.index("孕产妇系统管理率") + 4  # the nature cell of row 4
    assert lines[at] == "约束性"
    del lines[at]
    path = tmp_path / "broken.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    extraction = read_plan(path)
    # row 4 ran into row 5: neither is guessed, every line of both is reported
    assert [r[0] for r in _rows(extraction)] == [1, 2, 3, 6]
    reported = [u.line for u in extraction.unparsed_lines]
    first = lines.index("4") + 1
    last = lines.index("残疾人基本康复服务覆盖率") + 5  # its nature cell, 1-based
    assert reported == list(range(first, last + 1))


def test_a_word_table_with_its_box_title_and_a_two_row_merged_header(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("安徽省黄山市歙县“十四五”公共服务规划", 0)
    table = document.add_table(rows=6, cols=6)
    table.cell(0, 0).merge(table.cell(0, 5)).text = "专栏1 “十四五”公共服务主要指标"
    for column, word in ((0, "序号"), (1, "指标"), (2, "单位"), (5, "属性")):
        table.cell(1, column).merge(table.cell(2, column)).text = word
    table.cell(1, 3).merge(table.cell(1, 4)).text = "指标值"
    table.cell(2, 3).text, table.cell(2, 4).text = "2020年", "2025年"
    rows = [
        ["1", "人均预期寿命", "岁", "78.3", "79", "预期性"],
        ["2", "孤儿基本生活保障覆盖率", "%", "100", "应保尽保", "约束性"],
        ["3", "新增普惠托位", "个", "—", "【800】", "预期性"],
    ]
    for i, values in enumerate(rows, 3):
        for j, text in enumerate(values):
            table.cell(i, j).text = text
    document.add_paragraph("注：带【】的为五年累计数。")
    document.add_heading("第三章 主要任务", 1)
    path = tmp_path / "boxed.docx"
    document.save(str(path))
    extraction = read_plan(path)
    note = "带【】的为五年累计数。"
    assert _rows(extraction) == [
        (1, None, "人均预期寿命", "岁", "78.3", "79", "预期性", None),
        (2, None, "孤儿基本生活保障覆盖率", "%", "100", "应保尽保", "约束性", None),
        (3, None, "新增普惠托位", "个", "—", "【800】", "预期性", note),
    ]
    assert _meta(extraction) == ("341021", "county", 2021, 2025, 2020, 2025)
    assert extraction.unparsed_lines == []


# -- properties of the new layout rules ---------------------------------------------------------

_WORDS = st.sampled_from(
    [
        "序号", "指标", "单位", "2020年", "2025年", "属性", "一、幼有所育", "1", "2", "人均预期寿命",
        "岁", "78.3", "≥85", "【600】", "—", "预期性", "约束性", "注：带【】的为五年累计数。",
        "９ ５．２", "— 7 —", "", "第二章 任务", "指标值", "基期值", "目标值", "备注",
    ]
)  # fmt: skip


@given(st.lists(st.lists(_WORDS, min_size=1, max_size=7), max_size=30), st.sampled_from(" |\t"))
@settings(max_examples=150, deadline=None)
def test_any_arrangement_of_table_words_reads_without_crashing(
    rows: list[list[str]], separator: str
) -> None:
    lines = [separator.join(cells) for cells in rows]
    joined = join_vertical_tables(lines)
    assert len(joined.lines) == len(lines)  # line numbers are kept
    assert all(not joined.lines[k] for k in joined.joined)
    extraction = extract_lines(RawDocument(["某县“十四五”公共服务规划", *lines]), "x.txt")
    assert all(1 <= u.line <= len(lines) + 1 for u in extraction.unparsed_lines)


def test_a_space_row_missing_a_value_is_reported_not_read_as_a_unit(tmp_path: Path) -> None:
    lines = [
        "安徽省黄山市歙县“十四五”公共服务规划",
        "序号 指标 单位 2020年 2025年 属性",
        "1 人均预期寿命 岁 79 预期性",
        "2 孤儿基本生活保障覆盖率 — 应保尽保 约束性",
        "",
        "第三章 主要任务",
    ]
    path = tmp_path / "plan.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    extraction = read_plan(path)
    assert _rows(extraction) == [ORPHANS]
    assert [(u.line, u.text) for u in extraction.unparsed_lines] == [(3, lines[2])]


def test_html_comments_and_scripts_leave_no_words_and_chrome_is_noted(tmp_path: Path) -> None:
    page = """<html><body><div class="breadcrumb">首页 &gt; 政策文件</div>
<p>第一章<!-- 编辑：张三 --> 总体要求<script>var x = "脚本";</script>（续）</p>
<table><tr><td>指标<!-- 隐藏 --></td><td>2025年</td></tr></table></body></html>"""
    path = tmp_path / "comments.html"
    path.write_text(page, encoding="utf-8")
    raw = read_document(path)
    assert raw.lines == ["第一章 总体要求（续）", "指标 | 2025年 |"]
    assert [(r.text, r.reason) for r in raw.removed] == [("首页 > 政策文件", "page chrome <div>")]


def test_a_control_character_after_a_removed_element_is_read_as_a_space(tmp_path: Path) -> None:
    # lxml keeps a parsed control character but refuses it when the text after a removed
    # <script> is moved (a traceback atheris found): such characters are read as spaces
    path = tmp_path / "control.html"
    path.write_bytes("<html><body><p>总体<script>x</script>\x0b要求</p></body></html>".encode())
    assert read_document(path).lines == ["总体 要求"]
