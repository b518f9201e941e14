"""The audit page in a browser: a long value written to the trail stays inside the page.

A source given as a long link (or any long run without a space) made the "after" column,
and the table with it, wider than the window; the value now wraps and, when long, shows its
beginning with the whole text a click away.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

LONG_SOURCE = (
    "https://data.example.org/statistics/yongchuan/"
    + "x" * 20
    + "/".join(f"table-{n:03d}-annual-figures" for n in range(40))
)


def test_a_long_value_stays_inside_the_page(tabs, accounts, client, tmp_path: Path) -> None:  # noqa: ANN001
    from conftest import DEMO_PASSWORD, sign_in

    token = client.post(
        "/api/auth/token", data={"username": "reporter-500118", "password": DEMO_PASSWORD}
    ).json()["access_token"]
    # a series and year no other web test counts drafts of (the session's database is shared)
    body = {"indicator": "人均体育场地面积", "region": "500118", "year": 2024, "value": 2.4,
            "source": LONG_SOURCE}  # fmt: skip
    posted = client.post("/api/observations", json=body,
                         headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert posted.status_code == 201, posted.text

    width = 1024
    page = tabs(viewport={"width": width, "height": 800})
    sign_in(page, "/audit?region=500118", "analyst-500000")
    row = page.locator("tbody tr", has_text="data.example.org").first
    row.wait_for()
    page.screenshot(path=str(tmp_path / "audit.png"), full_page=True)
    table = page.locator("table").first.bounding_box()
    assert table is not None
    assert table["x"] >= 0 and table["x"] + table["width"] <= width, table
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # the whole value is on the page for whoever wants it
    after = row.locator("td").nth(6)
    after.locator("summary").first.click()
    assert LONG_SOURCE in after.inner_text().replace("\n", "")
    cell = after.bounding_box()
    assert cell is not None and cell["x"] + cell["width"] <= width
