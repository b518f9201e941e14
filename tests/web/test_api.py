"""Every /api path of the OpenAPI description, called on the demo database: status and schema.

The cases are generated from /openapi.json: each path's parameters are filled from
the demo data (a known plan, indicator, region), the answer must be 200 and match
the documented schema; a path with an unknown id must give 404 in the one error shape.
"""

from __future__ import annotations

import re

import jsonschema
import pytest


def _validate(spec: dict, schema: dict, body: object) -> None:
    jsonschema.validate(body, {**schema, "components": spec["components"]})


def _ok_schema(spec: dict, path: str) -> dict:
    return spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]


def _error_schema(spec: dict) -> dict:
    return {"$ref": "#/components/schemas/ErrorOut"}


@pytest.fixture(scope="module")
def spec(client) -> dict:  # noqa: ANN001
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


@pytest.fixture(scope="module")
def values(client, national_plan: dict) -> dict[str, str]:  # noqa: ANN001
    """A valid value for every path or query parameter name the API uses."""
    dashboard = client.get(f"/api/plans/{national_plan['id']}/dashboard").json()
    judged = next(r for r in dashboard["rows"] if r["status"] != "no_data")
    lists = client.get("/api/standards").json()["lists"]
    standard = next(s for s in lists if s["region_code"])
    return {
        "plan_id": str(national_plan["id"]),
        "plan_indicator_id": str(judged["plan_indicator_id"]),
        "code": "500118",
        "q": "永川",
        "list_id": str(standard["id"]),
        "version": standard["version"],
        "region": standard["region_code"],
        "year": "2024",
    }


@pytest.fixture(scope="module")
def admin_headers(client, accounts) -> dict[str, str]:  # noqa: ANN001
    """A bearer token of the demo's admin, for the paths that document 401 (signed-in readers)."""
    from minsheng.services.sessions import LoginLimiter

    client.app.state.login_limiter = LoginLimiter()
    token = client.post("/api/auth/token",
                        data={"username": "admin", "password": "correct horse battery"})  # fmt: skip
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def _headers(spec: dict, path: str, admin: dict[str, str]) -> dict[str, str]:
    """Anonymous where the path is public; the admin's token where it says 401 without one."""
    return admin if "401" in spec["paths"][path]["get"]["responses"] else {}


def _api_paths(spec: dict) -> list[str]:
    return sorted(p for p in spec["paths"] if p.startswith("/api/") and "get" in spec["paths"][p])


def test_every_api_path_answers_with_its_documented_schema(
    client, spec, values, admin_headers
) -> None:  # noqa: ANN001
    paths = _api_paths(spec)
    assert len(paths) >= 9, paths
    checked = []
    for path in paths:
        operation = spec["paths"][path]["get"]
        url = path
        query = {}
        for param in operation.get("parameters", []):
            name = param["name"]
            if param["in"] == "path":
                assert name in values, f"{path}: no demo value for path parameter {name}"
                url = url.replace("{" + name + "}", values[name])
            elif param.get("required"):
                assert name in values, f"{path}: no demo value for required parameter {name}"
                query[name] = values[name]
        response = client.get(url, params=query, headers=_headers(spec, path, admin_headers))
        assert response.status_code == 200, (url, response.text[:300])
        media = response.headers["content-type"].split(";")[0]
        if media != "application/json":  # a file download: one of its documented types
            assert media in operation["responses"]["200"]["content"], (url, media)
        else:
            _validate(spec, _ok_schema(spec, path), response.json())
        checked.append(path)
    assert checked == paths


def test_unknown_ids_give_404_in_the_one_error_shape(client, spec, values, admin_headers) -> None:  # noqa: ANN001
    for path in _api_paths(spec):
        names = re.findall(r"{(\w+)}", path)
        if not names:
            continue
        url = path
        for name in names:
            url = url.replace("{" + name + "}", "999999" if name != "code" else "990000")
        required = {  # valid required query parameters, so only the unknown id is wrong
            p["name"]: values[p["name"]]
            for p in spec["paths"][path]["get"].get("parameters", [])
            if p["in"] == "query" and p.get("required")
        }
        response = client.get(url, params=required, headers=_headers(spec, path, admin_headers))
        assert response.status_code == 404, (url, response.text[:300])
        assert "404" in spec["paths"][path]["get"]["responses"], path
        _validate(spec, _error_schema(spec), response.json())
        assert response.json()["error"]["type"] == "NotFound"


def test_bad_input_is_422_with_the_field_named(client, spec, national_plan) -> None:  # noqa: ANN001
    response = client.get(f"/api/plans/{national_plan['id']}/dashboard", params={"year": "abc"})
    assert response.status_code == 422
    _validate(spec, _error_schema(spec), response.json())
    assert response.json()["error"]["problems"][0]["field"] == "year"
    outside = client.get(f"/api/plans/{national_plan['id']}/dashboard", params={"year": 1990})
    assert outside.status_code == 422
    assert "1990" in outside.json()["error"]["message"]


def test_dashboard_puts_binding_warnings_first_and_counts_by_domain(client, national_plan) -> None:  # noqa: ANN001
    body = client.get(f"/api/plans/{national_plan['id']}/dashboard", params={"year": 2023}).json()
    assert body["year"] == 2023 and 2021 in body["years"] and 2025 in body["years"]
    flags = [r["warning"] for r in body["rows"]]
    assert flags == sorted(flags, reverse=True)
    assert sum(d["warnings"] for d in body["domains"]) == body["counts"]["warnings"]
    assert sum(sum(d["counts"].values()) for d in body["domains"]) == len(body["rows"])
    assert all(r["reason"] for r in body["rows"])
    assert all(r["region"] == national_plan["region_code"] for r in body["rows"])


def test_english_switch_translates_labels(client, national_plan) -> None:  # noqa: ANN001
    url = f"/api/plans/{national_plan['id']}/dashboard"
    zh = {r["status_label"] for r in client.get(url).json()["rows"]}
    en = {r["status_label"] for r in client.get(url, params={"lang": "en"}).json()["rows"]}
    assert zh & {"已实现", "进度正常", "进度滞后", "逆向变化", "缺数据"}
    assert en & {"Achieved", "On track", "Lagging", "Regressing", "No data"}


def test_reasons_follow_the_page_language(client, national_plan) -> None:  # noqa: ANN001
    url = f"/api/plans/{national_plan['id']}/dashboard"
    params = {"year": 2023}
    zh = [r for r in client.get(url, params=params).json()["rows"] if r["status"] != "achieved"]
    en = client.get(url, params={**params, "lang": "en"}).json()["rows"]
    assert zh
    latin = re.compile(r"[A-Za-z]")
    assert all(not latin.search(r["reason"]) for r in zh), [r["reason"] for r in zh]
    assert any(latin.search(r["reason"]) for r in en if r["status"] != "achieved")
