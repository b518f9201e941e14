"""More layouts the corpus does not show, each written as a real plan would publish it.

Every fixture is made up (its own wording and figures); the tests check each row
field by field, the metadata resolved through the division tree, and that
nothing was silently dropped.
"""

from __future__ import annotations

from typing import Any

from ingest_paths import FIXTURES

from minsheng.ingest.document import read_plan
from minsheng.ingest.extraction import Extraction
from minsheng.ingest.plan_json import GOLD_ROW_FIELDS

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
