"""Metadata: region resolution against the division tree, periods, numbers and dates."""

from __future__ import annotations

from datetime import date

import pytest

from minsheng.data.divisions import divisions_by_code, full_name
from minsheng.ingest.documents.metadata import read_metadata, read_period, resolve_region


def test_every_county_resolves_from_its_full_name() -> None:
    """Province + (prefecture) + county names, as titles write them, name exactly that county."""
    by_code = divisions_by_code()
    counties = [r for r in by_code.values() if r.level.value == "county"]
    wrong = []
    for region in counties[::7]:
        found = resolve_region(full_name(region.code, by_code) + "“十四五”公共服务规划")
        if found is None or found.code != region.code:
            wrong.append((region.code, region.name, found and found.code))
    assert len(wrong) <= len(counties[::7]) * 0.01, wrong[:20]


@pytest.mark.parametrize(
    "text", ["“十四五”公共服务规划", "关于加强基层服务的意见", "新建城区配套设施规划"]
)
def test_text_without_a_region_resolves_to_nothing(text: str) -> None:
    assert resolve_region(text) is None


def test_a_bare_name_shared_by_several_counties_is_not_guessed() -> None:
    by_code = divisions_by_code()
    names: dict[str, int] = {}
    for r in by_code.values():
        if r.level.value == "county":
            names[r.name] = names.get(r.name, 0) + 1
    shared = next(n for n, c in sorted(names.items()) if c > 1 and len(n) >= 3)
    assert resolve_region(shared + "规划") is None


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("“十四五”公共服务规划", (2021, 2025)),
        ("十三五规划", (2016, 2020)),
        ("“十五五”规划", (2026, 2030)),
        ("规划期为2021—2025年", (2021, 2025)),
        ("公共服务规划（二〇二一—二〇二五年）", (2021, 2025)),
        ("规划期为二○二六至二○三○年", (2026, 2030)),
        ("二〇二一—二〇四五年", None),  # no plan runs 24 years, and 四五 here is no plan
        ("到二〇二五年基本实现", None),  # 二五 inside a year is not the second five-year plan
        ("没有时期", None),
    ],
)
def test_periods(text: str, period: tuple[int, int] | None) -> None:
    assert read_period(text) == period


def test_metadata_table_signature_and_number() -> None:
    lines = [
        "发布机构: | 某县发展改革委 | 成文日期: | 2022-03-04 | 发布日期: | 2022-03-20 |",
        "浙江省湖州市安吉县人民政府办公室关于印发《安吉县“十四五”公共服务规划》的通知",
        "安政办发〔2022〕12号",
        "各乡镇人民政府：",
        "浙江省湖州市安吉县人民政府办公室",
        "2022年3月4日",
        "浙江省湖州市安吉县“十四五”公共服务规划",
    ]
    meta, warnings = read_metadata(lines)
    assert meta.title == lines[-1]
    assert meta.document_number == "安政办发〔2022〕12号"
    assert meta.issuer == "浙江省湖州市安吉县人民政府办公室"
    assert (meta.issue_date, meta.publish_date) == (date(2022, 3, 4), date(2022, 3, 20))
    assert meta.level is not None and meta.level.value == "county"
    assert (meta.period_start, meta.period_end) == (2021, 2025)
    assert warnings == []


@pytest.mark.parametrize("issuer", ["县人民政府办公室", "区发展和改革委员会", "发展改革委"])
def test_a_placeless_title_signed_by_a_local_body_is_no_national_plan(issuer: str) -> None:
    """“十四五”基本公共服务发展规划 signed 县人民政府办公室 was stored as 全国's plan."""
    lines = ["“十四五”基本公共服务发展规划", issuer, "2022年5月6日"]
    meta, warnings = read_metadata(lines)
    assert meta.region_code is None and meta.level is None
    assert any("region is unknown" in w for w in warnings)


def test_a_placeless_title_signed_by_no_one_still_reads_as_national() -> None:
    meta, _ = read_metadata(["“十四五”公共服务规划", "", "第一章 规划背景"])
    assert meta.region_code == "100000"
