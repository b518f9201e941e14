"""A browser walk through the report download, the standards library and the drafting pages.

Same browser as ``test_browser.py`` (the ``page`` fixture of conftest.py: Playwright driving
Debian's Chromium against the app served by uvicorn); no page may log a console error.
Screenshots go under tmp_path.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def test_report_menu_downloads_a_word_file(page, tmp_path: Path, yongchuan_plan: dict) -> None:  # noqa: ANN001
    page.goto(f"/plans/{yongchuan_plan['id']}?year=2023&lang=zh")
    page.get_by_text("下载评估报告").click()
    page.select_option("#report-kind", "annual")
    page.select_option("#report-format", "docx")
    page.screenshot(path=str(tmp_path / "11-report-menu.png"), full_page=False)
    with page.expect_download() as info:
        page.get_by_role("button", name="下载").click()
    download = info.value
    assert download.suggested_filename.endswith("2023年度监测报告.docx")
    assert "永川" in download.suggested_filename
    saved = tmp_path / "report.docx"
    download.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK"


def test_standards_library_walk(page, tmp_path: Path) -> None:  # noqa: ANN001
    shot = lambda name: page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)  # noqa: E731
    page.goto("/?lang=zh")
    page.get_by_role("link", name="服务标准").click()
    page.wait_for_url("**/standards")
    assert page.locator("h1").inner_text() == "基本公共服务标准库"
    shot("12-standards")
    page.locator("tbody tr td a").first.click()
    page.wait_for_selector("#hist")
    assert page.locator("section h2").count() >= 2
    shot("13-standard-list")
    page.get_by_role("link", name="对照国家标准").first.click()
    page.wait_for_selector("#added")
    shot("14-standard-compare")
    page.go_back()
    page.get_by_role("link", name="成本测算").first.click()
    page.fill("#year", "2024")
    page.get_by_role("button", name="成本测算").click()
    page.wait_for_selector("tfoot, .warn[role=status]")  # a total, or why nothing could be costed
    shot("15-standard-cost")


def test_drafting_walk(page, tmp_path: Path, yongchuan_plan: dict, national_plan: dict) -> None:  # noqa: ANN001
    shot = lambda name: page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)  # noqa: E731
    page.goto(f"/plans/{yongchuan_plan['id']}?lang=zh")
    page.get_by_role("link", name="编制下一期规划").click()
    page.wait_for_selector("#draft")
    assert page.locator("h1").inner_text() == "2026—2030年规划编制"
    shot("16-draft")
    first = page.locator("#draft tbody select").first
    seq = first.get_attribute("id").lstrip("r")
    first.select_option(f"{seq}=peers")
    page.get_by_role("button", name="重新测算").first.click()
    page.wait_for_url(f"**rules={seq}%3Dpeers**")
    assert page.locator(f"#r{seq}").input_value() == f"{seq}=peers"
    page.locator("#draft details").first.click()
    shot("17-draft-row-rule")
    page.goto(f"/plans/{national_plan['id']}/draft/cascade")
    page.wait_for_selector("#cascade")
    shot("18-cascade")
