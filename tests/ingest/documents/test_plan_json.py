"""The ingest JSON contract and plan_from_dict, for ingest output and gold-shaped objects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_paths import FIXTURES, GOLD_INDICATORS, corpus_file

from minsheng.domain.errors import InvalidData
from minsheng.domain.targets import TargetKind
from minsheng.ingest.documents.document import read_plan
from minsheng.ingest.documents.plan_json import (
    GOLD_ROW_FIELDS,
    load_plan_json,
    plan_from_dict,
    plans_from_json,
)

TOP_FIELDS = {"document", "region", "level", "baseline_year", "target_year", "indicators"}
EXTRA_FIELDS = {
    "services",
    "projects",
    "outline",
    "metadata",
    "warnings",
    "unparsed_lines",
    "confidence",
    "removed",
}


def test_json_object_has_the_gold_fields_and_the_additions() -> None:
    out = read_plan(FIXTURES / "column_order.txt").to_json_dict()
    assert out.keys() >= TOP_FIELDS | EXTRA_FIELDS
    row = out["indicators"][0]
    assert set(GOLD_ROW_FIELDS) | {"baseline", "target", "domain_code", "canonical"} <= row.keys()
    assert set(out["metadata"]) >= {
        "title",
        "issuer",
        "document_number",
        "issue_date",
        "publish_date",
        "region_code",
        "region_name",
        "level",
        "period_start",
        "period_end",
    }
    json.dumps(out, ensure_ascii=False)  # serialisable as is


@pytest.mark.parametrize("gold_path", GOLD_INDICATORS, ids=lambda p: p.name.split(".")[0])
def test_round_trip_keeps_every_parsed_cell(gold_path: Path, tmp_path: Path) -> None:
    extraction = read_plan(corpus_file(gold_path))
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(extraction.to_json_dict(), ensure_ascii=False), encoding="utf-8")
    (plan,) = load_plan_json(path)
    assert [r.gold_fields() for r in plan.indicators] == [
        r.gold_fields() for r in extraction.plan.indicators
    ]
    assert [(r.baseline, r.target) for r in plan.indicators] == [
        (r.baseline, r.target) for r in extraction.plan.indicators
    ]
    assert plan.metadata.region_code == extraction.plan.metadata.region_code
    assert len(plan.services) == len(extraction.plan.services)


@pytest.mark.parametrize("gold_path", GOLD_INDICATORS, ids=lambda p: p.name.split(".")[0])
def test_a_gold_file_rebuilds_the_same_cells_as_the_extraction(gold_path: Path) -> None:
    """Without parsed objects, raw cells are parsed and the notes re-applied (name markers included)."""
    (from_gold,) = load_plan_json(gold_path)
    extracted = read_plan(corpus_file(gold_path)).plan
    by_seq = {r.seq: r for r in extracted.indicators}
    for row in from_gold.indicators:
        other = by_seq[row.seq]
        assert (row.baseline, row.target) == (other.baseline, other.target) or (
            row.baseline.kind,
            row.target.kind,
            row.baseline.data_year,
        ) == (other.baseline.kind, other.target.kind, other.baseline.data_year), row.name


def test_notes_on_a_gold_row_resolve_name_markers() -> None:
    plan = plan_from_dict(
        {
            "baseline_year": 2020,
            "target_year": 2025,
            "indicators": [
                {
                    "seq": 1,
                    "name": "培训人数",
                    "baseline_raw": "1800",
                    "target_raw": "1500",
                    "nature": "预期性",
                    "notes": "带*指标数据分别为“十三五”和“十四五”时期的年度平均值。",
                },
                {
                    "seq": 2,
                    "name": "人均预期寿命",
                    "baseline_raw": "77.3**",
                    "target_raw": "78.3",
                    "notes": "带**的为2019年数据。",
                },
            ],
        }
    )
    first, second = plan.indicators
    assert first.baseline.kind is first.target.kind is TargetKind.ANNUAL_AVERAGE
    assert (
        second.baseline.data_year == 2019
        and second.baseline_year == 2019
        and second.target.data_year is None
    )


def test_an_array_gives_several_plans_and_bad_rows_are_numbered() -> None:
    row = {"name": "甲", "baseline_raw": "1", "target_raw": "2"}
    assert len(plans_from_json([{"indicators": [row]}, {"indicators": [row]}])) == 2
    with pytest.raises(InvalidData) as info:
        plan_from_dict({"indicators": [row, {"name": ""}, 3]})
    assert [p.row for p in info.value.problems] == [2, 3]
    with pytest.raises(InvalidData):
        plan_from_dict({"no": "indicators"})


@pytest.mark.parametrize("gold_path", GOLD_INDICATORS, ids=lambda p: p.name.split(".")[0])
def test_a_gold_region_name_resolves_to_the_extractions_code(gold_path: Path) -> None:
    (from_gold,) = load_plan_json(gold_path)
    extracted = read_plan(corpus_file(gold_path)).plan
    assert from_gold.metadata.region_code == extracted.metadata.region_code
    assert from_gold.metadata.level == extracted.metadata.level


def test_a_refused_plan_json_names_its_file(tmp_path: Path) -> None:
    for body in ('{"title": "no indicators"}', '{"indicators": [1]}'):
        path = tmp_path / "county-plan.json"
        path.write_text(body, encoding="utf-8")
        with pytest.raises(InvalidData) as refused:
            load_plan_json(path)
        assert refused.value.message.startswith("county-plan.json: ")


def test_a_domain_the_matched_entry_gave_stays_marked_through_json() -> None:
    """Written out and read back (``ingest --json`` then ``ingest FILE.json``), a domain the
    matched catalogue entry gave is still the entry's, so unmapping the row takes it back."""
    from minsheng.ingest.documents.document import extract_lines
    from minsheng.ingest.documents.plan_json import plan_to_dict
    from minsheng.ingest.documents.readers import RawDocument

    lines = [
        "某市“十四五”基本公共服务规划",
        "序号 | 指标 | 单位 | 2020年 | 2025年 | 属性 |",
        "1 | 每千人口拥有注册护士数 | 人 | 2.7 | 3.5 | 预期性 |",
        "一、学有所教",
        "2 | 每千人口拥有注册护士数 | 人 | 2.7 | 3.5 | 预期性 |",
    ]
    plan = extract_lines(RawDocument(lines=lines), "plan.txt").plan
    again = plan_from_dict(json.loads(json.dumps(plan_to_dict(plan), ensure_ascii=False)))
    assert [(r.domain_code, r.domain_from) for r in again.indicators] == [
        ("health_care", "mapping"),
        ("education", None),
    ]
