"""What a walk through every page on the demo data found, over HTTP.

Every link a plan's dashboard offers must answer; a plan read without a region or a
period says so in words (never ``None`` or ``other``); an indicator page agrees with
the dashboard row it was opened from and with the stored history of its values.
"""

from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html

from minsheng.services.observations import history
from minsheng.units import convert


def _main(page: str) -> lxml_html.HtmlElement:
    main = lxml_html.fromstring(page).xpath("//main")[0]
    for node in main.xpath(".//script|.//style"):
        node.drop_tree()
    return main


def test_every_link_on_every_plan_dashboard_answers(client) -> None:  # noqa: ANN001
    plans = client.get("/api/plans").json()
    assert any(not p["indicators"] for p in plans), "the demo should hold a plan without a table"
    dead = []
    for plan in plans:
        main = _main(client.get(f"/plans/{plan['id']}?lang=zh").text)
        text = main.text_content()
        assert not re.search(r"\bNone\b|\bnan\b", text), (plan["id"], text[:300])
        for href in main.xpath(".//p[@class='meta']//a/@href"):
            if href.startswith("/api/"):
                continue  # report downloads: tests/web/test_report_download.py
            status = client.get(href).status_code
            if status != 200:
                dead.append((plan["id"], href, status))
    assert not dead, dead


@pytest.fixture
def unknown(demo_settings):  # noqa: ANN001, ANN201
    """A plan stored from a document that named no region, period or table (removed after)."""
    from minsheng.domain.plans import Plan, PlanMetadata
    from minsheng.services.plans import delete_plan, save_extracted_plan
    from minsheng.store.database import Database

    db = Database(demo_settings.database_url)
    stored = save_extracted_plan(
        db, Plan(metadata=PlanMetadata(), source_file="unread.txt", checksum="ef" * 32)
    )
    yield {"id": stored.id}
    delete_plan(db, stored.id, "delete")
    db.dispose()


def test_a_plan_read_without_region_or_period_says_so(client, unknown) -> None:  # noqa: ANN001
    home = _main(client.get("/?lang=zh").text)
    headings = [h.text_content().strip() for h in home.xpath(".//h2")]
    assert "other" not in headings
    assert "地区未知（文件未写明）" in headings
    english = _main(client.get("/?lang=en").text)
    assert "Region unknown (the document does not name one)" in [
        h.text_content().strip() for h in english.xpath(".//h2")
    ]

    meta = _main(client.get(f"/plans/{unknown['id']}?lang=zh").text).xpath(".//p[@class='meta']")[0]
    assert "规划期未知" in meta.text_content()
    page = _main(client.get(f"/plans/{unknown['id']}?lang=zh").text).text_content()
    assert "未从该文件读出指标表" in page


def test_the_map_of_a_plan_without_indicators_says_why_in_chinese(client) -> None:  # noqa: ANN001
    plans = client.get("/api/plans").json()
    empty = next(p for p in plans if not p["indicators"] and p["region_code"])
    response = client.get(f"/map?plan={empty['id']}&lang=zh", headers={"accept": "text/html"})
    assert response.status_code == 404
    text = _main(response.text).text_content()
    assert "None" not in text
    assert "未读出指标" in text


def test_an_indicator_page_shows_the_nature_its_dashboard_row_shows(client, yongchuan_plan) -> None:  # noqa: ANN001
    rows = client.get(f"/api/plans/{yongchuan_plan['id']}/dashboard").json()["rows"]
    differ = []
    for row in rows:
        one = client.get(f"/api/plans/{yongchuan_plan['id']}/indicators/{row['plan_indicator_id']}")
        if one.json()["nature"] != row["nature"]:
            differ.append((row["indicator"], row["nature"], one.json()["nature"]))
    assert not differ, differ
    # and the page says it in words: no row of this plan shows its nature as a dash
    blank = next(r for r in rows if r["nature"] == "anticipatory")
    page = client.get(
        f"/plans/{yongchuan_plan['id']}/indicators/{blank['plan_indicator_id']}?lang=zh"
    )
    meta = _main(page.text).xpath(".//p[@class='meta']")[0].text_content()
    assert meta.strip().startswith("预期性"), meta


