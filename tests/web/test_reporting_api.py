"""The reporting API (issue 10): tokens, entering values by role and region, who sees what."""

from __future__ import annotations

import pytest

from minsheng.services.sessions import LoginLimiter

PASSWORD = "correct horse battery"  # the accounts fixture's (tests/web/conftest.py)


def _token(client, username: str, password: str = PASSWORD) -> str:  # noqa: ANN001
    response = client.post("/api/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    return body["access_token"]


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


VALUE = {
    "indicator": "学前教育毛入园率",
    "region": "500118",
    "year": 2024,
    "value": 93.5,
    "unit": "%",
}


def test_token_and_wrong_password(client, accounts) -> None:  # noqa: ANN001
    assert _token(client, "reporter-500118")
    wrong = client.post("/api/auth/token", data={"username": "reporter-500118", "password": "nope"})
    assert wrong.status_code == 401
    assert wrong.json()["error"]["type"] == "NotAuthenticated"
    unknown = client.post("/api/auth/token", data={"username": "nobody", "password": "nope"})
    assert unknown.status_code == 401


def test_a_reporter_enters_a_draft_for_its_own_county_only(client, accounts) -> None:  # noqa: ANN001
    token = _token(client, "reporter-500118")
    assert client.post("/api/observations", json=VALUE).status_code == 401
    forged = client.post("/api/observations", json=VALUE, headers=_auth(token + "x"))
    assert forged.status_code == 401
    stored = client.post("/api/observations", json=VALUE, headers=_auth(token))
    assert stored.status_code == 201, stored.text
    body = stored.json()
    assert body["status"] == "draft" and body["region"] == "500118" and body["value"] == 93.5
    assert body["entered_by"] == "reporter-500118"
    sibling = client.post(
        "/api/observations", json={**VALUE, "region": "500116"}, headers=_auth(token)
    )
    assert sibling.status_code == 403
    reader = client.post("/api/observations", json=VALUE, headers=_auth(_token(client, "reader")))
    assert reader.status_code == 403


def test_bad_input_names_the_field(client, accounts) -> None:  # noqa: ANN001
    token = _token(client, "reporter-500118")
    response = client.post(
        "/api/observations", json={**VALUE, "year": "soon"}, headers=_auth(token)
    )
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["error"]["problems"]] == ["year"]
    missing = client.post("/api/observations", json={"region": "500118"}, headers=_auth(token))
    assert missing.status_code == 422
    assert {"indicator", "year", "value"} <= {
        p["field"] for p in missing.json()["error"]["problems"]
    }


def test_drafts_are_seen_by_their_subtree_not_by_the_public_or_a_sibling(client, accounts) -> None:  # noqa: ANN001
    own = _token(client, "reporter-500118")
    client.post(
        "/api/observations", json={**VALUE, "year": 2025, "value": 94.0}, headers=_auth(own)
    )
    query = {"region": "500118", "year": 2025, "status": "draft"}
    mine = client.get("/api/observations", params=query, headers=_auth(own)).json()
    assert [v["value"] for v in mine] == [94.0]
    analyst = client.get(
        "/api/observations", params=query, headers=_auth(_token(client, "analyst-500000"))
    ).json()
    assert [v["value"] for v in analyst] == [94.0]
    sibling = client.get(
        "/api/observations", params=query, headers=_auth(_token(client, "reporter-500116"))
    ).json()
    assert sibling == []
    public = client.get("/api/observations", params=query).json()
    assert public == []
    published = client.get("/api/observations", params={"region": "100000"}).json()
    assert published and {v["status"] for v in published} == {"published"}


@pytest.fixture
def fresh_limiter(client):  # noqa: ANN001, ANN201
    """A limiter with no failures counted, put back fresh afterwards (the app's own class)."""
    client.app.state.login_limiter = LoginLimiter()
    yield client.app.state.login_limiter
    client.app.state.login_limiter = LoginLimiter()


