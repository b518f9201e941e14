"""Issue 13: the draft of the 2026–2030 plan — API, pages, rule choice and exports."""

from __future__ import annotations

import io
import json
from urllib.parse import unquote

import pytest


@pytest.fixture(scope="module")
def draftable(client, demo_settings) -> int:  # noqa: ANN001
    """A stored plan with a region and indicators (the 永川区 plan of the demo)."""
    plans = client.get("/api/plans").json()
    return next(p["id"] for p in plans if p["region_code"] == "500118" and p["indicators"])


@pytest.fixture(scope="module")
def cascade_plan(national_plan) -> int:  # noqa: ANN001
    """The national plan: the demo links each provincial plan to it."""
    return national_plan["id"]


def test_draft_api_gives_evidence_rule_and_sentence(client, draftable) -> None:  # noqa: ANN001
    body = client.get(f"/api/plans/{draftable}/draft").json()
    assert body["source_plan_id"] == draftable and body["plan"]["target_year"] == 2030
    rows = body["indicators"]
    assert rows and all(r["rule"] == "pace" for r in rows if r["rule"])
    assert any(r["explanation"] for r in rows)
    assert any(r["evidence"] for r in rows)


def test_a_rule_for_one_row_changes_that_row_only(client, draftable) -> None:  # noqa: ANN001
    base = client.get(f"/api/plans/{draftable}/draft").json()["indicators"]
    seq = next(r["seq"] for r in base if r["seq"] is not None and r["rule"])
    body = client.get(f"/api/plans/{draftable}/draft", params={"rules": [f"{seq}=peers"]}).json()[
        "indicators"
    ]
    by_seq = {r["seq"]: r for r in body}
    assert by_seq[seq]["rule"] == "peers"
    assert all(r["rule"] in (None, "pace") for r in body if r["seq"] != seq)
    bad = client.get(f"/api/plans/{draftable}/draft", params={"rules": ["x=peers"]})
    assert bad.status_code == 422 and "x=peers" in bad.json()["error"]["message"]


def test_exports_open(client, draftable) -> None:  # noqa: ANN001
    import docx
    import openpyxl

    url = f"/api/plans/{draftable}/draft/export"
    word = client.get(url, params={"format": "docx"})
    assert word.status_code == 200 and "filename*=UTF-8''" in word.headers["content-disposition"]
    assert docx.Document(io.BytesIO(word.content)).tables
    # the draft's title already ends in （草案）: the file name said it twice
    name = unquote(word.headers["content-disposition"].split("filename*=UTF-8''")[1])
    assert name.endswith("（草案）.docx") and "（草案）（草案）" not in name, name
    book = client.get(url, params={"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(book.content))["指标"]
    header = [c.value for c in sheet[1]]
    rules = {r[header.index("规则")] for r in sheet.iter_rows(min_row=2, values_only=True)}
    # the rule column of the Chinese workbook is in Chinese, as the command and the page show it
    assert rules and rules <= {"延续趋势", "保持", "对标上级", "对标同级", "沿用", "拟定", None}, (
        rules
    )
    plan = json.loads(client.get(url, params={"format": "json"}).content)
    assert plan["source_plan_id"] == draftable
    refused = client.get(url, params={"format": "odt"})
    assert refused.status_code == 422 and "pdf" in refused.json()["error"]["message"]


def test_the_pdf_export_is_the_draft_table(client, draftable, tmp_path) -> None:  # noqa: ANN001
    import shutil
    import subprocess

    url = f"/api/plans/{draftable}/draft/export"
    answer = client.get(url, params={"format": "pdf", "rule": "higher"})
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    name = unquote(answer.headers["content-disposition"].split("filename*=UTF-8''")[1])
    assert name.endswith("（草案）.pdf"), name
    pdf = tmp_path / "draft.pdf"
    pdf.write_bytes(answer.content)
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is missing: ./run installs Debian's poppler-utils"
    text = "".join(
        subprocess.run([tool, str(pdf), "-"], capture_output=True, text=True).stdout.split()
    )
    body = client.get(f"/api/plans/{draftable}/draft", params={"rule": "higher"}).json()
    for row in body["indicators"]:  # the rule asked for reaches the file: the same targets
        assert "".join(row["name"].split()) in text and (row["target"] or "—") in text, row


def test_draft_page_has_the_rule_form_and_export_links(client, draftable) -> None:  # noqa: ANN001
    page = client.get(f"/plans/{draftable}/draft", params={"rule": "higher", "lang": "zh"}).text
    assert "2026—2030年规划编制" in page
    assert '<option value="higher" selected>' in page and 'name="rules"' in page
    for fmt in ("docx", "pdf", "xlsx", "json"):
        assert f"/api/plans/{draftable}/draft/export?format={fmt}" in page
    # the 【】 cells of the draft are explained under the table, as in the files
    assert '<p class="note" id="table-note">注：带【】为五年累计数。</p>' in page
    assert client.get(f"/plans/{draftable}/draft", params={"lang": "en"}).status_code == 200


def test_cascade_api_and_page(client, cascade_plan) -> None:  # noqa: ANN001
    body = client.get(f"/api/plans/{cascade_plan}/draft/cascade").json()
    assert body["parent_plan_id"] == cascade_plan and body["children"]
    for row in body["indicators"]:
        assert row["reaches"] in (True, False, None)
    page = client.get(f"/plans/{cascade_plan}/draft/cascade", params={"lang": "zh"})
    assert page.status_code == 200 and "上下级目标衔接" in page.text


def test_the_draft_page_names_plans_by_title_and_states_the_base_year_once(
    client, draftable
) -> None:  # noqa: ANN001
    """The crumbs read 规划 1 and the higher plan 8 (row ids); a 2024 baseline read
    3.65（2024年） with （2024） under it again."""
    import re

    plans = {p["id"]: p for p in client.get("/api/plans").json()}
    body = client.get(f"/api/plans/{draftable}/draft").json()
    page = client.get(f"/plans/{draftable}/draft", params={"lang": "zh"}).text
    crumbs = re.search(r'<p class="crumbs">(.*?)</p>', page, re.S).group(1)
    assert plans[draftable]["title"] in crumbs and f">规划 {draftable}<" not in crumbs
    higher = body["higher_plan_id"]
    assert higher and f'<a href="/plans/{higher}">{plans[higher]["title"]}</a>' in page
    assert f">{higher}</a>" not in page
    year = body["plan"]["baseline_year"]
    assert f"基期值 {year}" in page or f"基期值（{year}年）" in page
    cells = re.findall(r'<td class="n" data-label="基期值[^"]*">(.*?)</td>', page, re.S)
    assert len(cells) == len(body["indicators"])
    for cell in cells:  # the year shows once: in the cell's own text when it is not the base year
        assert len(re.findall(r"20\d\d", cell)) <= 1, cell
