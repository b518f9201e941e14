"""The reporting cycle and the audit trail through the API and the pages (issue 10)."""

from __future__ import annotations

import pytest

from minsheng.services.sessions import LoginLimiter

PASSWORD = "correct horse battery"  # the accounts fixture's (tests/web/conftest.py)
YEAR = 2022


def _token(client, name: str) -> dict[str, str]:  # noqa: ANN001
    client.app.state.login_limiter = LoginLimiter()
    response = client.post("/api/auth/token", data={"username": name, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_a_due_date_set_through_the_api_shows_in_the_cycle(
    client, accounts, yongchuan_plan
) -> None:  # noqa: ANN001
    analyst = _token(client, "analyst-500000")
    plan = yongchuan_plan["id"]
    put = client.put(f"/api/plans/{plan}/deadlines", json={"year": YEAR, "due": "2023-03-31"},
                     headers=analyst)  # fmt: skip
    assert put.status_code == 200, put.text
    cycle = client.get(f"/api/plans/{plan}/cycle", params={"year": YEAR}, headers=analyst).json()
    assert cycle["due"] == "2023-03-31"
    regions = {r["region"]: r for r in cycle["regions"]}
    assert "500118" in regions and "500116" not in regions  # the plan's region reports, not 江津
    row = regions["500118"]
    assert row["reporters"] == ["reporter-500118"]
    assert row["late"] == (row["missing"] > 0)  # 2023-03-31 has passed
    assert cycle["late"] == sum(r["late"] for r in cycle["regions"])


def test_a_due_date_before_the_year_ends_is_refused_naming_why(
    client, accounts, yongchuan_plan
) -> None:  # noqa: ANN001
    put = client.put(
        f"/api/plans/{yongchuan_plan['id']}/deadlines", json={"year": YEAR, "due": "2022-06-30"},
        headers=_token(client, "analyst-500000"),
    )  # fmt: skip
    assert put.status_code == 422
    assert "before the year ends" in put.json()["error"]["message"]


@pytest.mark.parametrize(("who", "status"), [("reporter-500118", 403), (None, 401)])
def test_the_cycle_is_the_reviewers_view(client, accounts, yongchuan_plan, who, status) -> None:  # noqa: ANN001
    headers = _token(client, who) if who else {}
    response = client.get(
        f"/api/plans/{yongchuan_plan['id']}/cycle", params={"year": YEAR}, headers=headers
    )
    assert response.status_code == status


def test_the_audit_api_shows_a_reporters_write_with_its_address(client, accounts) -> None:  # noqa: ANN001
    reporter = _token(client, "reporter-500118")
    body = {"indicator": "学前教育毛入园率", "region": "500118", "year": YEAR, "value": 77.7}
    assert client.post("/api/observations", json=body, headers=reporter).status_code == 201
    trail = client.get("/api/audit", params={"region": "500118"},
                       headers=_token(client, "analyst-500000")).json()  # fmt: skip
    mine = [e for e in trail if e["actor"] == "reporter-500118" and e["after"]["value"] == 77.7]
    assert mine and mine[0]["origin"] == "testclient"  # the client's address, as the app saw it
    assert mine[0]["region"] == "500118"


@pytest.mark.parametrize(
    ("who", "region", "status"),
    [("reporter-500118", None, 403), ("analyst-500000", "110000", 403), (None, None, 401),
     ("admin", None, 200), ("analyst-500000", None, 200)],
)  # fmt: skip
def test_who_reads_the_audit_api(client, accounts, who, region, status) -> None:  # noqa: ANN001
    headers = _token(client, who) if who else {}
    params = {"region": region} if region else {}
    assert client.get("/api/audit", params=params, headers=headers).status_code == status


def test_the_audit_and_review_pages_in_chinese(
    client, accounts, form_sign_in, yongchuan_plan
) -> None:  # noqa: ANN001
    form_sign_in("analyst-500000")
    try:
        audit = client.get("/audit", headers={"accept": "text/html"})
        assert audit.status_code == 200 and "操作记录" in audit.text and "修改前" in audit.text
        assert "角色: 填报人" in audit.text and "角色: reporter" not in audit.text
        review = client.get("/review", params={"plan": yongchuan_plan["id"], "year": YEAR},
                            headers={"accept": "text/html"})  # fmt: skip
        assert review.status_code == 200 and "报送进度" in review.text
        assert 'id="cycle"' in review.text and "永川区" in review.text
    finally:
        client.cookies.clear()


def test_a_reporter_is_refused_the_audit_page(client, accounts, form_sign_in) -> None:  # noqa: ANN001
    form_sign_in("reporter-500116")
    try:
        page = client.get("/audit", headers={"accept": "text/html"})
        assert page.status_code == 403 and "操作记录" in page.text
    finally:
        client.cookies.clear()


@pytest.fixture
def server_in_new_york(monkeypatch):  # noqa: ANN001, ANN201
    """The server's own zone far from Beijing, so a time shown unconverted would differ."""
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_audit_page_shows_times_in_beijing_time(
    client, accounts, form_sign_in, server_in_new_york
) -> None:  # noqa: ANN001
    """The API gives the instant with its offset; the page the same instant at UTC+8."""
    from datetime import datetime, timedelta, timezone

    reporter = _token(client, "reporter-500118")
    body = {"indicator": "学前教育毛入园率", "region": "500118", "year": YEAR, "value": 66.6}
    assert client.post("/api/observations", json=body, headers=reporter).status_code == 201
    trail = client.get("/api/audit", params={"region": "500118"},
                       headers=_token(client, "analyst-500000")).json()  # fmt: skip
    at = datetime.fromisoformat(next(e["at"] for e in trail if e["after"]["value"] == 66.6))
    assert at.tzinfo is not None
    beijing = at.astimezone(timezone(timedelta(hours=8))).strftime("%Y-%m-%d %H:%M:%S")
    form_sign_in("analyst-500000")
    try:
        page = client.get("/audit", params={"region": "500118"}, headers={"accept": "text/html"})
        assert "北京时间" in page.text and beijing in page.text
    finally:
        client.cookies.clear()


@pytest.fixture
def national_unset(demo_settings, national_plan) -> dict:  # noqa: ANN001
    """The national plan with nothing said of what the regions below report (as stored by the
    demo build): each test starts there, whatever another test set."""
    from sqlalchemy import update

    from minsheng.store.database import Database
    from minsheng.store.models import PlanIndicatorRow

    db = Database(demo_settings.database_url)
    try:
        with db.session() as session:
            session.execute(
                update(PlanIndicatorRow)
                .where(PlanIndicatorRow.plan_id == national_plan["id"])
                .values(reported_below=None)
            )
    finally:
        db.dispose()
    return national_plan


def test_the_regions_below_are_not_set_until_said_through_the_api(
    client, accounts, national_unset
) -> None:  # noqa: ANN001
    plan = national_unset["id"]
    analyst, admin = _token(client, "analyst-500000"), _token(client, "admin")
    cycle = client.get(f"/api/plans/{plan}/cycle", params={"year": YEAR}, headers=analyst).json()
    assert cycle["reported_below"] is None and cycle["plan_region"] == "100000"
    ids = [i["plan_indicator_id"] for i in cycle["indicators"]]
    assert len(ids) == national_unset["indicators"]
    regions = {r["region"]: r for r in cycle["regions"]}
    assert {"500000", "500116", "500118"} <= set(regions)  # 重庆市 and its counties: below
    for row in regions.values():  # neither "all" nor "none": not set
        assert (row["expected"], row["missing"], row["late"]) == (None, None, None)
    # the 重庆市 analyst is not above the national plan's region; a foreign id is refused
    url = f"/api/plans/{plan}/reported-below"
    assert client.put(url, json={"indicators": ids[:2]}, headers=analyst).status_code == 403
    bad = client.put(url, json={"indicators": [ids[0], max(ids) + 10_000]}, headers=admin)
    assert bad.status_code == 422
    assert [p["row"] for p in bad.json()["error"]["problems"]] == [2]
    put = client.put(url, json={"indicators": ids[:3]}, headers=admin)
    assert put.status_code == 200 and put.json()["reported_below"] == ids[:3]
    cycle = client.get(f"/api/plans/{plan}/cycle", params={"year": YEAR}, headers=analyst).json()
    assert cycle["reported_below"] == ids[:3]
    assert [i["reported_below"] for i in cycle["indicators"]] == [i in ids[:3] for i in ids]
    for row in cycle["regions"]:
        assert row["expected"] == 3 and 0 <= row["missing"] <= 3
    trail = client.get("/api/audit", headers=admin).json()
    assert any(e["action"] == "reported_below.set" and e["actor"] == "admin" for e in trail)


def _csrf(page: str) -> str:
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def test_the_review_page_asks_for_the_list_in_chinese_and_sets_it(
    client, accounts, form_sign_in, national_unset
) -> None:  # noqa: ANN001
    plan = national_unset["id"]
    where = {"plan": plan, "year": YEAR}
    form_sign_in("analyst-500000")
    try:
        page = client.get("/review", params=where, headers={"accept": "text/html"}).text
        assert (
            "尚未设定下级地区应报哪些指标" in page
            and "请规划所属地区的分析人员或管理员设定" in page
        )
        cycle = page.split('id="cycle"')[1].split("</table>")[0]
        assert "未设定" in cycle and "迟报" not in cycle  # nobody late on a guess
        # the analyst of 重庆市 may not set it for the national plan: no form is offered …
        assert 'id="reported-below"' not in page and 'name="due"' not in page
        assert 'id="cycle-set-by"' in page
        # … and a post made anyway is refused in Chinese
        refused = client.post("/review", data={**where, "action": "set_below", "below": [],
                                               "csrf_token": _csrf(page)})  # fmt: skip
        assert "analyst-500000无权设定" in refused.text and 'role="alert"' in refused.text
    finally:
        client.cookies.clear()
    form_sign_in("admin")
    try:
        page = client.get("/review", params=where, headers={"accept": "text/html"}).text
        assert 'id="reported-below"' in page and 'id="cycle-set-by"' not in page
        assert page.count('name="below"') == national_unset["indicators"]
        first = page.split('name="below" value="')[1].split('"')[0]
        saved = client.post("/review", data={**where, "action": "set_below", "below": [first],
                                             "csrf_token": _csrf(page)})  # fmt: skip
        assert saved.status_code == 200 and 'role="status"' in saved.text
        assert "尚未设定下级地区应报哪些指标" not in saved.text
        assert f'value="{first}" checked' in saved.text
        english = client.get("/review", params={**where, "lang": "en"},
                             headers={"accept": "text/html"})  # fmt: skip
        assert "Indicators the regions below report" in english.text
    finally:
        client.cookies.clear()


def test_the_review_page_without_a_plan_offers_the_plans_to_review(
    client, accounts, form_sign_in, yongchuan_plan
) -> None:  # noqa: ANN001
    """A bookmark to /review is no mistake: the analyst chooses a plan and a year there."""
    form_sign_in("analyst-500000")
    try:
        home = client.get("/", headers={"accept": "text/html"})
        assert 'href="/review"' in home.text  # in the menu of an analyst
        page = client.get("/review", headers={"accept": "text/html"})
        assert page.status_code == 200 and 'id="plans-to-review"' in page.text
        link = f"/review?plan={yongchuan_plan['id']}&amp;year="
        assert link in page.text
        empty = [p["id"] for p in client.get("/api/plans").json() if not p["indicators"]]
        assert empty and all(f"/review?plan={i}&amp;" not in page.text for i in empty)
        years = [int(part.split('"')[0]) for part in page.text.split(link)[1:]]
        chosen = client.get("/review", params={"plan": yongchuan_plan["id"]},
                            headers={"accept": "text/html"})  # fmt: skip
        assert chosen.status_code == 200 and 'id="cycle"' in chosen.text
        assert f"<h1>审核 · {max(years)}</h1>" in chosen.text  # no year: the plan's last offered
        for bad, field in (
            ({"plan": "abc"}, "规划"),
            ({"plan": yongchuan_plan["id"], "year": "abc"}, "年份"),
        ):
            wrong = client.get("/review", params=bad, headers={"accept": "text/html"})
            assert wrong.status_code == 422 and f"<li>{field}：格式不正确</li>" in wrong.text
    finally:
        client.cookies.clear()
    form_sign_in("reporter-500118")
    try:
        refused = client.get("/review", headers={"accept": "text/html"})
        assert refused.status_code == 403
        assert 'href="/review"' not in client.get("/", headers={"accept": "text/html"}).text
    finally:
        client.cookies.clear()
