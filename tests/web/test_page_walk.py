"""What a walk through every page on the demo data found, over HTTP.

Every link a plan's dashboard offers must answer; a plan read without a region or a
period says so in words (never ``None`` or ``other``); an indicator page agrees with
the dashboard row it was opened from and with the stored history of its values.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

from minsheng.services.observations import history


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


def test_a_plan_read_without_region_or_period_says_so(client) -> None:  # noqa: ANN001
    plans = client.get("/api/plans").json()
    unknown = next(p for p in plans if not p["region_code"] and not p["period_start"])

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
        }
    finally:
        db.dispose()
    assert stored, "the demo stores 永川区's values"
    assert shown == stored
