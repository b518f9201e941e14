"""Issue 12 in the evaluation report: 六、基本公共服务标准 states the services' comparison and
cost — checked in the model against the services, then in the .docx and .pdf a reader opens."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from standards_facts import standards_fact

from minsheng.reports.model import Paragraph, Report, Section, Table


def _chapter(report: Report) -> Section:
    return next(s for _, s in report.walk() if s.key == "standards")


def _tables(section: Section, key: str) -> list[Table]:
    found = [b for s in [section, *section.subsections] for b in s.blocks if isinstance(b, Table)]
    return [t for t in found if t.key == key]


@pytest.fixture(scope="module")
def built(standards_case):  # noqa: ANN001, ANN201
    from minsheng.reports.build import build_report

    _, content = standards_case
    return build_report(content)


def test_the_chapter_states_the_services_comparison_with_the_level_above(
    standards_case, built
) -> None:
    from minsheng.services.standards_compare import compare_list

    db, content = standards_case
    chapter = _chapter(built)
    assert [s.title for s in chapter.subsections] == [
        "（一）与国家标准对照", "（二）与上级清单对照", "（三）年度成本测算",
    ]  # fmt: skip
    higher = compare_list(db, content.standards.stored.id, "higher").comparison
    # hand-computed: 12,000 元 a year (1,000 a month) < 14,400; 1,000 > 800; 90% = 90%
    assert [p.local.item for p in higher.lower] == ["特殊儿童群体基本生活保障"]
    assert [p.local.item for p in higher.higher] == ["学前教育幼儿资助"]
    assert [p.local.item for p in higher.equal] == ["预防接种"]
    pairs = _tables(chapter.subsections[1], "standards_pairs")[0]
    verdicts = {row[0]: row[-1] for row in pairs.rows}
    assert verdicts["特殊儿童群体基本生活保障"] == "低于"
    assert verdicts["学前教育幼儿资助"] == "高于"
    assert verdicts["预防接种"] == "持平"
    assert verdicts["生育保险"] == "无法比较"  # 按规定享受 states no quantity
    assert sorted(verdicts) == sorted(m.local.item for m in higher.matched)
    summary = dict(_tables(chapter.subsections[1], "standards_summary")[0].rows)
    assert summary["本地新增项目"] == len(higher.added)
    assert summary["上级清单项目未找到"] == len(higher.missing)


def test_the_cost_is_the_services_cost_by_level(standards_case, built) -> None:
    from minsheng.services.standards_cost import cost_list

    db, content = standards_case
    service = cost_list(db, content.standards.stored.id, "500118", 2023).baseline
    # hand-computed: 1,150,000 residents × 89 元 = 102,350,000 元; 中央 80%, 地方 20%
    assert service.total == pytest.approx(102_350_000)
    table = _tables(_chapter(built), "standards_cost")[0]
    total = table.rows[-1]
    assert total[0] == "合计" and total[3] == pytest.approx(service.total / 1e4)
    assert total[4:] == pytest.approx([8_188, 0, 2_047, 0])
    lines = {row[0]: row for row in table.rows[:-1]}
    assert set(lines) == {line.item for line in service.lines}


def test_every_figure_of_the_chapter_is_the_services(standards_case, built) -> None:
    _, content = standards_case
    chapter = _chapter(built)
    checked = 0
    for section in [chapter, *chapter.subsections]:
        for block in section.blocks:
            if not isinstance(block, Paragraph):
                continue
            for key, value in block.numbers.items():
                want = content.year if key == "year" else standards_fact(key, content)
                assert value == pytest.approx(want), (block.text, key)
                checked += 1
    assert checked > 20
    problems = next(s for _, s in built.walk() if s.key == "problems")
    said = " ".join(p.text for b in problems.blocks for p in getattr(b, "items", []))
    assert "国家基本公共服务标准中" in said  # the national items not found are listed as a fact


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: ./run installs Debian's poppler-utils"
    return path


def test_word_and_pdf_files_carry_the_chapter(standards_case, built, tmp_path: Path) -> None:
    import docx

    from minsheng.reports import write

    _, content = standards_case
    document = docx.Document(str(write(built, "docx", tmp_path / "standards.docx")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "六、基本公共服务标准" in headings and "（三）年度成本测算" in headings
    cost = next(t for t in document.tables if t.rows[0].cells[1].text == "受益人数")
    assert [c.text for c in cost.rows[-1].cells][:4] == ["合计", "—", "—", "10,235"]
    pairs = [
        t
        for t in document.tables
        if [c.text for c in t.rows[0].cells][:2] == ["本地服务项目", "上级清单服务项目"]
    ]
    verdicts = {row.cells[0].text: row.cells[-1].text for row in pairs[0].rows[1:]}
    assert verdicts["特殊儿童群体基本生活保障"] == "低于"

    pdf = write(built, "pdf", tmp_path / "standards.pdf")
    text = _squash(
        subprocess.run([_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True).stdout
    )
    for words in (
        "六、基本公共服务标准",
        "（二）与上级清单对照",
        "表6-",
        "10,235万元",
        "中央8,188万元",
    ):
        assert words in text, words
    fonts = subprocess.run([_tool("pdffonts"), str(pdf)], capture_output=True, text=True).stdout
    assert all(r.split()[-5] == "yes" for r in fonts.splitlines()[2:] if r.strip())
    pages = tmp_path / "pages"
    pages.mkdir()
    subprocess.run(
        [_tool("pdftoppm"), "-r", "60", "-png", str(pdf), str(pages / "std")], check=True
    )
    keep = os.environ.get("MINSHENG_REPORT_PAGES_DIR")  # pytest prunes old tmp dirs; keep a copy
    if keep:
        shutil.copytree(pages, Path(keep) / "standards", dirs_exist_ok=True)
    print(f"page images of the standards chapter: {pages}")
