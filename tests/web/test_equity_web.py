"""The equalisation page and API on the demo: the indicator by name and unit, and the regions
without a value named each year (they were dropped silently: 地区数 31, 30, 28 … and no word)."""

from __future__ import annotations

import re

from minsheng.data.divisions import divisions_by_code
from minsheng.domain.regions import Level


def test_each_year_counts_and_names_the_regions_without_a_value(client) -> None:  # noqa: ANN001
    provinces = [r for r in divisions_by_code().values() if r.level is Level.PROVINCE]
    body = client.get("/api/equity", params={"indicator": "CH01", "under": "100000"}).json()
    rows = body["rows"]
    assert rows and all(r["regions"] + r["missing"] == len(provinces) for r in rows), rows
    assert all(len(r["missing_regions"]) == r["missing"] for r in rows)
    gaps = [r for r in rows if r["missing"]]
    assert gaps, "the demo leaves some province out of some year"
    page = client.get("/equity", params={"indicator": "CH01", "lang": "zh"}).text
    for r in gaps:
        row = re.search(rf"<tr><td>{r['year']}</td>(.*?)</tr>", page, re.S).group(1)
        assert all(name in row for name in r["missing_regions"]), (r, row)


def test_the_page_names_the_indicator_and_its_unit_in_both_languages(client) -> None:  # noqa: ANN001
    body = client.get("/api/equity", params={"indicator": "CH01"}).json()
    assert body["indicator"] == "CH01" and body["indicator_name"] and body["unit"]
    zh = client.get("/equity", params={"indicator": "CH01", "lang": "zh"}).text
    h1 = re.search(r"<h1>(.*?)</h1>", zh, re.S).group(1)
    assert body["indicator_name"] in h1 and "CH01" not in h1, h1
    assert f"加权均值（{body['unit']}）" in zh
    assert "无数据的地区" in zh
    en = client.get("/equity", params={"indicator": "CH01", "lang": "en"}).text
    assert f"Weighted mean ({body['unit']})" in en and "Regions without data" in en


def test_a_year_with_one_region_shows_no_spread_rather_than_zero(client) -> None:  # noqa: ANN001
    """Chongqing's counties: only 永川区 reports 学前教育毛入园率, and the page read Gini 0.0000."""
    body = client.get(
        "/api/equity", params={"indicator": "ED01", "under": "500000", "level": "county"}
    ).json()
    single = [r for r in body["rows"] if r["regions"] == 1]
    assert single, body["rows"]
    page = client.get(
        "/equity", params={"indicator": "ED01", "under": "500000", "level": "county", "lang": "zh"}
    ).text
    row = re.search(rf"<tr><td>{single[0]['year']}</td>(.*?)</tr>", page, re.S).group(1)
    cells = re.findall(r'<td class="n">(.*?)</td>', row)
    assert cells[0] == "1" and "0.0000" not in cells and cells.count("—") >= 4, cells
    assert "无法衡量差距" in page