def test_an_indicator_page_lists_every_stored_version(
    client, demo_settings, yongchuan_plan
) -> None:  # noqa: ANN001
    from minsheng.store.database import Database

    client.cookies.clear()  # an anonymous reader (another test may have signed the client in)
    row = client.get(f"/api/plans/{yongchuan_plan['id']}/dashboard").json()["rows"][0]
    data = client.get(
        f"/api/plans/{yongchuan_plan['id']}/indicators/{row['plan_indicator_id']}"
    ).json()
    shown = {(o["year"], o["version"], o["value"]) for o in data["observed"]}
    db = Database(demo_settings.database_url)
    try:
        stored = {
            (year, v.version, v.value)
            for year in range(2020, 2026)
            for v in history(db, row["indicator"], "500118", year, plan=yongchuan_plan["id"])
            if v.status.value == "published"  # the page shows an anonymous reader those only
        }
    finally:
        db.dispose()
    assert stored, "the demo stores 永川区's values"
    assert shown == stored


def _csrf(page: str) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token, "no CSRF token on the page"
    return token.group(1)


def test_an_account_that_may_not_enter_sees_why_instead_of_a_form(
    client, form_sign_in, yongchuan_plan
) -> None:  # noqa: ANN001
    form_sign_in("reader")  # a public account: reads, never enters
    address = f"/entry?plan={yongchuan_plan['id']}&region=500118&year=2025&lang=zh"
    main = _main(client.get(address).text)
    assert "永川区" in main.xpath(".//h1")[0].text_content()
    assert "无权填报数据" in main.xpath(".//*[@role='alert']")[0].text_content()
    assert not main.xpath(".//button[@name='action']"), "a form that can only be refused"
    assert all(
        i.get("disabled") is not None for i in main.xpath(".//input[starts-with(@name, 'v:')]")
    )
    dashboard = _main(client.get(f"/plans/{yongchuan_plan['id']}?lang=zh").text)
    assert not [a for a in dashboard.xpath(".//a/@href") if a.startswith("/entry")]


def test_a_refused_entry_keeps_what_was_typed(client, form_sign_in, yongchuan_plan) -> None:  # noqa: ANN001
    form_sign_in("reporter-500116")  # 江津区's reporter, posting for 永川区
    address = f"/entry?plan={yongchuan_plan['id']}&region=500118&year=2025&lang=zh"
    page = client.get(address).text
    name = _main(page).xpath(".//input[starts-with(@name, 'v:')]/@name")[0]
    response = client.post(
        "/entry?lang=zh",
        data={
            "csrf_token": _csrf(page),
            "plan": yongchuan_plan["id"],
            "region": "500118",
            "year": 2025,
            "action": "save",
            name: "12.345",
        },  # fmt: skip
    )
    assert response.status_code == 200
    main = _main(response.text)
    assert "不能填报500118" in main.text_content()
    assert main.xpath(f".//input[@name='{name}']/@value") == ["12.345"]


def test_a_rate_reads_the_same_on_every_plan_s_card(client, national_plan) -> None:  # noqa: ANN001
    """The national plan writes its rates' unit in the figures (85.2%, >90%), not in a unit
    column: its cards showed 96.92 where 永川区's own plan showed 96.92% for the same value."""
    rows = client.get(f"/api/plans/{national_plan['id']}/dashboard").json()["rows"]
    rate = next(r for r in rows if r["indicator"] == "学前教育毛入园率")
    assert rate["unit"] == "%"
    main = _main(client.get("/regions/500118?lang=zh").text)
    seen: dict[str, set[bool]] = {}
    for card in main.xpath(".//article[@class='card']"):
        for tr in card.xpath(".//tbody/tr"):
            cells = [td.text_content().strip() for td in tr.xpath("./td")]
            if len(cells) > 1 and cells[1] not in ("—", ""):
                # "%", another unit (a plan's own, e.g. 万次), or none (ends with a digit)
                last = cells[1][-1]
                seen.setdefault(cells[0], set()).add(
                    "%" if last == "%" else "bare" if last.isdigit() else "other"
                )
    missing = {name: marks for name, marks in seen.items() if {"%", "bare"} <= marks}
    assert "学前教育毛入园率" in seen
    assert not missing, missing


