"""A draft plan as PDF, opened as a reader would: poppler's pdftotext, pdffonts and pdftoppm.

The PDF must say what the Word export says, in the same order — title, caption, header,
a category row per domain, every indicator row, the 注 line and the data note — with
its Chinese fonts embedded.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import docx
import pytest
from pdf_files import assert_fonts_embedded, page_images, squash, tool

from minsheng.domain.errors import InvalidData
from minsheng.reports.draft_pdf import write_draft
from minsheng.services.drafting import Draft, draft_plan
from minsheng.services.plans import list_plans

CASES = {"yongchuan": "500118", "national": "100000"}


@pytest.fixture(scope="module")
def drafts(demo_db) -> dict[str, Draft]:  # noqa: ANN001
    plans = {
        s.region_code: s.id for s in list_plans(demo_db) if s.period_end == 2025 and s.indicators
    }
    return {case: draft_plan(demo_db, plans[code], to_year=2030) for case, code in CASES.items()}


def _word_texts(path: Path) -> list[str]:
    """Every text of the Word export in reading order (a merged category row once)."""
    document = docx.Document(str(path))
    body = document.element.body
    texts: list[str] = []
    paragraphs = iter(document.paragraphs)
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            texts.append(next(paragraphs).text)
        elif child.tag.endswith("}tbl"):
            for row in document.tables[0].rows:
                cells = [c.text for c in row.cells]
                texts.extend(cells[:1] if len(set(cells)) == 1 else cells)
    return [t for t in texts if t.strip()]


@pytest.mark.parametrize("case", CASES)
def test_the_pdf_says_what_the_word_table_says(case, drafts, tmp_path: Path) -> None:
    draft = drafts[case]
    pdf = write_draft(draft, tmp_path / "draft.pdf")
    word = write_draft(draft, tmp_path / "draft.docx")
    text = subprocess.run(
        [tool("pdftotext"), "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = squash(text)
    at = 0
    for piece in _word_texts(word):  # each in turn, after the one before it
        found = flat.find(squash(piece), at)
        assert found >= 0, (piece, flat[at : at + 80])
        at = found + len(squash(piece))
    for ind in draft.plan.indicators:
        assert squash(ind.name) in flat, ind.name
    if case == "national":  # a 【】 total and a yearly average: both explained, numbered
        assert "注：1.带【】为五年累计数。2.带*为五年年均数。" in flat
    if draft.synthetic_baselines:
        assert f"{draft.synthetic_baselines}项为演示用合成数据" in flat


@pytest.mark.parametrize("case", CASES)
def test_the_pdf_embeds_its_chinese_fonts_and_renders_pages(case, drafts, tmp_path: Path) -> None:
    pdf = write_draft(drafts[case], tmp_path / "draft.pdf")
    assert_fonts_embedded(pdf)
    images = page_images(pdf, tmp_path / "pages", case)
    info = subprocess.run(
        [tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert len(images) == count >= 1


def test_an_unknown_suffix_is_refused_with_the_ones_there_are(drafts, tmp_path: Path) -> None:
    with pytest.raises(InvalidData, match=r"\.pdf"):
        write_draft(drafts["yongchuan"], tmp_path / "draft.odt")
    assert not (tmp_path / "draft.odt").exists()
