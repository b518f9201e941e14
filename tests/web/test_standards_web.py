"""Issue 12: the public standards library — API and one page each, on the demo database."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def a_list(client) -> dict:  # noqa: ANN001
    """The stored list with the most items (the demo stores the lists its plans carry)."""
    lists = client.get("/api/standards").json()["lists"]
    assert lists, "the demo stores no basic public service list"
    return max(lists, key=lambda s: s["items"])


@pytest.fixture(scope="module")
def cost_case(a_list) -> tuple[str, int]:  # noqa: ANN001
    """The list's own region (the demo stores its resident population 2020–2025) and a year."""
    assert a_list["region_code"], a_list
    return a_list["region_code"], 2024


def test_library_lists_every_list_and_its_versions(client, a_list) -> None:  # noqa: ANN001
    body = client.get(f"/api/standards/{a_list['id']}").json()
    assert body["name"] == a_list["name"] and body["version"] == a_list["version"]
    assert sum(len(d["items"]) for d in body["domains"]) == a_list["items"]
    assert len(body["versions"]) == a_list["versions"]
    assert body["versions"][0]["diff"] is None
    named = client.get(f"/api/standards/{a_list['id']}/versions/{a_list['version']}").json()
    assert named["id"] == body["id"]
    missing = client.get(f"/api/standards/{a_list['id']}/versions/no-such-version")
    assert missing.status_code == 404 and missing.json()["error"]["type"] == "NotFound"


def test_compare_with_national_accounts_for_every_item(client, a_list) -> None:  # noqa: ANN001
    body = client.get(f"/api/standards/{a_list['id']}/compare", params={"with": "national"}).json()
    assert body["reference"]["id"] is None and body["note"]
    local = len(body["matched"]) + len(body["suggestions"]) + len(body["added"])
    assert local == a_list["items"]
    assert all(0 <= m["score"] <= 100 for m in body["matched"] + body["suggestions"])
    bad = client.get(f"/api/standards/{a_list['id']}/compare", params={"with": "sideways"})
    assert bad.status_code == 422 and "sideways" in bad.json()["error"]["message"]


def test_cost_needs_region_and_year_and_sums_its_lines(client, a_list, cost_case) -> None:  # noqa: ANN001
    assert client.get(f"/api/standards/{a_list['id']}/cost").status_code == 422
    region, year = cost_case
    body = client.get(
        f"/api/standards/{a_list['id']}/cost", params={"region": region, "year": year, "budget": 1}
    ).json()
    base = body["baseline"]
    assert base["total"] == pytest.approx(sum(line["cost"] for line in base["lines"]))
    assert base["budget"] == 1
    if base["lines"]:
        assert base["over_budget"] is True
    unknown = client.get(
        f"/api/standards/{a_list['id']}/cost", params={"region": "990000", "year": year}
    )
    assert unknown.status_code in (404, 422)


def test_pages_in_chinese_and_english(client, a_list, cost_case) -> None:  # noqa: ANN001
    library = client.get("/standards", params={"lang": "zh"}).text
    assert "基本公共服务标准库" in library and f"/standards/{a_list['id']}" in library
    page = client.get(f"/standards/{a_list['id']}").text
    assert a_list["name"] in page and "版本历史" in page and 'name="version"' in page
    compare = client.get(f"/standards/{a_list['id']}/compare", params={"with": "national"}).text
    assert "对照国家标准" in compare and "本级新增项目" in compare
    region, year = cost_case
    cost = client.get(f"/standards/{a_list['id']}/cost", params={"region": region, "year": year})
    assert cost.status_code == 200 and "合计" in cost.text
    english = client.get(f"/standards/{a_list['id']}", params={"lang": "en"}).text
    assert "History" in english
    assert '<a href="/standards">' in client.get("/").text


def test_page_messages_do_not_redefine_existing_keys() -> None:
    from minsheng.web.i18n import MESSAGES
    from minsheng.web.i18n_planning import PLANNING_MESSAGES

    clashes = [k for k, pair in PLANNING_MESSAGES.items() if MESSAGES[k] != pair]
    assert not clashes, clashes