def test_the_calculation_record_gives_its_time_in_beijing_time(client, yongchuan_plan) -> None:  # noqa: ANN001
    from datetime import datetime

    from minsheng.domain.moments import in_display_zone

    row = client.get(f"/api/plans/{yongchuan_plan['id']}/dashboard").json()["rows"][0]
    address = f"/plans/{yongchuan_plan['id']}/indicators/{row['plan_indicator_id']}"
    computed = client.get(f"/api{address}").json()["record"][0]["computed_at"]
    main = _main(client.get(f"{address}?lang=zh").text)
    shown = main.xpath(".//dt[code='computed_at']/following-sibling::dd[1]")[0].text_content()
    beijing = in_display_zone(datetime.fromisoformat(computed)).strftime("%Y-%m-%d %H:%M:%S")
    assert shown.split() == [*beijing.split(), "北京时间"], shown


def test_every_link_on_a_plan_s_draft_page_answers(client, yongchuan_plan, national_plan) -> None:  # noqa: ANN001
    """永川区's plan has no plan below it: its draft offered a cascade link that answered 404;
    the national plan has one, and keeps the link."""
    offered = {}
    for plan in (yongchuan_plan, national_plan):
        main = _main(client.get(f"/plans/{plan['id']}/draft?lang=zh").text)
        links = [h for h in main.xpath(".//a/@href") if not h.startswith("/api/")]
        offered[plan["id"]] = links
        dead = [(h, s) for h in links if (s := client.get(h).status_code) != 200]
        assert not dead, (plan["id"], dead)
    assert any("/draft/cascade" in h for h in offered[national_plan["id"]])
    assert not any("/draft/cascade" in h for h in offered[yongchuan_plan["id"]])


def test_a_wrong_password_is_said_in_chinese_and_keeps_the_name(client, accounts) -> None:  # noqa: ANN001
    from minsheng.services.sessions import LoginLimiter

    client.app.state.login_limiter = LoginLimiter()
    page = client.get("/login?lang=zh").text
    response = client.post(
        "/login?lang=zh",
        data={
            "username": "reporter-500118",
            "password": "not the password",
            "csrf_token": _csrf(page),
        },
    )
    assert response.status_code == 401
    main = _main(response.text)
    assert main.xpath(".//*[@role='alert']")[0].text_content().strip() == "用户名或密码不正确"
    assert main.xpath(".//input[@id='username']/@value") == ["reporter-500118"]
    client.app.state.login_limiter = LoginLimiter()


def test_an_english_indicator_page_writes_the_unit_in_english_brackets(
    client, yongchuan_plan
) -> None:  # noqa: ANN001
    row = client.get(f"/api/plans/{yongchuan_plan['id']}/dashboard").json()["rows"][0]
    address = f"/plans/{yongchuan_plan['id']}/indicators/{row['plan_indicator_id']}"
    english = _main(client.get(f"{address}?lang=en").text).xpath(".//h1/small")[0].text_content()
    chinese = _main(client.get(f"{address}?lang=zh").text).xpath(".//h1/small")[0].text_content()
    assert english == f"({row['unit']})" and chinese == f"（{row['unit']}）"


