"""Query parameters are honoured or refused, never dropped: ``?region=`` on the dashboard
answers for that region (read by the one region resolver), and every /api path refuses a
parameter it does not read (FastAPI alone would drop it and answer something else)."""

from __future__ import annotations

import re

import pytest


@pytest.fixture(scope="module")
def spec(client) -> dict:  # noqa: ANN001
    return client.get("/openapi.json").json()


def _dashboard(client, plan: dict, **params: str):  # noqa: ANN001, ANN202
    return client.get(f"/api/plans/{plan['id']}/dashboard", params=params)


def test_dashboard_answers_for_the_region_asked(client, national_plan) -> None:  # noqa: ANN001
    own = _dashboard(client, national_plan, year="2023").json()
    by_code = _dashboard(client, national_plan, year="2023", region="500118").json()
    by_name = _dashboard(client, national_plan, year="2023", region="永川").json()
    assert own["region"] == national_plan["region_code"] != "500118"
    assert by_code["region"] == by_name["region"] == "500118"
    assert by_code["region_name"] == "永川区"
    assert by_code["rows"] and {r["region"] for r in by_code["rows"]} == {"500118"}
    assert {r["region"] for r in own["rows"]} == {national_plan["region_code"]}
    assert by_name["rows"] == by_code["rows"]


@pytest.mark.parametrize(
    ("region", "status", "kind"),
    [
        ("火星", 404, "NotFound"),  # no such region: never the plan's own as a default
        ("999999", 404, "NotFound"),
        ("朝阳区", 422, "AmbiguousRegion"),  # two 朝阳区: say so, name them
    ],
)
def test_dashboard_refuses_an_unknown_or_ambiguous_region(
    client, national_plan, region: str, status: int, kind: str
) -> None:  # noqa: ANN001
    response = _dashboard(client, national_plan, region=region)
    assert response.status_code == status, response.text
    assert response.json()["error"]["type"] == kind
    assert region in response.json()["error"]["message"]


def test_dashboard_refuses_a_region_outside_the_plan(client, yongchuan_plan) -> None:  # noqa: ANN001
    response = _dashboard(client, yongchuan_plan, region="330100")  # 杭州市, not under 永川区
    assert response.status_code == 404, response.text
    assert "330100" in response.json()["error"]["message"]


def test_the_dashboard_page_shows_the_region_asked(client, national_plan) -> None:  # noqa: ANN001
    page = client.get(f"/plans/{national_plan['id']}", params={"region": "永川"})
    assert page.status_code == 200
    assert "永川区" in page.text
    # the indicator links and the report carry the region on
    assert re.search(r"/indicators/\d+\?year=\d+&amp;region=500118", page.text)
    assert "region=500118" in page.text.split("report")[-1]


def test_the_indicator_reads_a_region_name_like_a_code(client, national_plan) -> None:  # noqa: ANN001
    row = _dashboard(client, national_plan, region="500118").json()["rows"][0]
    url = f"/api/plans/{national_plan['id']}/indicators/{row['plan_indicator_id']}"
    by_name = client.get(url, params={"region": "永川"})
    assert by_name.status_code == 200, by_name.text
    assert by_name.json()["region"] == "500118"
    assert client.get(url, params={"region": "火星"}).status_code == 404


def test_every_api_path_refuses_a_query_parameter_it_does_not_read(client, spec) -> None:  # noqa: ANN001
    paths = [p for p, ops in spec["paths"].items() if p.startswith("/api/") and "get" in ops]
    assert len(paths) >= 9
    for path in paths:
        url = re.sub(r"{\w+}", "1", path)
        response = client.get(url, params={"no_such_parameter": "x"})
        assert response.status_code == 422, (path, response.status_code, response.text[:200])
        problems = response.json()["error"]["problems"]
        assert [p["field"] for p in problems] == ["no_such_parameter"], path
        assert problems[0]["message_zh"], path


def test_lang_is_read_where_a_route_words_something(client, spec, national_plan) -> None:  # noqa: ANN001
    """``lang`` is a documented parameter of the routes that word labels and reasons."""
    dashboard = spec["paths"]["/api/plans/{plan_id}/dashboard"]["get"]
    assert "lang" in {p["name"] for p in dashboard["parameters"]}
    english = _dashboard(client, national_plan, lang="en").json()
    assert english["rows"][0]["status_label"].isascii()
    assert _dashboard(client, national_plan, lang="fr").status_code == 422


def test_the_map_refuses_an_area_outside_the_plan(client, yongchuan_plan, national_plan) -> None:  # noqa: ANN001
    """An area beside the plan's region drew an empty map, read as "no data"; an area holding
    it (the country, for a county's plan) still shows the plan's regions."""
    outside = client.get("/api/map", params={"plan": yongchuan_plan["id"], "under": "330000"})
    assert outside.status_code == 404, outside.text
    above = client.get("/api/map", params={"plan": yongchuan_plan["id"], "under": "100000"})
    assert above.status_code == 200, above.text
    inside = client.get("/api/map", params={"plan": national_plan["id"], "under": "重庆"})
    assert inside.status_code == 200, inside.text
    assert inside.json()["under"]["code"] == "500000"


def test_every_route_takes_lang_for_its_refusals(client) -> None:  # noqa: ANN001
    """A client may send ``lang`` everywhere: every route words its errors in it."""
    assert client.get("/api/plans", params={"lang": "en"}).status_code == 200
    refused = client.get("/api/plans", params={"lang": "fr"})
    assert refused.status_code == 422
    assert refused.json()["error"]["problems"][0]["field"] == "lang"
    unknown = client.get("/api/plans", params={"lang": "zh", "colour": "red"})
    assert unknown.status_code == 422 and "colour" in unknown.text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_api_link_of_the_pages_is_accepted(client, national_plan, lang: str) -> None:  # noqa: ANN001
    """Links from pages to the API carry only what the API reads (never the page's ``lang``)."""
    import html

    pages = [f"/plans/{national_plan['id']}", f"/plans/{national_plan['id']}/draft"]
    for page in pages:
        text = client.get(page, params={"lang": lang}).text
        client.cookies.clear()  # ?lang= is remembered in a cookie: leave the session's default
        links = [html.unescape(x) for x in re.findall(r'href="(/api/[^"]+\?[^"]+)"', text)]
        assert links, page
        for link in links:
            path, query = link.split("?", 1)
            names = {kv.split("=", 1)[0] for kv in query.split("&")}
            documented = {p["name"] for p in _spec_params(client, path)}
            assert names <= documented, (page, link)


def _spec_params(client, path: str) -> list[dict]:  # noqa: ANN001
    spec = client.get("/openapi.json").json()
    for template, ops in spec["paths"].items():
        if re.fullmatch(re.sub(r"{\w+}", r"[^/]+", template), path) and "get" in ops:
            return ops["get"].get("parameters", [])
    raise AssertionError(f"{path} is not an API path")


def test_a_body_field_the_route_does_not_read_is_refused(client, accounts) -> None:  # noqa: ANN001
    """``reason`` where the route reads ``comment`` was dropped in silence."""
    from minsheng.services.sessions import LoginLimiter

    client.app.state.login_limiter = LoginLimiter()
    token = client.post(
        "/api/auth/token", data={"username": "analyst-500000", "password": "correct horse battery"}
    )
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    body = {"indicator": "ED01", "region": "500118", "year": 2023, "value": 90.0,
            "reason": "a typo"}  # fmt: skip
    refused = client.post("/api/corrections", json=body, headers=headers)
    assert refused.status_code == 422, refused.text
    assert "reason" in refused.text
