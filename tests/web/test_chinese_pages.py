"""A page in Chinese speaks Chinese: every page of the demo, and its error pages, rendered with
``?lang=zh`` and searched for English words a reader would have to read.

Code, identifiers and text marked ``lang="en"`` (an English original shown as such) are left
out; so are the names of file formats and programs, which are names in any language.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

#: Elements whose text is code or data, not prose.
CODE = {"script", "style", "code", "pre", "kbd", "samp", "textarea", "svg"}
VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col", "area", "base"}
#: Names a Chinese page writes in Latin letters: formats, programs, file names.
NAMES = re.compile(
    r"\b(?:Word|PDF|HTML|Excel|JSON|CSV|XLSX|API|OpenAPI|ECharts|echarts|npm|Apache|minsheng"
    r"|ingest|demo|plans|access|standards|template|import|cost|confirm|table|docx|xlsx)\b"
    r"|https?://\S+|\S+\.(?:txt|html|docx|pdf|csv|xlsx)\b|--[a-z-]+"
)
#: Two or more Latin words in a row: an English phrase (one word alone may be a code or unit).
ENGLISH = re.compile(r"[A-Za-z][A-Za-z'’-]+(?:[ ,;:()/]+[A-Za-z][A-Za-z'’-]+)+")


class _Prose(HTMLParser):
    """The text a reader reads: not code, not what the page marks as English."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        english = (dict(attrs).get("lang") or "").startswith("en")
        self.stack.append((tag, english))

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if not any(tag in CODE or english for tag, english in self.stack):
            self.text.append(data)


def english_phrases(html: str) -> list[str]:
    """Runs of English words in the prose of a page (names of formats and programs taken out)."""
    parser = _Prose()
    parser.feed(html)
    prose = NAMES.sub(" ", " ".join(parser.text))
    return ENGLISH.findall(prose)


def test_the_detector_finds_english_and_leaves_code_and_names() -> None:
    page = (
        "<main><p>没有编号为 9 的规划</p><p>no plan with id 9</p><code>same name</code>"
        '<p lang="en">detail in English</p><p>Word (.docx) · minsheng standards cost --table</p></main>'
    )
    assert english_phrases(page) == ["no plan with id"]


@pytest.fixture(scope="module")
def pages(client, national_plan, yongchuan_plan) -> list[str]:  # noqa: ANN001
    """Every page of the demo a visitor reaches, with ids read from the API."""
    lists = client.get("/api/standards").json()["lists"]
    a_list = max(lists, key=lambda s: s["items"])
    out = [
        "/", "/login", "/search?q=永川", "/map", "/equity", "/access", "/standards",
        f"/standards/{a_list['id']}",
        f"/standards/{a_list['id']}/compare?with=national",
        f"/standards/{a_list['id']}/cost",
        f"/standards/{a_list['id']}/cost?region={a_list['region_code']}&year=2024",
        "/regions/500118", "/regions/100000", "/regions/500000",
    ]  # fmt: skip
    for plan in (national_plan, yongchuan_plan):
        pid = plan["id"]
        out += [
            f"/plans/{pid}?year=2023", f"/plans/{pid}/alignment", f"/plans/{pid}/quality",
            f"/plans/{pid}/draft", f"/plans/{pid}/draft?rule=higher",
        ]  # fmt: skip
        rows = client.get(f"/api/plans/{pid}/dashboard", params={"year": 2023}).json()["rows"]
        out += [f"/plans/{pid}/indicators/{r['plan_indicator_id']}?year=2023" for r in rows[:6]]
    out.append(f"/plans/{national_plan['id']}/draft/cascade")
    return out


#: Mistakes a visitor can make: each error page must say what went wrong in Chinese too.
ERRORS = [
    "/plans/99999",
    "/regions/999999",
    "/standards/99999",
    "/standards/{list}?version=99",
    "/standards/{list}/compare?with=higher",
    "/standards/{list}/compare?with=both",
    "/standards/{list}/cost?region=永川&year=2024&budget=abc",
    "/standards/{list}/cost?region=不存在的地方&year=2024",
    "/standards/{list}/cost?region=500118&year=1800",
    "/plans/{plan}?year=abc",
    "/no-such-page",
]


def _zh(url: str) -> str:
    return url + ("&" if "?" in url else "?") + "lang=zh"


def test_every_page_in_chinese_has_no_english_sentence(client, pages) -> None:  # noqa: ANN001
    client.cookies.delete("lang")
    found = {}
    for url in pages:
        response = client.get(_zh(url), headers={"accept": "text/html"})
        assert response.status_code == 200, (url, response.text[:300])
        phrases = english_phrases(response.text)
        if phrases:
            found[url] = phrases[:5]
    assert not found, "\n".join(f"{url}: {phrases}" for url, phrases in found.items())


def test_every_error_page_in_chinese_says_what_went_wrong_in_chinese(
    client,
    national_plan,  # noqa: ANN001
) -> None:
    lists = client.get("/api/standards").json()["lists"]
    a_list = max(lists, key=lambda s: s["items"])["id"]
    found = {}
    for pattern in ERRORS:
        url = pattern.format(list=a_list, plan=national_plan["id"])
        response = client.get(_zh(url), headers={"accept": "text/html"})
        assert response.status_code >= 400, url
        assert re.search(r'role="alert">[^<]*[\u4e00-\u9fff]', response.text), url
        phrases = english_phrases(response.text)
        if phrases:
            found[url] = phrases[:5]
    assert not found, found
    english = client.get("/plans/99999?lang=en", headers={"accept": "text/html"}).text
    client.cookies.delete("lang")  # the session's client is shared: leave no language behind
    assert "no plan with id 99999" in english  # the English page keeps the English words
