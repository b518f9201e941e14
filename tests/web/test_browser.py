"""A browser walk through the app on the demo data: Playwright driving Debian's Chromium.

Starts the app with uvicorn on a free loopback port, visits the home page, the
national and 永川区 dashboards, an indicator page (its chart drawn on a canvas of
real size), the drill-down to a county, the map with its source line and search;
no page may log a console error. Screenshots go under the test's tmp_path.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def _canvas_size(page, selector: str) -> tuple[float, float]:  # noqa: ANN001
    page.wait_for_selector(f"{selector} canvas")
    box = page.locator(f"{selector} canvas").first.bounding_box()
    assert box is not None
    return box["width"], box["height"]


def test_walk_the_app(page, tmp_path: Path, national_plan: dict, yongchuan_plan: dict) -> None:  # noqa: ANN001
    shot = lambda name: page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)  # noqa: E731

    page.goto("/")
    assert page.locator("h1").first.inner_text() == "规划"
    assert page.get_by_role("link", name=national_plan["title"]).first.is_visible()
    shot("01-home")

    page.get_by_role("link", name=national_plan["title"]).first.click()
    page.wait_for_url(f"**/plans/{national_plan['id']}")
    assert page.locator("#indicators tbody tr").count() >= 10
    assert page.locator("#domains").is_visible()
    page.select_option("#year", "2023")
    page.get_by_role("button", name="查看").click()
    page.wait_for_url("**year=2023")
    shot("02-national-dashboard-2023")

    page.goto(f"/plans/{yongchuan_plan['id']}")
    assert "永川" in page.locator("h1").inner_text()
    rows = page.locator("#indicators tbody tr")
    assert rows.count() >= 10
    details = rows.first.locator("details")
    details.locator("summary").click()
    assert details.get_attribute("open") is not None
    shot("03-yongchuan-dashboard")

    # an indicator with observations: its chart is drawn
    rows.filter(has_not=page.locator(".s-no_data")).first.locator("td a").first.click()
    page.wait_for_url("**/indicators/**")
    width, height = _canvas_size(page, "#chart")
    assert width > 200 and height > 200
    assert page.locator("section[aria-labelledby=obs-h] tbody tr").count() >= 1
    shot("04-indicator")

    # drill-down: 全国 → 重庆市 → 重庆市市辖区 → 永川区
    page.goto("/regions/100000")
    for name in ("重庆市", "重庆市市辖区", "永川区"):
        with page.expect_navigation():
            page.locator("ul.drill").get_by_role("link", name=name, exact=True).click()
        assert name in page.locator("h1").inner_text()
    assert page.locator("article.card").count() >= 1
    shot("05-county")

    page.goto("/map")
    source = page.locator("#map-source")
    assert "数据来源" in source.inner_text() and "ECharts" in source.inner_text()
    width, height = _canvas_size(page, "#map")
    assert width > 200 and height > 200
    page.wait_for_timeout(500)  # the boundaries arrive by fetch; let them draw
    shot("06-map")

    page.fill("#q", "永川")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=*")
    hits = page.locator("ul.hits li")
    assert hits.count() >= 2
    assert page.get_by_role("link", name="永川区").first.is_visible()
    shot("07-search")


def test_english_and_phone_width(tabs, tmp_path: Path, national_plan: dict) -> None:  # noqa: ANN001
    page = tabs(viewport={"width": 390, "height": 844})
    page.goto(f"/plans/{national_plan['id']}?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="Show").is_visible()
    # the page itself does not scroll sideways; wide tables scroll in their own box
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(tmp_path / "08-phone-en.png"), full_page=True)
    page.goto("/")  # the choice is remembered in a cookie
    assert page.locator("h1").first.inner_text() == "Plans"
    # keyboard: the first Tab reaches the skip link
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"


def test_a_reporter_fills_in_the_form(
    tabs, live_server: str, tmp_path: Path, accounts, yongchuan_plan: dict, client
) -> None:  # noqa: ANN001
    from conftest import DEMO_PASSWORD, sign_in

    page = tabs()
    form = f"/entry?plan={yongchuan_plan['id']}&region=500118&year=2021"
    sign_in(page, form, "reporter-500118")
    assert "<" not in page.title(), page.title()  # the title is words, not the upload form
    page.screenshot(path=str(tmp_path / "09-entry.png"), full_page=True)
    fields = page.locator("input[name^='v:']")
    # one bad value: the row's error is shown and nothing is stored
    fields.nth(0).fill("99.5")
    fields.nth(1).fill("abc")
    page.get_by_role("button", name="保存草稿").click()
    alert = page.locator("[role=alert]").inner_text()
    assert "未导入任何数据" in alert and page.locator("[role=alert] li").count() == 1
    assert "“abc”不是数字" in page.locator("[role=alert] li").first.inner_text()  # in Chinese
    page.screenshot(path=str(tmp_path / "09-entry-error.png"), full_page=True)
    token = client.post(
        "/api/auth/token", data={"username": "reporter-500118", "password": DEMO_PASSWORD}
    )
    as_reporter = {"Authorization": f"Bearer {token.json()['access_token']}"}
    drafts = {"region": "500118", "year": 2021, "status": "draft"}
    assert client.get("/api/observations", params=drafts, headers=as_reporter).json() == []
    page.goto(form)
    fields = page.locator("input[name^='v:']")
    fields.nth(0).fill("99.5")
    fields.nth(1).fill("100")
    # wait for the post's answer: is_visible and count do not wait, and on a loaded machine
    # they read the page the form was posted from
    with page.expect_navigation():
        page.get_by_role("button", name="保存草稿").click()
    assert page.locator("p[role=status]").is_visible()
    assert page.locator("td", has_text="草稿").count() == 2
    with page.expect_navigation():
        page.get_by_role("button", name="提交审核").click()
    assert page.locator("td", has_text="已报送").count() == 2
    page.screenshot(path=str(tmp_path / "10-entry-submitted.png"), full_page=True)
    # the public sees none of it until it is published
    submitted = {"region": "500118", "year": 2021, "status": "submitted"}
    assert len(client.get("/api/observations", params=submitted, headers=as_reporter).json()) == 2
    assert client.get("/api/observations", params=submitted).json() == []
    # a form posted without its CSRF token is refused
    response = page.request.post(
        f"{live_server}/entry",
        form={"plan": str(yongchuan_plan["id"]), "region": "500118", "year": "2021"},
    )
    assert response.status == 403


def test_the_analyst_returns_and_approves(
    tabs, tmp_path: Path, accounts, yongchuan_plan: dict, client
) -> None:  # noqa: ANN001
    from conftest import DEMO_PASSWORD, sign_in

    reporter = client.post(
        "/api/auth/token", data={"username": "reporter-500118", "password": DEMO_PASSWORD}
    ).json()
    headers = {"Authorization": f"Bearer {reporter['access_token']}"}
    for name, value in (("学前教育毛入园率", 96.5), ("九年义务教育巩固率", 99.9)):
        ref = {"indicator": name, "region": "500118", "year": 2022, "plan": yongchuan_plan["id"]}
        assert (
            client.post(
                "/api/observations", json={**ref, "value": value}, headers=headers
            ).status_code
            == 201
        )
        assert client.post("/api/observations/submit", json=ref, headers=headers).status_code == 200

    page = tabs()
    sign_in(page, f"/review?plan={yongchuan_plan['id']}&year=2022", "analyst-500000")
    rows = page.locator("tbody tr", has=page.locator("button", has_text="通过"))
    assert rows.count() == 2
    rows.first.locator("input[name=comment]").fill("请核实口径")
    with page.expect_navigation():  # the post's answer, not the page it was posted from
        rows.first.get_by_role("button", name="退回").click()
    assert page.locator("[role=status]").is_visible()
    rows = page.locator("tbody tr", has=page.locator("button", has_text="通过"))
    assert rows.count() == 1
    with page.expect_navigation():
        rows.first.get_by_role("button", name="通过").click()
    assert page.locator("tbody tr", has=page.locator("button", has_text="通过")).count() == 0
    page.screenshot(path=str(tmp_path / "11-review.png"), full_page=True)
    found = client.get(
        "/api/observations", params={"region": "500118", "year": 2022}, headers=headers
    ).json()
    # a row mapped to the catalogue is stored in the catalogue's series (named by its code)
    statuses = {v["value"]: v["status"] for v in found}
    assert statuses[96.5] == "draft"  # 学前教育毛入园率, returned with the comment
    assert statuses[99.9] == "approved"  # 九年义务教育巩固率


def test_an_uploaded_template_with_a_bad_row_stores_nothing(
    tabs, tmp_path: Path, accounts, yongchuan_plan: dict, client
) -> None:  # noqa: ANN001
    from openpyxl import load_workbook

    from conftest import DEMO_PASSWORD, sign_in

    page = tabs(accept_downloads=True)
    sign_in(page, f"/entry?plan={yongchuan_plan['id']}&region=500118&year=2023", "reporter-500118")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载填报模板（Excel）").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    book = load_workbook(template)
    sheet = book["2023"]  # one sheet per year: codes in column A, one column per indicator
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "500118")
    sheet.cell(row, 3).value = "abc"  # the one bad cell
    sheet.cell(row, 4).value = 99.0
    sheet.cell(row, 5).value = 95.0
    bad = tmp_path / "filled.xlsx"
    book.save(bad)
    page.set_input_files("#file", str(bad))
    page.get_by_role("button", name="上传填报模板").click()
    alert = page.locator("[role=alert]")
    assert "未导入任何数据" in alert.inner_text()  # the refusal and its rows, in Chinese
    assert re.match(r"第\d+行", alert.locator("li").first.inner_text())
    page.screenshot(path=str(tmp_path / "12-upload-refused.png"), full_page=True)
    token = client.post(
        "/api/auth/token", data={"username": "reporter-500118", "password": DEMO_PASSWORD}
    ).json()
    drafts = client.get(
        "/api/observations",
        params={"region": "500118", "status": "draft", "year": 2023},
        headers={"Authorization": f"Bearer {token['access_token']}"},
    ).json()
    assert drafts == []


def test_the_reporting_cycle_in_the_browser(
    tabs, live_server: str, tmp_path: Path, accounts, yongchuan_plan: dict
) -> None:  # noqa: ANN001
    """永川区 enters, uploads a bad template, submits; 重庆市 returns one, approves, publishes;
    only then does an anonymous visitor see the values."""
    from openpyxl import load_workbook

    from conftest import sign_in

    plan, year = yongchuan_plan["id"], 2020
    shot = lambda p, name: p.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)  # noqa: E731
    anonymous = tabs().context

    def statuses() -> list[str]:  # of the two rows the reporter fills in
        return [
            page.locator("tbody tr", has_text=n).first.locator("td").last.inner_text()
            for n in names
        ]

    def public_values() -> list[float]:
        response = anonymous.request.get(
            f"{live_server}/api/observations", params={"region": "500118", "year": str(year)}
        )
        assert response.status == 200
        return [v["value"] for v in response.json()]

    form = f"/entry?plan={plan}&region=500118&year={year}"
    page = tabs(accept_downloads=True)
    sign_in(page, form, "reporter-500118")
    fields = page.locator("input[name^='v:']")
    names = [fields.nth(i).get_attribute("name")[2:] for i in (0, 1)]
    fields.nth(0).fill("99.1")
    fields.nth(1).fill("98.7")
    with page.expect_navigation():
        page.get_by_role("button", name="保存草稿").click()
    assert statuses() == ["草稿", "草稿"]
    # a template with one bad row: its row named on the page, nothing stored
    with page.expect_download() as download:
        page.get_by_role("link", name="下载填报模板（Excel）").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    book = load_workbook(template)
    sheet = book[next(n for n in book.sheetnames if n.isdigit())]  # one sheet per year
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "500118")
    sheet.cell(row, 3).value = "abc"
    sheet.cell(row, 4).value = 42.0
    book.save(tmp_path / "filled.xlsx")
    page.set_input_files("#file", str(tmp_path / "filled.xlsx"))
    page.get_by_role("button", name="上传填报模板").click()
    alert = page.locator("[role=alert]")
    assert "未导入任何数据" in alert.inner_text()  # the refusal and its rows, in Chinese
    assert re.match(r"第\d+行", alert.locator("li").first.inner_text())
    assert statuses() == ["草稿", "草稿"]  # nothing of the file stored
    shot(page, "13-cycle-upload-refused")
    with page.expect_navigation():
        page.get_by_role("button", name="提交审核").click()
    assert statuses() == ["已报送", "已报送"]
    assert 99.1 not in public_values() and 98.7 not in public_values()

    # the 重庆市 analyst returns the first with a comment
    review = f"/review?plan={plan}&year={year}"
    desk = tabs()
    sign_in(desk, review, "analyst-500000")
    waiting = desk.locator("tbody tr", has=desk.locator("button", has_text="通过"))
    assert waiting.filter(has_text=names[0]).count() == 1
    assert waiting.filter(has_text=names[1]).count() == 1
    returned = waiting.filter(has_text=names[0])
    returned.locator("input[name=comment]").fill("请核实口径")
    with desk.expect_navigation():
        returned.get_by_role("button", name="退回").click()
    assert (
        desk.locator("tbody tr", has=desk.locator("button", has_text="通过"))
        .filter(has_text=names[0])
        .count()
        == 0
    )
    # the reporter corrects it and submits again
    page.goto(form)
    page.locator(f"input[name='v:{names[0]}']").fill("99.3")
    with page.expect_navigation():
        page.get_by_role("button", name="保存草稿").click()
    with page.expect_navigation():
        page.get_by_role("button", name="提交审核").click()
    assert statuses() == ["已报送", "已报送"]
    shot(page, "14-cycle-corrected")
    # the analyst approves both and publishes the year
    desk.goto(review)
    while desk.locator("tbody tr", has=desk.locator("button", has_text="通过")).count():
        with desk.expect_navigation():  # one post at a time, each answered before the next
            desk.locator("tbody tr", has=desk.locator("button", has_text="通过")).first.get_by_role(
                "button", name="通过"
            ).click()
    assert 99.3 not in public_values()  # approved is not yet published
    with desk.expect_navigation():
        desk.get_by_role("button", name="发布本年度数据与评估").click()
    assert desk.locator("[role=status]").is_visible()
    shot(desk, "15-cycle-published")
    seen = public_values()
    assert 99.3 in seen and 98.7 in seen and 99.1 not in seen
