"""The permission matrix (issue 10), generated from the OpenAPI description.

Every write endpoint the app describes (POST/PUT/PATCH/DELETE in /openapi.json, an
``{action}`` path expanded by its ``x-actions``) is called by each caller — nobody,
the reporter of the region (永川区 500118), the reporter of a sibling county
(江津区 500116), the analyst above (重庆市 500000) and a public reader — on a
永川区 value prepared in the status the call starts from. The expected status of
each cell is written out below; an endpoint missing from the table fails the test,
so a new write endpoint cannot ship without its row.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from minsheng.domain.observations import ObservationStatus
from minsheng.services.sessions import LoginLimiter

PASSWORD = "correct horse battery"  # the accounts fixture's (tests/web/conftest.py)
REGION = "500118"
INDICATOR = "学前教育毛入园率"

CALLERS = ("anonymous", "reporter-500118", "reporter-500116", "analyst-500000", "reader")

#: endpoint → the status each caller gets, in the order of CALLERS
EXPECTED: dict[str, tuple[int, ...]] = {
    # each caller signs in with its own password; nobody with a wrong one
    "POST /api/auth/token": (401, 200, 200, 200, 200),
    "POST /api/observations": (401, 201, 403, 201, 403),
    "POST /api/observations/submit": (401, 200, 403, 200, 403),
    "POST /api/observations/approve": (401, 403, 403, 200, 403),
    "POST /api/observations/return": (401, 403, 403, 200, 403),
    "POST /api/observations/publish": (401, 403, 403, 200, 403),
    "POST /api/corrections": (401, 200, 403, 200, 403),
    # withdrawing a value: whoever may correct it
    "POST /api/withdrawals": (401, 200, 403, 200, 403),
    # publishing a year of 永川区's plan: its approved values and the year's evaluation
    "POST /api/plans/{plan_id}/publish": (401, 403, 403, 200, 403),
    # the due date of a year of 永川区's plan: the analyst above (or an admin) sets it
    "PUT /api/plans/{plan_id}/deadlines": (401, 403, 403, 200, 403),
    # which of 永川区's plan's indicators the regions below report: whoever sets due dates
    "PUT /api/plans/{plan_id}/reported-below": (401, 403, 403, 200, 403),
    # a new version of 永川区's service list, by hand: the analyst above (or an admin)
    "PUT /api/standards/{list_id}": (401, 403, 403, 200, 403),
}

#: the status a value must be in for the call to be possible at all (so only the rules decide)
STARTS_FROM = {
    "POST /api/observations/submit": ObservationStatus.DRAFT,
    "POST /api/observations/approve": ObservationStatus.SUBMITTED,
    "POST /api/observations/return": ObservationStatus.SUBMITTED,
    "POST /api/observations/publish": ObservationStatus.APPROVED,
    "POST /api/corrections": ObservationStatus.DRAFT,
    "POST /api/withdrawals": ObservationStatus.DRAFT,
}

WRITES = ("post", "put", "patch", "delete")


def write_endpoints(schema: dict[str, Any]) -> list[str]:
    """Every write endpoint of the OpenAPI description, ``{action}`` paths expanded."""
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in WRITES:
                continue
            actions = operation.get("x-actions")
            if actions:
                found += [f"{method.upper()} {path.replace('{action}', a)}" for a in actions]
            else:
                found.append(f"{method.upper()} {path}")
    return sorted(found)


def test_the_table_covers_every_write_endpoint(client) -> None:  # noqa: ANN001
    assert write_endpoints(client.get("/openapi.json").json()) == sorted(EXPECTED)


YEAR = 2020  # a year of 永川区's plan (2020–2025) no other test writes
_values = itertools.count(1)  # each cell prepares its value afresh: a new version, a new figure


@pytest.fixture(scope="module")
def tokens(client, accounts) -> dict[str, str]:  # noqa: ANN001
    client.app.state.login_limiter = LoginLimiter()
    out = {}
    for name in CALLERS[1:]:
        response = client.post("/api/auth/token", data={"username": name, "password": PASSWORD})
        assert response.status_code == 200, response.text
        out[name] = response.json()["access_token"]
    return out


def _prepare(demo_settings, status: ObservationStatus) -> None:  # noqa: ANN001
    from minsheng.services.observations import add_observation
    from minsheng.store.database import Database

    db = Database(demo_settings.database_url)
    try:
        value = 60.0 + next(_values) / 10
        add_observation(db, INDICATOR, REGION, YEAR, value, None, status=status)
    finally:
        db.dispose()


CELLS = [
    pytest.param(endpoint, caller, status, id=f"{endpoint}-{caller}")
    for endpoint, statuses in EXPECTED.items()
    for caller, status in zip(CALLERS, statuses, strict=True)
]


@pytest.mark.parametrize(("endpoint", "caller", "expected"), CELLS)
def test_permission_matrix(
    client,  # noqa: ANN001
    demo_settings,  # noqa: ANN001
    tokens: dict[str, str],
    yongchuan_plan: dict,
    endpoint: str,
    caller: str,
    expected: int,
) -> None:
    method, path = endpoint.split(" ")
    headers = {"Authorization": f"Bearer {tokens[caller]}"} if caller in tokens else {}
    if path == "/api/auth/token":
        client.app.state.login_limiter = LoginLimiter()
        password = PASSWORD if caller in tokens else "wrong"
        response = client.post(path, data={"username": caller, "password": password})
        assert response.status_code == expected, response.text
        return
    if endpoint in STARTS_FROM:
        _prepare(demo_settings, STARTS_FROM[endpoint])
    body: dict[str, Any] = {"indicator": INDICATOR, "region": REGION, "year": YEAR}
    if "{plan_id}" in path:
        path = path.replace("{plan_id}", str(yongchuan_plan["id"]))
        body = {"year": YEAR, "due": f"{YEAR + 1}-03-31"}
        if path.endswith("/publish"):  # a body names only what the route reads
            body = {"year": YEAR}
        if path.endswith("/reported-below"):  # the plan's own first indicator: a valid list
            first = client.get(f"/api/plans/{yongchuan_plan['id']}/dashboard").json()["rows"][0]
            body = {"indicators": [first["plan_indicator_id"]]}
    if "{list_id}" in path:
        found = [
            s for s in client.get("/api/standards").json()["lists"] if s["region_code"] == REGION
        ]
        path = path.replace("{list_id}", str(found[0]["id"]))
        current = client.get(path).json()
        items = [i for d in current["domains"] for i in d["items"]]
        items[0]["standard"] = f"核对后的标准 {next(_values)}"  # a real change: a new version
        body = {"reason": "核对服务标准", "items": items}
    if path in ("/api/observations", "/api/corrections"):
        body["value"] = 90.0 + next(_values) / 10
    if path.endswith("/return") or path == "/api/corrections":
        body["comment"] = "请核实口径"  # a return and a correction say why
    if path == "/api/withdrawals":
        body["reason"] = "误填为本区数据"  # so does a withdrawal
    response = client.request(method, path, json=body, headers=headers)
    assert response.status_code == expected, f"{caller}: {response.text}"
    if expected >= 400:
        assert response.json()["error"]["status"] == expected


def test_a_reporter_reads_no_sibling_drafts(client, demo_settings, tokens) -> None:  # noqa: ANN001
    """江津区's draft: seen by its own reporter and the analyst above, never by 永川区's reporter."""
    from minsheng.services.observations import add_observation
    from minsheng.store.database import Database

    db = Database(demo_settings.database_url)
    try:
        add_observation(db, INDICATOR, "500116", YEAR, 88.25, None, status=ObservationStatus.DRAFT)
    finally:
        db.dispose()
    query = {"region": "500116", "year": YEAR}

    def seen(caller: str) -> list[float]:  # the current values a caller may see
        headers = {"Authorization": f"Bearer {tokens[caller]}"} if caller in tokens else {}
        response = client.get("/api/observations", params=query, headers=headers)
        assert response.status_code == 200
        return [v["value"] for v in response.json()]

    assert seen("reporter-500116") == [88.25]
    assert seen("analyst-500000") == [88.25]
    # the others see at most a published value of that year, never the draft
    for caller in ("reporter-500118", "reader", "anonymous"):
        assert 88.25 not in seen(caller)
    # nor may it touch the draft: submitting or correcting it is refused, not merely not found
    own = {"Authorization": f"Bearer {tokens['reporter-500118']}"}
    ref = {"indicator": INDICATOR, "region": "500116", "year": YEAR}
    assert client.post("/api/observations/submit", json=ref, headers=own).status_code == 403
    fixed = client.post("/api/corrections", json={**ref, "value": 1.0}, headers=own)
    assert fixed.status_code == 403
    assert seen("reporter-500116") == [88.25]
