"""Metadata of plans as they arrive: corpus heads against the gold metadata, and made-up pages
for each form (signature with blank lines, labelled page fields, cited numbers, section headings,
Traditional script, a region named only in a caption, no region at all)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from ingest_paths import CORPUS, FIXTURES, GOLD

from minsheng.ingest.documents.document import extract_lines
from minsheng.ingest.documents.metadata import read_metadata_sourced
from minsheng.ingest.documents.readers import read_document

GOLD_FIELDS = ("title", "issuer", "document_number", "issue_date", "region_code", "level")


def _gold() -> dict[str, dict[str, object]]:
    data = json.loads((GOLD / "metadata.json").read_text(encoding="utf-8"))
    return data["documents"]


def test_every_gold_document_is_in_the_corpus() -> None:
    names = _gold()
    assert names
    for name in names:
        assert (CORPUS / name).is_file(), name


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("plan_*.txt")))
def test_corpus_head_metadata_matches_gold(name: str) -> None:
    expected = _gold()[name]
    extraction = extract_lines(read_document(CORPUS / name), name)
    meta = extraction.plan.metadata
    got = {
        "title": meta.title,
        "issuer": meta.issuer,
        "document_number": meta.document_number,
        "issue_date": meta.issue_date.isoformat() if meta.issue_date else None,
        "region_code": meta.region_code,
        "level": meta.level.value if meta.level else None,
    }
    assert got == {k: expected[k] for k in GOLD_FIELDS}
    for field, value in got.items():
        if value is not None and field in extraction.metadata_sources:
            source = extraction.metadata_sources[field]
            assert 0 < source.confidence <= 1
            assert source.line is None or source.text
    if expected.get("note") and "inferred" in str(expected["note"]):
        assert extraction.metadata_sources["region"].confidence < 0.9


def _read(fixture: str) -> tuple[object, list[str], dict, list[str]]:
    lines = (FIXTURES / fixture).read_text(encoding="utf-8").splitlines()
    meta, warnings, sources = read_metadata_sourced(lines)
    return meta, warnings, sources, lines


def test_signature_with_blank_lines_labelled_fields_and_cited_number() -> None:
    meta, warnings, sources, lines = _read("meta_signature_gaps.txt")
    assert meta.issuer == "长沙市人民政府办公厅"
    assert meta.issue_date == date(2023, 5, 12)
    assert meta.publish_date == date(2023, 5, 16)
    assert meta.document_number == "长政办发〔2023〕9号"
    assert meta.title == "长沙市“十四五”社会事业发展规划"
    assert meta.region_code == "430100"
    assert lines[sources["issuer"].line - 1].strip() == "长沙市人民政府办公厅"
    assert "2023年5月12日" in lines[sources["issue_date"].line - 1]
    assert "发布时间" in lines[sources["publish_date"].line - 1]
    assert lines[sources["document_number"].line - 1].strip() == "长政办发〔2023〕9号"
    assert any("湘政发〔2019〕52号" in w and "cited" in w for w in warnings)


def test_a_cited_number_is_never_taken_for_the_documents_own() -> None:
    lines = ["某县“十四五”规划", "依据《意见》（某政发〔2019〕52号）的要求，制定本规划。"]
    meta, _warnings, _sources = read_metadata_sourced(lines)
    assert meta.document_number is None


def test_traditional_script_page_is_read_and_values_kept_as_written() -> None:
    meta, _warnings, sources, lines = _read("meta_traditional.txt")
    assert meta.title == "廣州市“十四五”公共服務規劃"
    assert meta.document_number == "穗發改〔2022〕15號"
    assert meta.issuer == "廣州市發展和改革委員會"
    assert meta.issue_date == date(2022, 3, 1)
    assert meta.publish_date == date(2022, 3, 8)
    assert meta.region_code == "440100"
    assert meta.level is not None and meta.level.value == "prefecture"
    assert lines[sources["title"].line - 1] == meta.title


def test_a_section_heading_is_not_the_title() -> None:
    meta, _warnings, sources, _lines = _read("meta_section_heading.txt")
    assert meta.title is not None and meta.title.startswith("关于温州市2019年")
    assert sources["title"].line == 2
    assert meta.region_code == "330300"


def test_region_named_only_in_a_table_caption() -> None:
    meta, warnings, sources, _lines = _read("meta_region_in_caption.txt")
    assert meta.region_code == "360700"
    assert sources["region"].line == 4
    assert sources["region"].confidence < 0.9
    assert any("check it" in w for w in warnings)


def test_no_region_is_unknown_never_national() -> None:
    meta, warnings, sources, _lines = _read("meta_no_region.txt")
    assert meta.title == "社区服务体系建设三年行动计划"
    assert (meta.region_code, meta.region_name, meta.level) == (None, None, None)
    assert "region" not in sources
    assert any("region is unknown" in w for w in warnings)
