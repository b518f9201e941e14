"""Layouts the corpus does not show: other column orders, target-only tables, Word, HTML, GBK."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from ingest_paths import FIXTURES

from minsheng.domain.errors import InvalidData
from minsheng.domain.targets import TargetKind
from minsheng.ingest.documents.document import read_plan
from minsheng.ingest.documents.readers import decode_bytes, read_document


def _rows(path: Path) -> list[dict]:
    return read_plan(path).to_json_dict()["indicators"]


def test_columns_in_another_order_are_read_by_their_headers() -> None:
    extraction = read_plan(FIXTURES / "column_order.txt")
    rows = extraction.to_json_dict()["indicators"]
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
    first = rows[0]
    assert (first["unit"], first["baseline_raw"], first["target_raw"], first["nature"]) == (
        "个",
        "2.1",
        "4.6",
        "预期性",
    )
    assert first["domain"].endswith("幼有所育") and first["domain_code"] == "childcare"
    marked = next(r for r in rows if r["target_raw"].endswith("*"))
    assert marked["target"]["data_year"] == 2024 and "2024" in marked["notes"]
    cumulative = next(r for r in rows if r["baseline_raw"].startswith("【"))
    assert cumulative["baseline"]["kind"] == cumulative["target"]["kind"] == "cumulative"
    assert (
        extraction.plan.metadata.level is not None
        and extraction.plan.metadata.level.value == "county"
    )
    assert extraction.unparsed_lines == []


def test_a_table_with_only_targets_has_no_baselines() -> None:
    extraction = read_plan(FIXTURES / "targets_only.txt")
    plan = extraction.plan
    assert plan.baseline_year is None and plan.target_year == 2025
    assert all(
        r.baseline_raw is None and r.baseline.kind is TargetKind.NONE for r in plan.indicators
    )
    kinds = {r.name: r.target.kind for r in plan.indicators}
    assert TargetKind.ABOUT in kinds.values() and TargetKind.FULL_COVERAGE in kinds.values()
    assert all(r.domain and r.nature for r in plan.indicators)
    assert [r.seq for r in plan.indicators] == list(range(1, len(plan.indicators) + 1))


def test_a_gbk_encoded_text_file(tmp_path: Path) -> None:
    source = FIXTURES / "gbk_plain.txt"
    target = tmp_path / "gbk.txt"
    target.write_bytes(source.read_text(encoding="utf-8").encode("gbk"))
    assert decode_bytes(target.read_bytes())[1] == "gb18030"
    assert _rows(target) == _rows(source)
    rows = _rows(target)
    assert rows[0]["unit"] == "个" and rows[0]["name"].endswith(
        "托位数"
    )  # unit moved out of the name
    assert read_plan(target).plan.metadata.document_number is not None


def test_an_html_page_loses_its_chrome_but_not_its_table() -> None:
    extraction = read_plan(FIXTURES / "chrome_page.html")
    removed = " ".join(r.text for r in extraction.removed)
    for chrome in ("设为首页", "ICP", "分享到", "当前位置"):
        assert chrome in removed
    rows = extraction.to_json_dict()["indicators"]
    assert (
        len(rows) == 3
        and rows[0]["domain"] == "一、学有所教"
        and rows[-1]["domain"] == "二、老有所养"
    )
    meta = extraction.plan.metadata
    assert meta.publish_date is not None and meta.issuer and "发布" not in meta.issuer


def _write_docx(path: Path, header: list[str], rows: list[list[str]], notes: str) -> None:
    document = docx.Document()
    document.add_paragraph("湖南省长沙市岳麓区“十四五”公共服务规划")
    document.add_paragraph("专栏1 主要指标")
    table = document.add_table(rows=1, cols=len(header))
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for values in rows:
        cells = table.add_row().cells
        if len(values) == 1:  # a category row across the whole table
            merged = cells[0].merge(cells[-1])
            merged.text = values[0]
            continue
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    document.add_paragraph(notes)
    document.add_paragraph("第二章 主要任务")
    document.save(str(path))


def test_a_word_table_becomes_rows(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    _write_docx(
        path,
        ["序号", "指标", "属性", "单位", "2020年", "2025年"],
        [
            ["一、病有所医"],
            ["1", "每千人口拥有注册护士数", "预期性", "人", "3.1", "3.8"],
            ["2", "人均预期寿命", "预期性", "岁", "78.5**", "79.5"],
            ["二、老有所养"],
            ["3", "新增养老床位", "预期性", "张", "—", "【1500】"],
        ],
        "注：1.带**的为2019年数据。2.带【】为五年累计数。",
    )
    extraction = read_plan(path)
    rows = extraction.to_json_dict()["indicators"]
    assert [(r["seq"], r["domain"], r["unit"]) for r in rows] == [
        (1, "一、病有所医", "人"),
        (2, "一、病有所医", "岁"),
        (3, "二、老有所养", "张"),
    ]
    assert rows[1]["baseline"]["data_year"] == 2019 and rows[1]["notes"] == "带**的为2019年数据。"
    assert rows[2]["target"]["kind"] == "cumulative" and rows[2]["baseline"]["kind"] == "none"
    assert extraction.plan.metadata.region_code is not None


def test_a_row_that_does_not_fit_is_reported_with_its_line(tmp_path: Path) -> None:
    text = (FIXTURES / "column_order.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("义务教育巩固率"))
    lines[at] = "义务教育巩固率 | 待定 | % | 100 | 100 |"
    path = tmp_path / "broken.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    extraction = read_plan(path)
    assert [u.line for u in extraction.unparsed_lines] == [at + 1]
    assert all(r.name != "义务教育巩固率" for r in extraction.plan.indicators)
    assert extraction.confidence < read_plan(FIXTURES / "column_order.txt").confidence


def test_an_unsupported_file_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "plan.xls"
    path.write_bytes(b"\x00")
    with pytest.raises(InvalidData):
        read_document(path)


def test_a_category_split_by_ordinary_spaces_is_rejoined() -> None:
    rows = _rows(FIXTURES / "space_split_category.txt")
    assert [r["domain"] for r in rows] == ["幼有所育", "文体服务保障", "文体服务保障", "社会保障"]
    assert rows[1]["name"] == "人均体育场地面积" and rows[3]["name"] == "基本养老保险参保率"


def test_an_html_table_with_rowspan_categories_and_declared_gbk() -> None:
    extraction = read_plan(FIXTURES / "rowspan_table.html")
    rows = extraction.to_json_dict()["indicators"]
    assert [r["domain"] for r in rows] == ["基本公共服务"] * 2 + ["普惠性非基本公共服务"] * 2
    assert [r["target"]["kind"] for r in rows] == ["at_least", "below", "about", "reach"]
    assert extraction.plan.baseline_year == 2020 and extraction.plan.target_year == 2025
    assert extraction.unparsed_lines == []


def _minimal_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a Helvetica text layer (ASCII), written by hand."""
    ops = ["BT", "/F1 12 Tf", "50 750 Td"]
    for i, line in enumerate(lines):
        if i:
            ops.append("0 -20 Td")
        ops.append(f"({line}) Tj")
    ops.append("ET")
    stream = "\n".join(ops).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def test_a_pdf_text_layer_is_read_as_lines(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(_minimal_pdf(["Plan 2021-2025", "Indicator table"]))
    lines = [line for line in read_document(path).lines if line.strip()]
    assert lines == ["Plan 2021-2025", "Indicator table"]


def test_a_broken_pdf_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(InvalidData):
        read_document(path)


def test_a_word_table_with_a_vertically_merged_category(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("湖南省长沙市岳麓区“十四五”公共服务规划")
    table = document.add_table(rows=4, cols=5)
    for cell, text in zip(
        table.rows[0].cells, ["类别", "指标", "2020年", "2025年", "属性"], strict=True
    ):
        cell.text = text
    table.cell(1, 0).merge(table.cell(3, 0)).text = "病有所医"
    rows = [
        ["人均预期寿命", "78", "79", "预期性"],
        ["注册护士数", "3.1", "3.8", "预期性"],
        ["参保率", "95%", ">95%", "约束性"],
    ]
    for i, values in enumerate(rows, 1):
        for j, text in enumerate(values, 1):
            table.cell(i, j).text = text
    path = tmp_path / "merged.docx"
    document.save(str(path))
    out = _rows(path)
    assert [(r["domain"], r["name"], r["nature"]) for r in out] == [
        ("病有所医", v[0], v[3]) for v in rows
    ]
