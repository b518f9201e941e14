"""Layouts read by the one table reader, from made-up fixtures: a page starting mid-table
(no header, a category glued to a row's number, a bracketed continuation line, word-only
targets, OCR's ``。`` for the decimal point and ``一`` for the dash)."""

from __future__ import annotations

import json

from flatten import mid_table
from ingest_paths import FIXTURES, GOLD_INDICATORS

from minsheng.ingest.documents.document import extract_lines, read_plan
from minsheng.ingest.documents.readers import RawDocument

FIELDS = ("seq", "domain", "name", "unit", "baseline_raw", "target_raw", "nature")


def test_a_page_starting_mid_table_reads_its_rows_with_a_warning() -> None:
    extraction = read_plan(FIXTURES / "mid_table_ocr.txt")
    rows = [r.gold_fields() for r in extraction.plan.indicators]
    assert [(r["seq"], r["name"]) for r in rows] == [
        (12, "城镇新增就业人数（单年）"),
        (13, "群众对社区服务满意度"),
        (14, "学前教育毛入园率"),
        (15, "普惠性幼儿园覆盖率"),
    ]
    assert (rows[0]["baseline_raw"], rows[0]["target_raw"], rows[0]["unit"]) == (
        "1.2",
        "1.5",
        "万人",
    )
    assert (rows[1]["domain"], rows[1]["baseline_raw"], rows[1]["target_raw"]) == (
        "三、群众生活服务",
        "稳步提高",
        "稳步提高",
    )
    assert (rows[2]["baseline_raw"], rows[2]["target_raw"]) == ("85.2", "—")
    assert rows[3]["baseline_raw"] == "——"
    assert extraction.row_lines == [2, 4, 5, 6]
    assert extraction.unparsed_lines == []
    assert any("header is missing" in w for w in extraction.warnings)
    assert any("from the plan period" in w for w in extraction.warnings)
    assert extraction.plan.target_year == 2025


def test_gold_rows_after_a_page_break_read_back() -> None:
    for path in GOLD_INDICATORS:
        gold = json.loads(path.read_text(encoding="utf-8"))["indicators"]
        rows = gold[len(gold) // 3 :]
        flat = mid_table(rows)
        extraction = extract_lines(RawDocument(lines=flat.lines), "mid.txt")
        got = [
            {k: v for k, v in r.gold_fields().items() if k in FIELDS}
            for r in extraction.plan.indicators
        ]
        assert got == [{k: r[k] for k in FIELDS} for r in rows]
        assert extraction.row_lines == flat.row_lines
        assert extraction.unparsed_lines == []


def test_stacked_cells_become_one_row_per_part() -> None:
    extraction = read_plan(FIXTURES / "stacked_cells.txt")
    rows = [
        (r.seq, r.name, r.unit, r.baseline_raw, r.target_raw) for r in extraction.plan.indicators
    ]
    assert rows == [
        (1, "学前教育普惠率", "%", "80", "85"),
        (2, "专任教师本科以上学历比例（小学）", "%", "78", "85"),
        (2, "专任教师本科以上学历比例（初中）", "%", "90", "95"),
        (3, "义务教育巩固率", "%", "98", "99"),
        (4, "每名学生体育场地面积（城镇）", "平方米", "2.1", "2.6"),
        (4, "每名学生体育场地面积（农村）", "平方米", "2.8", "3.1"),
    ]
    assert extraction.row_lines == [4, 5, 5, 6, 14, 14]
    assert extraction.unparsed_lines == []