def test_the_review_counts_regions_by_code_in_code_order(
    client, form_sign_in, national_plan
) -> None:  # noqa: ANN001
    """Keyed by name, the table ran 上海市, 云南省, 全国… (and would merge two regions of one name)."""
    form_sign_in("admin")
    main = _main(client.get(f"/review?plan={national_plan['id']}&year=2025&lang=zh").text)
    section = main.xpath(".//h2[text()='各地区报送情况']/following::table[1]")[0]
    codes = [c.text_content() for c in section.xpath(".//tbody/tr/td[1]/span[@class='code']")]
    assert len(codes) > 10
    assert codes == sorted(codes)


def test_a_county_seen_from_the_national_plan_shows_its_values_in_the_plans_unit(
    client,
    national_plan,  # noqa: ANN001
) -> None:
    """永川区 entered 养老服务床位总量 in 张; the national plan counts 万张. The page showed
    6,897万张 and drew a target path from 永川区's 3,980 to the nation's 1,000 (万张); now
    it shows 0.6897万张, the value as entered beside it."""
    rows = client.get(f"/api/plans/{national_plan['id']}/dashboard").json()["rows"]
    judged, other_unit = 0, 0
    for row in rows:
        address = (
            f"/plans/{national_plan['id']}/indicators/{row['plan_indicator_id']}?region=500118"
        )
        data = client.get(f"/api{address}").json()
        if data["record"][0]["status"] == "not_assessable":
            judged += 1
            assert data["trajectory"] == [] and data["required"] == [], row["indicator"]
        differing = [o for o in data["observed"] if o["entered_unit"]]
        if data["unit"] == "%":  # a rate whose row leaves its unit column blank: nothing to say
            assert not differing, (row, differing)
        if differing:
            other_unit += 1
            for o in differing:
                assert o["unit"] == data["unit"], row
                assert o["value"] == pytest.approx(
                    convert(o["entered_value"], o["entered_unit"], data["unit"])
                )
            cells = _main(client.get(f"{address}&lang=zh").text).xpath(
                ".//section[@aria-labelledby='obs-h']//tbody/tr/td[2]"
            )
            texts = [c.text_content() for c in cells]
            assert all(data["unit"] in t for t in texts), row
            assert sum(f"{differing[0]['entered_unit']}）" in t for t in texts) == len(differing)
    assert judged and other_unit, (judged, other_unit)


def test_every_link_on_the_standards_pages_answers(client) -> None:  # noqa: ANN001
    """永川区's list has no list above it: its page offered 与上级比较, which answered 404."""
    lists = client.get("/api/standards").json()["lists"]
    assert lists
    pages = ["/standards"] + [
        f"/standards/{s['id']}{tail}" for s in lists for tail in ("", "/compare?with=national")
    ]
    dead = []
    for address in pages:
        main = _main(client.get(f"{address}{'&' if '?' in address else '?'}lang=zh").text)
        for href in main.xpath(".//a/@href"):
            if href.startswith("/standards") and (status := client.get(href).status_code) != 200:
                dead.append((address, href, status))
    assert not dead, dead


def test_a_cost_with_nothing_costed_shows_no_total_of_zero(client) -> None:  # noqa: ANN001
    """永川区's list names no amounts: the page showed 合计 0 元 above 81 items not costed."""
    list_id = client.get("/api/standards").json()["lists"][0]["id"]
    query = "region=500118&year=2023"
    body = client.get(f"/api/standards/{list_id}/cost?{query}").json()["baseline"]
    assert not body["lines"] and body["not_costed"], "the demo's list names no amounts"
    main = _main(client.get(f"/standards/{list_id}/cost?{query}&lang=zh").text)
    assert not main.xpath(".//tfoot"), "a total of 0 for nothing costed"
    assert "没有可测算的项目" in main.xpath(".//*[@role='status']")[0].text_content()
    assert main.xpath(".//details[@open]//li"), "the reasons are shown, not folded away"


