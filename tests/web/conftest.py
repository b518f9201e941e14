"""The web app's fixtures: one real SQLite demo database per session, built by the demo service.

The demo reads the shared corpus and statistics; without them these tests fail
(``find_shared_dir`` raises), never skip.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from minsheng.settings import Settings


@pytest.fixture(scope="session")
def demo_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    from minsheng.services.demo import build_demo, find_shared_dir
    from minsheng.store.database import Database

    data_dir = tmp_path_factory.mktemp("web-demo")
    settings = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'minsheng.db'}")
    db = Database(settings.database_url)
    try:
        build_demo(db, find_shared_dir())
    finally:
        db.dispose()
    return settings


@pytest.fixture(scope="session")
def app(demo_settings: Settings):  # noqa: ANN201 - a FastAPI app
    from minsheng.web.app import create_app

    return create_app(demo_settings)


@pytest.fixture(scope="session")
def client(app) -> Iterator:  # noqa: ANN001
    from fastapi.testclient import TestClient

    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(autouse=True)
def _anonymous_to_begin_with(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test begins as an anonymous visitor: the client is shared by the session, and a
    sign-in (or ?lang= cookie) a test leaves behind made the next file's "public" requests
    an account's, which judge on every value."""
    if "client" in request.fixturenames:
        request.getfixturevalue("client").cookies.clear()
    yield


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:  # noqa: ANN001
    """The app served by uvicorn in a thread on a free loopback port; yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="session")
def national_plan(client) -> dict:  # noqa: ANN001
    """The stored national plan with indicators (the demo's 十四五 公共服务规划)."""
    plans = client.get("/api/plans").json()
    return next(p for p in plans if p["level"] == "national" and p["indicators"])


@pytest.fixture(scope="session")
def yongchuan_plan(client) -> dict:  # noqa: ANN001
    """永川区's plan (region 500118), a county plan of the corpus."""
    plans = client.get("/api/plans").json()
    return next(p for p in plans if p["region_code"] == "500118" and p["indicators"])


DEMO_PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def accounts(demo_settings: Settings) -> dict[str, str]:
    """The demo accounts (admin, the 重庆市 analyst, the 永川区 and 江津区 reporters) and a public reader."""
    from minsheng.services.demo_accounts import DEMO_ACCOUNTS, ensure_demo_accounts
    from minsheng.services.users import create_user
    from minsheng.store.database import Database

    db = Database(demo_settings.database_url)
    try:
        ensure_demo_accounts(db, DEMO_PASSWORD)
        create_user(db, "reader", DEMO_PASSWORD, "public")
    finally:
        db.dispose()
    return {name: role.value for name, role, _ in DEMO_ACCOUNTS} | {"reader": "public"}


@pytest.fixture
def form_sign_in(client, accounts) -> Callable[[str], None]:  # noqa: ANN001
    """Sign an account of :func:`accounts` in on the test client, as the login form does.

    A fresh login limiter first: the tests sign in often, and the limiter would take that
    for someone guessing passwords.
    """
    import re

    from minsheng.services.sessions import LoginLimiter

    def sign(name: str) -> None:
        client.app.state.login_limiter = LoginLimiter()
        client.get("/login")  # sets the CSRF cookie; the next page carries the matching token
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
        assert token, "no CSRF token on the login page"
        response = client.post("/login", data={"username": name, "password": DEMO_PASSWORD,
                                               "csrf_token": token.group(1)}, follow_redirects=False)  # fmt: skip
        assert response.status_code == 303, response.text

    return sign


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Debian's Chromium driven by Playwright, launched once for every browser test: each test
    works in browser contexts of its own (see ``tabs``), so none shares cookies or pages."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "Debian's chromium is not installed (./run test installs it)"
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def tabs(browser, live_server: str) -> Iterator[Callable[..., Any]]:  # noqa: ANN001
    """``tabs(**context_options)``: a tab in a fresh browser context on the live server.

    Each tab keeps the console errors and page errors it saw in ``tab.errors``; at the end of
    the test every context is closed and no tab may have logged an error.
    """
    opened: list[Any] = []

    def open_tab(**options: Any) -> Any:
        context = browser.new_context(base_url=live_server, **options)
        tab = context.new_page()
        errors: list[str] = []
        tab.on(
            "console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None
        )
        tab.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
        tab.errors = errors
        opened.append(tab)
        return tab

    yield open_tab
    for tab in opened:
        tab.context.close()
    errors = [error for tab in opened for error in tab.errors]
    assert not errors, errors


@pytest.fixture
def page(tabs) -> Any:  # noqa: ANN001
    """A desktop-sized tab that accepts downloads."""
    return tabs(viewport={"width": 1280, "height": 900}, accept_downloads=True)


def sign_in(page: Any, address: str, username: str) -> None:
    """Go to ``address``, be sent to the login form, sign in as ``username`` and come back."""
    page.goto(address)
    page.wait_for_url("**/login?**")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{address.split('?')[0]}?**")
