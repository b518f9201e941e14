"""The four files a user gets, opened with the tools a reader would use: python-docx,
poppler (pdftotext, pdffonts, pdftoppm), openpyxl and a strict HTML5 parser."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import polars as pl
import pytest
from pdf_files import assert_fonts_embedded, page_images, squash, tool

from minsheng.reports.formatting import status_zh

CASES = ["national_final", "yongchuan_midterm"]
HEADINGS = ["一、总体情况", "二、主要指标完成情况", "三、区域均等化", "四、上下衔接", "五、数据质量",
            "六、基本公共服务标准", "七、存在问题", "八、下一步建议", "附录"]  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_docx_has_word_headings_a4_repeating_headers_and_every_indicator(
    case, rendered, contents
) -> None:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(rendered[case, "docx"]))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == HEADINGS
    assert any(p.style.name == "Heading 2" for p in document.paragraphs)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "— " in footer_xml and " —" in footer_xml
    assert any("TOC" in p._p.xml for p in document.paragraphs)
    tables = [t for t in document.tables if t.rows[0].cells[0].text == "序号"]
    names = [row.cells[1].text for t in tables for row in t.rows[1:]]
    assert sorted(names) == sorted(contents[case].results["indicator"].to_list())
    for t in tables:
        assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    body = document.styles["Normal"].font
    assert body.size.pt == 16 and body.name == "仿宋_GB2312"
    h1 = document.styles["Heading 1"].element.rPr.find(qn("w:rFonts"))
    assert h1.get(qn("w:eastAsia")) == "黑体" and h1.get(qn("w:eastAsiaTheme")) is None


@pytest.mark.parametrize("case", CASES)
def test_pdf_text_fonts_embedded_and_page_images(case, rendered, contents, tmp_path: Path) -> None:
    pdf = rendered[case, "pdf"]
    text = subprocess.run(
        [tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = squash(text)
    for heading in HEADINGS:
        assert heading in flat
    for name in contents[case].results["indicator"]:
        assert squash(name) in flat, name
    assert "—2—" in flat  # page numbers in the GB/T 9704 form
    assert_fonts_embedded(pdf)
    pages = tmp_path / "pages"
    images = page_images(pdf, pages, case)
    assert len(images) >= 5
    keep = os.environ.get("MINSHENG_REPORT_PAGES_DIR")  # pytest prunes old tmp dirs; keep a copy
    if keep:
        shutil.copytree(pages, Path(keep) / case, dirs_exist_ok=True)
    print(f"page images of {case}: {pages}")


@pytest.mark.parametrize("case", CASES)
def test_xlsx_holds_the_values_and_statuses_of_the_evaluation(case, rendered, contents) -> None:
    import openpyxl

    workbook = openpyxl.load_workbook(rendered[case, "xlsx"])
    assert workbook.sheetnames[:2] == ["指标完成情况", "计算记录"]
    sheet = workbook["指标完成情况"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) for name in ("指标", "单位", "最新值", "完成进度ρ", "状态")}
    results = {r["indicator"]: r for r in contents[case].results.to_dicts()}
    seen = []
    for row in sheet.iter_rows(min_row=2):
        name = row[col["指标"]].value
        want = results[name]
        seen.append(name)
        value = row[col["最新值"]].value
        assert value is None if want["value"] is None else value == pytest.approx(want["value"])
        assert row[col["状态"]].value == status_zh(want["status"])
        if want["rho"] is not None:
            assert row[col["完成进度ρ"]].value == pytest.approx(want["rho"])
            assert row[col["完成进度ρ"]].number_format == "0.0%"
        if want["status"] == "regressing":
            assert row[col["状态"]].fill.fgColor.rgb.endswith("F8D3D0")
    assert sorted(seen) == sorted(results)
    records = workbook["计算记录"]
    assert records.max_row - 1 == contents[case].results.height
    titles = [c.value for c in records[1]]
    assert {"基期值B", "目标值T", "监测值V", "时间进度e", "完成进度ρ", "计算方法"} <= set(titles)


@pytest.mark.parametrize("case", CASES)
def test_html_is_valid_html5_and_says_what_the_report_says(case, rendered, reports) -> None:
    import html5lib

    markup = rendered[case, "html"].read_text(encoding="utf-8")
    html5lib.HTMLParser(strict=True).parse(markup)  # raises on any parse error
    for heading in HEADINGS:
        assert f">{heading}</h2>" in markup
    assert markup.count("<figure") == len(reports[case].figures())
    assert "data:image/svg+xml;base64," in markup


def test_national_report_covers_the_provinces_spread(rendered) -> None:
    import openpyxl

    # the national plan is judged for its own region; its provinces feed the equity chapter
    html = rendered["national_final", "html"].read_text(encoding="utf-8")
    assert "各指标地区间差距变化" in html and "基尼系数" in html
    workbook = openpyxl.load_workbook(rendered["national_final", "xlsx"])
    sources = workbook["数据来源"]
    assert sources.max_row > 1 and [c.value for c in sources[1]][-1] == "来源"


def test_the_region_of_a_report_is_the_one_asked_for(demo_db) -> None:
    from minsheng.domain.errors import NotFound
    from minsheng.services.plans import list_plans
    from minsheng.services.report_content import report_content

    national = next(s.id for s in list_plans(demo_db) if s.region_code == "100000" and s.indicators)
    province = report_content(demo_db, national, 2025, "final", region="510000")
    assert province.region == "510000" and set(province.results["region"]) == {"510000"}
    assert province.results.filter(pl.col("status") != "no_data").height > 0
    # one series per indicator and region: the district's values judge the national plan too
    county = report_content(demo_db, national, 2025, "final", region="500118")
    assert county.region == "500118" and set(county.results["region"]) == {"500118"}
    assert county.results.filter(pl.col("status") != "no_data").height > 0
    with pytest.raises(NotFound):
        report_content(demo_db, national, 2025, "final", region="999999")


@pytest.mark.parametrize("which", ["longest", "shortest"])
def test_the_report_kind_stays_whole_on_the_cover_title(
    demo_db, tmp_path: Path, which: str
) -> None:
    """A long plan title broke the cover's 总结评估报告 as 总结评/估报告: the title wraps
    inside the plan's own name, the report's kind is kept on one line."""
    from minsheng.reports import write
    from minsheng.reports.build import build_report
    from minsheng.services.plans import list_plans
    from minsheng.services.report_content import report_content

    plans = [p for p in list_plans(demo_db) if p.indicators and p.period_end == 2025]
    pick = max if which == "longest" else min
    plan = pick(plans, key=lambda p: len(p.title)).id
    report = build_report(report_content(demo_db, plan, 2025, "final"))
    assert report.title.endswith(report.title_tail) and report.title_tail
    pdf = write(report, "pdf", tmp_path / "final.pdf")
    cover = subprocess.run(
        [tool("pdftotext"), "-layout", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert squash(report.title) in squash(cover)  # the whole title, nothing dropped
    assert any(report.title_tail in squash(line) for line in cover.splitlines()), cover
    # Word has no nowrap: the kind is a line of its own under the plan's name
    import docx

    word = docx.Document(str(write(report, "docx", tmp_path / "final.docx")))
    title = next(p for p in word.paragraphs if p.style.name == "Title")
    head, tail = report.title[: -len(report.title_tail)], report.title_tail
    assert title.text == f"{head}\n{tail}", title.text


def test_the_published_only_phrase_stays_whole_on_the_cover(demo_db, tmp_path: Path) -> None:
    """The narrow cover broke the public report's 仅依据已发布数据 after 已发; each phrase of
    the line of who made the report is kept on one line."""
    from minsheng.reports import write
    from minsheng.reports.build import build_report
    from minsheng.services.plans import list_plans
    from minsheng.services.report_content import report_content

    plan = next(p.id for p in list_plans(demo_db) if p.region_code == "500118" and p.indicators)
    content = report_content(demo_db, plan, 2023, "midterm", published_only=True)
    pdf = write(build_report(content), "pdf", tmp_path / "public.pdf")
    cover = subprocess.run(
        [tool("pdftotext"), "-layout", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "仅依据已发布数据" in squash(cover)
    assert any("仅依据已发布数据" in squash(line) for line in cover.splitlines()), cover
    page_images(pdf, tmp_path / "pages", "public")  # the cover is drawn (pdftoppm)