def test_failed_logins_are_limited_per_account(client, accounts, fresh_limiter) -> None:  # noqa: ANN001
    for _ in range(5):
        bad = client.post("/api/auth/token", data={"username": "analyst-500000", "password": "x"})
        assert bad.status_code == 401
    limited = client.post("/api/auth/token", data={"username": "analyst-500000", "password": "x"})
    assert limited.status_code == 429
    # even the right password waits until the window has passed
    right = client.post(
        "/api/auth/token", data={"username": "analyst-500000", "password": PASSWORD}
    )
    assert right.status_code == 429


def test_failed_logins_are_limited_per_address(client, accounts, fresh_limiter) -> None:  # noqa: ANN001
    for n in range(5):
        bad = client.post("/api/auth/token", data={"username": f"guess-{n}", "password": "x"})
        assert bad.status_code == 401
    other = client.post(
        "/api/auth/token", data={"username": "reporter-500116", "password": PASSWORD}
    )
    assert other.status_code == 429


def test_the_reporting_cycle(client, accounts) -> None:  # noqa: ANN001
    reporter = _auth(_token(client, "reporter-500118"))
    analyst = _auth(_token(client, "analyst-500000"))
    sibling = _auth(_token(client, "reporter-500116"))
    ref = {"indicator": "九年义务教育巩固率", "region": "500118", "year": 2024}
    public = {
        "indicator": "九年义务教育巩固率",
        "region": "500118",
        "year": 2024,
        "status": "published",
    }

    def seen_by_public() -> list[float]:
        return [v["value"] for v in client.get("/api/observations", params=public).json()]

    assert (
        client.post("/api/observations", json={**ref, "value": 96.0}, headers=reporter).status_code
        == 201
    )
    # a reporter can neither approve nor touch a sibling county's values
    assert client.post("/api/observations/submit", json=ref, headers=sibling).status_code == 403
    submitted = client.post("/api/observations/submit", json=ref, headers=reporter)
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert client.post("/api/observations/approve", json=ref, headers=reporter).status_code == 403
    # returning needs a comment
    assert client.post("/api/observations/return", json=ref, headers=analyst).status_code == 422
    returned = client.post(
        "/api/observations/return", json={**ref, "comment": "口径有误"}, headers=analyst
    )
    assert returned.status_code == 200 and returned.json()["status"] == "draft"
    assert returned.json()["note"] == "口径有误"  # the reporter reads why
    fixed = client.post(
        "/api/corrections", json={**ref, "value": 95.5, "comment": "按口径更正"}, headers=reporter
    )
    assert fixed.status_code == 200 and fixed.json()["value"] == 95.5
    assert client.post("/api/observations/submit", json=ref, headers=reporter).status_code == 200
    assert client.post("/api/observations/publish", json=ref, headers=analyst).status_code == 409
    assert client.post("/api/observations/approve", json=ref, headers=analyst).status_code == 200
    assert 95.5 not in seen_by_public()  # at most the value published before
    published = client.post("/api/observations/publish", json=ref, headers=analyst)
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert seen_by_public() == [95.5]
    assert client.post("/api/observations/publish", json=ref).status_code == 401


def test_the_login_form_refuses_a_post_without_its_csrf_token_and_limits_failures(
    client, accounts, fresh_limiter
) -> None:  # noqa: ANN001
    form = {"username": "reporter-500118", "password": PASSWORD}
    refused = client.post("/login", data=form, headers={"accept": "text/html"})
    assert refused.status_code == 403  # no token, no cookie: refused before the password is read
    client.get("/login")  # sets the CSRF cookie; the page carries the matching token
    page = client.get("/login").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    forged = client.post("/login", data={**form, "csrf_token": token + "0"})
    assert forged.status_code == 403
    for _ in range(5):
        wrong = client.post("/login", data={**form, "password": "x", "csrf_token": token})
        assert wrong.status_code == 401
    limited = client.post("/login", data={**form, "csrf_token": token}, follow_redirects=False)
    assert limited.status_code == 429
    fresh_limiter.__init__()  # the window passed: the right password signs in
    signed_in = client.post("/login", data={**form, "csrf_token": token}, follow_redirects=False)
    assert signed_in.status_code == 303 and "session" in signed_in.cookies
    client.cookies.clear()
