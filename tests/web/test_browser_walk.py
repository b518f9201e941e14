"""What a walk through the pages in Chromium found: the chart's legend, and phone width.

Same launch as ``test_browser.py`` (Debian's Chromium through Playwright, the demo
database served by uvicorn); screenshots under the test's tmp_path.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_the_series_chart_names_every_line_in_the_page_s_language(
    page,
    yongchuan_plan: dict,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    row = page.request.get(f"/api/plans/{yongchuan_plan['id']}/dashboard").json()["rows"][0]
    page.goto(f"/plans/{yongchuan_plan['id']}/indicators/{row['plan_indicator_id']}?lang=zh")
    page.wait_for_selector("#chart canvas")
    names = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('chart')).getOption()"
        ".series.map(function (s) { return s.name; })"
    )
    page.screenshot(path=str(tmp_path / "indicator.png"), full_page=True)
    assert names[:4] == ["目标路径", "线性外推", "达标所需路径", "观测值"], names
    assert not any("v<" in n for n in names), names
    # earlier versions get a series (and a legend entry) only where a value was corrected
    versions = page.evaluate(
        "JSON.parse(document.getElementById('chart-data').textContent).observed"
        ".map(function (o) { return o.year; })"
    )
    corrected = len(versions) > len(set(versions))
    assert names[4:] == (["此前版本（已更正）"] if corrected else []), names


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pages_fit_a_phone_without_scrolling_sideways(
    tabs, client, lang: str, tmp_path: Path
) -> None:  # noqa: ANN001
    plans = client.get("/api/plans").json()
    with_table = next(p for p in plans if p["region_code"] == "500118" and p["indicators"])
    # a plan whose document gave no title is labelled with its long file name, which must wrap
    untitled = next(p for p in plans if not p["indicators"] and "原文无标题" in p["title"])
    tab = tabs(viewport=PHONE)
    wide = []
    for path in (
        f"/plans/{with_table['id']}/draft",
        f"/plans/{untitled['id']}",
        f"/plans/{with_table['id']}",
        f"/plans/{with_table['id']}/quality",
    ):
        tab.goto(f"{path}?lang={lang}")
        width = tab.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            name = path.strip("/").replace("/", "-")
            tab.screenshot(path=str(tmp_path / f"{lang}-{name}.png"))
            wide.append((path, width))
    assert not wide, wide


def test_switching_the_map_to_another_plan_shows_that_plan(
    page, yongchuan_plan, national_plan
) -> None:  # noqa: ANN001
    """The form sent the old plan's indicator id with the new plan: 404, no indicator of that id."""
    page.goto(f"/map?plan={national_plan['id']}&lang=zh")
    page.wait_for_selector("#map canvas")
    page.select_option("#plan", str(yongchuan_plan["id"]))
    page.get_by_role("button", name="查看").click()
    page.wait_for_url(f"**plan={yongchuan_plan['id']}**")
    assert page.locator("h1").first.inner_text().startswith("地图")
    assert page.locator("#plan").input_value() == str(yongchuan_plan["id"])
    page.wait_for_selector("#map canvas")


def test_the_nine_domains_keep_their_names_on_one_line_on_a_phone(tabs, yongchuan_plan) -> None:  # noqa: ANN001
    tab = tabs(viewport=PHONE)
    tab.goto(f"/plans/{yongchuan_plan['id']}?lang=zh")
    heights = tab.evaluate(
        "Array.from(document.querySelectorAll('section[aria-labelledby=\"domains\"] tbody th'))"
        ".map(function (th) { return [th.textContent, th.getBoundingClientRect().height]; })"
    )
    assert len(heights) >= 5
    line = tab.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('section[aria-labelledby=\"domains\"] tbody th')).lineHeight)"
    )
    tall = [(name, h) for name, h in heights if h > 2 * line]
    assert not tall, (line, tall)


def test_the_draft_keeps_indicator_names_whole_on_a_phone(tabs, yongchuan_plan) -> None:  # noqa: ANN001
    """The draft's eight columns squeezed 每千人口拥有3岁以下婴幼儿托位数 to two characters a line."""
    tab = tabs(viewport=PHONE)
    tab.goto(f"/plans/{yongchuan_plan['id']}/draft?lang=zh")
    names = tab.evaluate(
        "Array.from(document.querySelectorAll('#draft tbody th[scope=row]')).map(function (th) {"
        " var r = document.createRange(); r.selectNodeContents(th.firstChild);"
        " return [th.firstChild.textContent, r.getBoundingClientRect().height,"
        " parseFloat(getComputedStyle(th).lineHeight)]; })"
    )
    assert len(names) >= 5
    tall = [(name, h, line) for name, h, line in names if h > 2.5 * line]
    assert not tall, tall


_HINT_FITS = """() => { const i = document.querySelector('#q'); const s = getComputedStyle(i);
  const c = document.createElement('canvas').getContext('2d'); c.font = s.font;
  const room = i.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
  return [c.measureText(i.placeholder).width, room]; }"""


@pytest.mark.parametrize("width", [1024, 1280])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_search_hint_shows_whole_in_the_header(tabs, lang: str, width: int) -> None:  # noqa: ANN001
    tab = tabs(viewport={"width": width, "height": 700})
    tab.goto(f"/?lang={lang}")
    text, room = tab.evaluate(_HINT_FITS)
    assert text <= room - 8, (text, room)  # with a margin: glyphs render a little wider
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
