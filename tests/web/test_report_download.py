"""Issue 11: the dashboard's report download, every format, on the demo database."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html", "xlsx"])
def test_each_report_format_downloads_and_opens(client, national_plan, fmt: str) -> None:  # noqa: ANN001
    response = client.get(
        f"/api/plans/{national_plan['id']}/report",
        params={"format": fmt, "kind": "annual", "year": 2023},
    )
    assert response.status_code == 200, response.text[:300]
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    name = unquote(disposition.split("filename*=UTF-8''")[1])
    assert name.endswith(f".{fmt}") and "2023" in name and "年度监测报告" in name
    data = response.content
    if fmt == "docx":
        import docx

        assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
        assert "主要指标完成情况" in text
    elif fmt == "pdf":
        assert response.headers["content-type"] == "application/pdf"
        assert data.startswith(b"%PDF")
    elif fmt == "html":
        assert response.headers["content-type"].startswith("text/html")
        parser = HTMLParser()
        parser.feed(data.decode("utf-8"))
        assert "<h1" in data.decode("utf-8")
    else:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data))
        assert book.sheetnames


def test_bad_format_and_kind_are_422(client, national_plan) -> None:  # noqa: ANN001
    url = f"/api/plans/{national_plan['id']}/report"
    bad = client.get(url, params={"format": "odt"})
    assert bad.status_code == 422 and "odt" in bad.json()["error"]["message"]
    assert client.get(url, params={"kind": "weekly"}).status_code == 422
    assert client.get("/api/plans/999999/report").status_code == 404


def test_dashboard_offers_the_report_in_every_format(client, national_plan) -> None:  # noqa: ANN001
    page = client.get(f"/plans/{national_plan['id']}", params={"year": 2023, "lang": "zh"}).text
    for fmt in ("docx", "pdf", "html", "xlsx"):
        assert (
            f"/api/plans/{national_plan['id']}/report?format={fmt}&amp;kind=annual&amp;year=2023"
            in page
        )
    assert "下载评估报告" in page
    assert f"/plans/{national_plan['id']}/draft" in page