def test_a_bound_target_keeps_its_sign_on_the_dashboard_and_region_cards(
    client, yongchuan_plan
) -> None:  # noqa: ANN001
    """永川区 aims at >95% 基本医疗保险参保率; the dashboard's 目标值 read 95% (reach 95)."""
    rows = client.get(f"/api/plans/{yongchuan_plan['id']}/dashboard").json()["rows"]
    bound = next(r for r in rows if r["target_kind"] == "above" and r["target"] is not None)
    dashboard = _main(client.get(f"/plans/{yongchuan_plan['id']}?lang=zh").text)
    for tr in dashboard.xpath(".//table[@id='indicators']/tbody/tr"):
        if tr.xpath("./td[1]/a")[0].text_content() == bound["indicator"]:
            assert tr.xpath("./td[@data-label='目标值']")[0].text_content().strip().startswith(">")
            break
    else:
        raise AssertionError(f"{bound['indicator']} not on the dashboard")
    region = _main(client.get("/regions/500118?lang=zh").text)
    cells = [
        tr.xpath("./td[3]")[0].text_content().strip()
        for tr in region.xpath(".//article[@class='card'][1]//tbody/tr")
        if tr.xpath("./td[1]")[0].text_content().strip() == bound["indicator"]
    ]
    assert cells and cells[0].startswith(">"), cells


def test_the_calculation_record_says_yes_or_no_in_the_page_s_language(
    client, yongchuan_plan
) -> None:  # noqa: ANN001
    row = client.get(f"/api/plans/{yongchuan_plan['id']}/dashboard").json()["rows"][0]
    address = f"/plans/{yongchuan_plan['id']}/indicators/{row['plan_indicator_id']}"
    for lang, words in (("zh", {"是", "否"}), ("en", {"Yes", "No"})):
        main = _main(client.get(f"{address}?lang={lang}").text)
        shown = main.xpath(".//dt[code='warning']/following-sibling::dd[1]")[0].text_content()
        assert shown in words, (lang, shown)
        record = main.xpath(".//dl[@class='record']")[0].text_content()
        assert "True" not in record and "False" not in record


def test_an_indicator_page_for_a_region_outside_the_plan_says_why_in_chinese(
    client, yongchuan_plan
) -> None:  # noqa: ANN001
    row = client.get(f"/api/plans/{yongchuan_plan['id']}/dashboard").json()["rows"][0]
    address = f"/plans/{yongchuan_plan['id']}/indicators/{row['plan_indicator_id']}"
    response = client.get(f"{address}?region=110000&lang=zh", headers={"accept": "text/html"})
    assert response.status_code == 404
    alert = _main(response.text).xpath(".//*[@role='alert']")[0].text_content()
    assert "110000" in alert and row["indicator"] in alert and "评估结果" in alert, alert


def test_a_region_card_shows_a_value_in_the_unit_it_was_entered_in(client, national_plan) -> None:  # noqa: ANN001
    """永川区's 养老服务床位总量 is entered in 张; the national plan's card printed 6,897万张."""
    body = client.get("/api/regions/500118").json()
    national = next(p for p in body["plans"] if p["plan"]["id"] == national_plan["id"])
    differing = [r for r in national["rows"] if r["value_unit"]]
    assert differing, "the demo enters some of 永川区's values in the county plan's units"
    main = _main(client.get("/regions/500118?lang=zh").text)
    card = next(
        c for c in main.xpath(".//article[@class='card']")
        if c.xpath(".//h3//a/@href|.//a/@href")[0] == f"/plans/{national_plan['id']}"
    )  # fmt: skip
    cells = {
        tr.xpath("./td[1]")[0].text_content().strip(): tr.xpath("./td[2]")[0].text_content().strip()
        for tr in card.xpath(".//tbody/tr")
    }
    for row in differing:
        shown = re.sub(r"^[-\d,.]+", "", cells[row["indicator"]])  # the unit after the figure
        assert shown == row["value_unit"], (row["indicator"], cells[row["indicator"]])
