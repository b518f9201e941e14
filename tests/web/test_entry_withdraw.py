"""Withdrawing a value from the data entry page: the reason asked, the value gone from every read.

Over HTTP with the test client, signed in as the 永川区 reporter (a draft of its own: the
value it may correct, so withdraw), in Chinese with the English switch.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

YEAR = 2024
REGION = "500118"


def _main(page: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(page).xpath("//main")[0]


def _csrf(page: str) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token, "no CSRF token on the page"
    return token.group(1)


def test_a_reporter_withdraws_a_draft_from_the_entry_page(
    client, form_sign_in, yongchuan_plan
) -> None:  # noqa: ANN001
    plan = yongchuan_plan["id"]
    address = f"/entry?plan={plan}&region={REGION}&year={YEAR}"
    form_sign_in("reporter-500118")
    try:
        page = client.get(address + "&lang=zh").text
        field = _main(page).xpath(".//input[starts-with(@name, 'v:')]/@name")[-1]
        name = field[2:]
        fields = {"csrf_token": _csrf(page), "plan": plan, "region": REGION, "year": YEAR}
        saved = client.post("/entry?lang=zh", data={**fields, "action": "save", field: "51.37"})
        main = _main(saved.text)
        assert not main.xpath(".//*[@role='alert']"), main.text_content()[:500]
        assert name in main.xpath(".//select[@name='indicator']/option/@value")
        assert "撤回数值" in main.text_content() and "撤回理由" in main.text_content()
        english = _main(client.get(address + "&lang=en").text).text_content()
        assert "Withdraw a value" in english and "撤回" not in english

        # no reason: refused in one line, in Chinese, and the value stays
        refused = client.post("/entry/withdraw?lang=zh", data={**fields, "indicator": name})
        assert refused.status_code == 200
        alert = _main(refused.text).xpath(".//*[@role='alert']")[0].text_content()
        assert "撤回数据须说明理由" in alert and "Traceback" not in refused.text
        assert _main(refused.text).xpath(f".//input[@name='{field}']/@value") == ["51.37"]

        done = client.post(
            "/entry/withdraw?lang=zh", data={**fields, "indicator": name, "reason": "误填为本区"}
        )
        main = _main(done.text)
        assert f"已撤回: {name}" in main.xpath(".//*[@role='status']")[0].text_content()
        assert main.xpath(f".//input[@name='{field}']/@value") == [""]  # no current value
        assert name not in main.xpath(".//select[@name='indicator']/option/@value")
        seen = client.get("/api/observations", params={"region": REGION, "year": YEAR}).json()
        assert 51.37 not in [v["value"] for v in seen]

        # a second withdrawal has nothing to take back; said in English on the switch
        again = client.post(
            "/entry/withdraw?lang=en", data={**fields, "indicator": name, "reason": "again"}
        )
        assert "no value of" in _main(again.text).xpath(".//*[@role='alert']")[0].text_content()
    finally:
        client.cookies.clear()

    # the audit trail names the withdrawal, who made it and why
    form_sign_in("analyst-500000")
    try:
        audit = client.get("/audit?lang=zh", headers={"accept": "text/html"}).text
        rows = [
            r.text_content()
            for r in _main(audit).xpath(".//tr")
            if "撤回数据" in r.text_content() and name in r.text_content()
        ]
        assert rows and "reporter-500118" in rows[0]
    finally:
        client.cookies.clear()
