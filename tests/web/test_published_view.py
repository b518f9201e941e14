"""The public reads what is published (issue 10): a draft changes nothing an anonymous visitor
sees — neither the dashboard (API and page) nor the indicator page — until the year is
published, values and evaluation together."""

from __future__ import annotations

PASSWORD = "correct horse battery"  # the accounts fixture's (tests/web/conftest.py)
YEAR = 2025


def _auth(client, username: str) -> dict[str, str]:  # noqa: ANN001
    from minsheng.services.sessions import LoginLimiter

    client.app.state.login_limiter = LoginLimiter()
    response = client.post("/api/auth/token", data={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_a_draft_shows_only_after_the_year_is_published(client, accounts, yongchuan_plan) -> None:  # noqa: ANN001
    plan = yongchuan_plan["id"]
    reporter, analyst = _auth(client, "reporter-500118"), _auth(client, "analyst-500000")
    dashboard = f"/api/plans/{plan}/dashboard"

    def row_of(headers: dict[str, str], name: str) -> dict:
        rows = client.get(dashboard, params={"year": YEAR}, headers=headers).json()["rows"]
        return next(r for r in rows if r["indicator"] == name and r["part"] is None)

    before = client.get(dashboard, params={"year": YEAR}).json()["rows"]
    # a plain percentage row the reporter fills in: a value no stored version holds
    chosen = next(r for r in before if r["unit"] == "%" and r["part"] is None)
    name, old = chosen["indicator"], chosen["value"]
    new = 77.7 if old != 77.7 else 66.6
    ref = {"indicator": name, "region": "500118", "year": YEAR, "plan": plan}
    stored = client.post("/api/observations", json={**ref, "value": new}, headers=reporter)
    assert stored.status_code == 201, stored.text
    # the draft: the analyst above judges on it, the public does not see it
    assert row_of(analyst, name)["value"] == new
    assert row_of({}, name)["value"] == old
    page = client.get(f"/plans/{plan}", params={"year": YEAR}).text
    assert str(new) not in page
    indicator = client.get(
        f"/api/plans/{plan}/indicators/{chosen['plan_indicator_id']}", params={"year": YEAR}
    ).json()
    assert new not in [o["value"] for o in indicator["observed"]]
    assert {o["status"] for o in indicator["observed"]} <= {"published"}

    for action in ("submit", "approve"):
        moved = client.post(f"/api/observations/{action}", json=ref, headers=analyst)
        assert moved.status_code == 200, moved.text
    assert row_of({}, name)["value"] == old  # approved is not yet published
    published = client.post(f"/api/plans/{plan}/publish", json={"year": YEAR}, headers=analyst)
    assert published.status_code == 200, published.text
    assert published.json()["published"] >= 1 and published.json()["records"] > 0
    assert row_of({}, name)["value"] == new
    public = client.get("/api/observations", params={"region": "500118", "year": YEAR}).json()
    assert new in [v["value"] for v in public]


def test_a_report_downloaded_by_the_public_holds_no_draft(client, accounts, yongchuan_plan) -> None:  # noqa: ANN001
    """The report link on the public dashboard built its file from every stored value."""
    plan = yongchuan_plan["id"]
    reporter, analyst = _auth(client, "reporter-500118"), _auth(client, "analyst-500000")
    rows = client.get(f"/api/plans/{plan}/dashboard", params={"year": YEAR}).json()["rows"]
    chosen = next(r for r in rows if r["unit"] == "%" and r["part"] is None)
    draft = 61.37 if chosen["value"] != 61.37 else 62.41
    ref = {"indicator": chosen["indicator"], "region": "500118", "year": YEAR, "plan": plan}
    stored = client.post("/api/observations", json={**ref, "value": draft}, headers=reporter)
    assert stored.status_code == 201, stored.text

    def report(headers: dict[str, str]) -> str:
        got = client.get(
            f"/api/plans/{plan}/report",
            params={"format": "html", "kind": "final", "year": YEAR},
            headers=headers,
        )
        assert got.status_code == 200, got.text
        return got.text

    public, own = report({}), report(analyst)
    assert f"{draft:g}" in own  # the analyst's report judges on the draft, as the pages do
    assert f"{draft:g}" not in public
    assert "仅依据已发布数据" in public and "仅依据已发布数据" not in own
