"""The extraction scored against every hand-checked gold file: ≥ 0.98 field-level F1 per document.

A row's eight gold fields are compared one by one. Rows are paired by ``seq``
(then by name for rows a side numbers differently); every field of an extracted
row counts towards precision, every field of a gold row towards recall.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from ingest_paths import GOLD_INDICATORS, GOLD_SERVICES, corpus_file

from minsheng.ingest.documents.document import read_plan
from minsheng.ingest.documents.extraction import Extraction
from minsheng.ingest.documents.plan_json import GOLD_ROW_FIELDS

REQUIRED_F1 = 0.98


@cache
def _extract(path: Path) -> Extraction:
    return read_plan(path)


def field_scores(extracted: list[dict], gold: list[dict]) -> tuple[float, float, float, list[str]]:
    """Precision, recall, F1 over fields, and the differences found (for the failure message)."""
    by_seq = {g["seq"]: g for g in gold}
    by_name = {g["name"]: g for g in gold}
    correct, diffs, used = 0, [], set()
    for row in extracted:
        g = by_seq.get(row["seq"])
        if g is None or g["name"] != row["name"] and row["name"] in by_name:
            g = by_name.get(row["name"], g)
        if g is None or id(g) in used:
            diffs.append(f"extra row {row['seq']} {row['name']}")
            continue
        used.add(id(g))
        for f in GOLD_ROW_FIELDS:
            if row[f] == g[f]:
                correct += 1
            else:
                diffs.append(f"row {g['seq']} {f}: {row[f]!r} != gold {g[f]!r}")
    n_extracted = len(extracted) * len(GOLD_ROW_FIELDS)
    n_gold = len(gold) * len(GOLD_ROW_FIELDS)
    precision = correct / n_extracted if n_extracted else 0.0
    recall = correct / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, diffs


def test_the_scorer_counts_wrong_and_missing_fields() -> None:
    gold = [{f: i for f in GOLD_ROW_FIELDS} | {"seq": i, "name": f"n{i}"} for i in range(1, 5)]
    wrong = [dict(r) for r in gold[:3]]
    wrong[0]["unit"] = "x"
    p, r, f1, diffs = field_scores(wrong, gold)
    assert p == pytest.approx(23 / 24) and r == pytest.approx(23 / 32)
    assert len(diffs) == 1 and f1 < 0.85


@pytest.mark.parametrize("gold_path", GOLD_INDICATORS, ids=lambda p: p.name.split(".")[0])
def test_indicator_tables_match_gold(gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    extraction = _extract(corpus_file(gold_path))
    out = extraction.to_json_dict()
    precision, recall, f1, diffs = field_scores(out["indicators"], gold["indicators"])
    message = f"{gold_path.name}: precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f}"
    print(message)
    assert f1 >= REQUIRED_F1, message + "\n" + "\n".join(diffs[:40])
    for key in ("document", "region", "level", "baseline_year", "target_year"):
        assert out[key] == gold[key], f"{key}: {out[key]!r} != gold {gold[key]!r}"


@pytest.mark.parametrize("gold_path", GOLD_INDICATORS, ids=lambda p: p.name.split(".")[0])
def test_gold_documents_read_without_unparsed_lines(gold_path: Path) -> None:
    extraction = _extract(corpus_file(gold_path))
    assert extraction.unparsed_lines == []
    assert extraction.confidence >= 0.9


@pytest.mark.parametrize("gold_path", GOLD_SERVICES, ids=lambda p: p.name.split(".")[0])
def test_service_lists_match_gold(gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    extraction = _extract(corpus_file(gold_path))
    services = extraction.to_json_dict()["services"]
    fields = ("domain", "content_and_goal", "items", "declared_count")
    correct = sum(1 for s, g in zip(services, gold, strict=False) for f in fields if s[f] == g[f])
    precision = correct / (len(services) * len(fields)) if services else 0.0
    recall = correct / (len(gold) * len(fields))
    f1 = 2 * precision * recall / (precision + recall) if correct else 0.0
    message = (
        f"{gold_path.name} services: precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f}"
    )
    print(message)
    assert f1 >= REQUIRED_F1, message
    assert all(
        s["declared_count"] == len(s["items"]) for s in services if s["declared_count"] is not None
    )
