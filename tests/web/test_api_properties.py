"""Property-based API tests (issue 10): schemathesis generates requests from /openapi.json.

Every operation the app describes is called with generated paths, queries, forms
and bodies — anonymously and as the 永川区 reporter — against the real app on the
demo database; whatever comes in, the answer is never a server error (5xx), and
every error keeps the one error shape. Bounded (a few examples per operation) so a
run stays well under a minute.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from minsheng.services.sessions import LoginLimiter

PASSWORD = "correct horse battery"  # the accounts fixture's (tests/web/conftest.py)


@pytest.fixture(scope="module")
def web_schema(app, accounts):  # noqa: ANN001, ANN201
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture(scope="module")
def reporter_headers(client, accounts) -> dict[str, str]:  # noqa: ANN001
    client.app.state.login_limiter = LoginLimiter()
    response = client.post(
        "/api/auth/token", data={"username": "reporter-500118", "password": PASSWORD}
    )
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture(autouse=True)
def fresh_limiter(client):  # noqa: ANN001, ANN201
    """Generated logins count as failures; later tests start with none counted."""
    yield
    client.app.state.login_limiter = LoginLimiter()


BOUNDED = settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


def _no_server_error(response) -> None:  # noqa: ANN001
    assert response.status_code < 500, f"{response.status_code}: {response.text[:500]}"
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["status"] == response.status_code and error["message"]


def _run_every_operation(web_schema, headers: dict[str, str]) -> None:  # noqa: ANN001
    """Each operation in both modes (valid and invalid input); failures collected, then shown."""
    failures, calls = [], []
    operations = [result.ok() for result in web_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        for mode in MODES:

            @BOUNDED
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case) -> None:  # noqa: ANN001
                response = case.call(headers=dict(headers))
                calls.append((case.operation.label, response.status_code))
                _no_server_error(response)

            try:
                check()
            except Unsatisfiable:  # nothing to make invalid (an operation without parameters)
                assert (
                    mode is GenerationMode.NEGATIVE and not operation.query and not operation.body
                )
            except Exception as exc:  # noqa: BLE001 - collected and reported below
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, "\n".join(failures)
    assert {label for label, _ in calls} == {o.label for o in operations}  # every one was called


def test_no_server_error_anonymously(web_schema) -> None:  # noqa: ANN001
    _run_every_operation(web_schema, {})


def test_no_server_error_as_a_reporter(web_schema, reporter_headers) -> None:  # noqa: ANN001
    _run_every_operation(web_schema, reporter_headers)
