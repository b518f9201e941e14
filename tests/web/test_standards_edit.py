"""Revising a service list by hand in the web app (issue 12): a new version, the old one kept."""

from __future__ import annotations

import re

from minsheng.services.sessions import LoginLimiter

PASSWORD = "correct horse battery"  # the accounts fixture's (tests/web/conftest.py)


def _district_list(client) -> dict:  # noqa: ANN001
    lists = client.get("/api/standards").json()["lists"]
    return next(s for s in lists if s["region_code"] == "500118")


def _form(page: str) -> dict[str, list[str]]:
    """The edit form's fields as the browser would post them, in order."""
    form: dict[str, list[str]] = {}
    for tag in re.findall(r"<input[^>]*>", page):
        named = re.search(r'name="([^"]+)"', tag)
        if named and 'type="checkbox"' not in tag:  # an unticked box is not posted
            value = re.search(r'value="([^"]*)"', tag)
            form.setdefault(named.group(1), []).append(value.group(1) if value else "")
    return form


def test_an_analyst_revises_the_district_list_in_the_browser(
    client, accounts, form_sign_in
) -> None:  # noqa: ANN001
    before = _district_list(client)
    form_sign_in("analyst-500000")
    try:
        page = client.get(f"/standards/{before['id']}/edit", headers={"accept": "text/html"})
        assert page.status_code == 200 and "修订清单" in page.text
        form = _form(page.text)
        n = before["items"]
        assert len(form["item"]) == n + 5  # every item, and five empty rows to add
        form["standard"][0] = "每人每年不低于100元"  # one standard changed
        form["domain"][n], form["item"][n] = "幼有所育", "新增的测试服务项目"  # one added
        form["reason"] = ["年度核对"]
        saved = client.post(f"/standards/{before['id']}/edit", data=form, follow_redirects=False)
        assert saved.status_code == 303, saved.text
        new_id = int(saved.headers["location"].rsplit("/", 1)[1])
        revised = client.get(f"/api/standards/{new_id}").json()
        items = [i for d in revised["domains"] for i in d["items"]]
        assert len(items) == n + 1 and "新增的测试服务项目" in {i["item"] for i in items}
        assert revised["version"] != before["version"] and revised["author"] == "analyst-500000"
        latest = revised["versions"][-1]
        assert latest["diff"]["added"] == ["新增的测试服务项目"]
        assert len(latest["diff"]["changed"]) == 1 and not latest["diff"]["removed"]
        old = client.get(f"/api/standards/{before['id']}/versions/{before['version']}").json()
        assert len([i for d in old["domains"] for i in d["items"]]) == n  # the old one kept
        trail = client.get("/audit", headers={"accept": "text/html"}).text
        assert "修订服务清单" in trail
    finally:
        client.cookies.clear()


def test_a_revision_without_a_reason_or_with_a_nameless_item_changes_nothing(
    client, accounts, form_sign_in
) -> None:  # noqa: ANN001
    before = _district_list(client)
    form_sign_in("analyst-500000")
    try:
        form = _form(client.get(f"/standards/{before['id']}/edit").text)
        form["item"][0] = ""  # a row with its other fields but no name
        refused = client.post(f"/standards/{before['id']}/edit", data=form,
                              headers={"accept": "text/html"})  # fmt: skip
        assert refused.status_code == 422
        assert "清单未修改" in refused.text and "修订原因" in refused.text
        assert _district_list(client)["version"] == before["version"]
    finally:
        client.cookies.clear()


def test_the_api_names_the_rows_of_a_bad_revision(client, accounts) -> None:  # noqa: ANN001
    client.app.state.login_limiter = LoginLimiter()
    token = client.post("/api/auth/token",
                        data={"username": "admin", "password": PASSWORD}).json()  # fmt: skip
    target = _district_list(client)
    items = [{"domain": "幼有所育", "item": "甲项"}, {"domain": "幼有所育", "item": "甲项"}]
    response = client.put(f"/api/standards/{target['id']}", json={"reason": "x", "items": items},
                          headers={"Authorization": f"Bearer {token['access_token']}"})  # fmt: skip
    assert response.status_code == 422
    assert [p["row"] for p in response.json()["error"]["problems"]] == [2]


def test_a_revision_that_removes_every_item_is_refused(client, accounts) -> None:  # noqa: ANN001
    client.app.state.login_limiter = LoginLimiter()
    token = client.post("/api/auth/token",
                        data={"username": "admin", "password": PASSWORD}).json()  # fmt: skip
    target = _district_list(client)
    response = client.put(f"/api/standards/{target['id']}", json={"reason": "清空", "items": []},
                          headers={"Authorization": f"Bearer {token['access_token']}"})  # fmt: skip
    assert response.status_code == 422
    assert _district_list(client)["version"] == target["version"]


def test_a_pasted_100_kb_cell_in_the_form_is_refused_with_its_row(
    client, accounts, form_sign_in
) -> None:  # noqa: ANN001
    before = _district_list(client)
    form_sign_in("analyst-500000")
    try:
        form = _form(client.get(f"/standards/{before['id']}/edit").text)
        form["content"][2] = "很长的文字" * 20_000  # 100,000 characters in one cell
        form["reason"] = ["粘贴"]
        refused = client.post(f"/standards/{before['id']}/edit", data=form,
                              headers={"accept": "text/html"})  # fmt: skip
        assert refused.status_code == 422
        assert "第3行 服务内容：共 100000 字，最多 4000 字" in refused.text  # the Chinese page
        assert _district_list(client)["version"] == before["version"]
    finally:
        client.cookies.clear()
