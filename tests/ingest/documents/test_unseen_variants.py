"""The corpus plans' indicator tables as other regions would publish them, read back.

Each case takes a gold table (and the notes under it in its corpus document), changes one
thing real plans change (see :mod:`unseen`), writes it as text, HTML, Word or PDF, and reads
it. The rows must come back as the gold states them — seq, category, name, unit, nature,
notes and the figures of the baseline and target (kind, value, percent, data year) — or,
where a row could not be read, its line must be listed in ``unparsed_lines``: never a row
dropped in silence, never a row invented.
"""

from __future__ import annotations

import json
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from ingest_paths import GOLD_INDICATORS, corpus_file
from unseen import TRANSFORMS, WRITERS, Variant, base

from minsheng.ingest.documents.document import read_plan

FIGURE = ("kind", "value", "percent", "data_year")
TEXT_FIELDS = ("seq", "domain", "name", "unit", "nature")


@cache
def _reference(gold_path: Path) -> dict[int, dict[str, Any]]:
    """The corpus document's own rows by seq (they equal the gold: tests/…/test_gold.py)."""
    rows = read_plan(corpus_file(gold_path)).to_json_dict()["indicators"]
    return {r["seq"]: r for r in rows}


def _figure(target: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(target.get(k) for k in FIGURE)


def differences(out: dict[str, Any], gold_path: Path, variant: Variant) -> list[str]:
    """What the extraction got wrong against the gold rows (empty: everything read)."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))["indicators"]
    reference = _reference(gold_path)
    rows = out["indicators"]
    diffs = []
    by_seq = {r["seq"]: r for r in rows}
    for g in gold:
        row = by_seq.pop(g["seq"], None)
        if row is None:
            diffs.append(f"row {g['seq']} {g['name']} missing")
            continue
        for f in TEXT_FIELDS:
            if row[f] != g[f]:
                diffs.append(f"row {g['seq']} {f}: {row[f]!r} != gold {g[f]!r}")
        if row["notes"] != variant.expect_notes(g["notes"]):
            diffs.append(f"row {g['seq']} notes: {row['notes']!r} != {g['notes']!r}")
        for f in ("baseline", "target"):
            want = _figure(reference[g["seq"]][f])
            if _figure(row[f]) != want:
                diffs.append(f"row {g['seq']} {f}: {_figure(row[f])} != {want}")
    diffs += [f"extra row {r['seq']} {r['name']}" for r in by_seq.values()]
    return diffs


def _read(
    gold_path: Path, transform: str | list[str], writer: str, tmp_path: Path
) -> tuple[dict, Variant]:
    gold, variant = base(gold_path)
    for name in [transform] if isinstance(transform, str) else transform:
        variant = TRANSFORMS[name](variant)
    suffix, write = WRITERS[writer]
    path = tmp_path / f"plan{suffix}"
    write(gold, variant, path)
    return read_plan(path).to_json_dict(), variant


#: Variants that add an unrelated table: its lines may be listed as unread, never read as rows.
OTHER_TABLES = ("project_table_after", "population_table_before")
TEXT_WRITERS = ["pipes", "pipes_loose", "spaces", "spaces_wrapped", "html", "docx"]
CASES = [
    pytest.param(g, t, w, id=f"{g.name.split('.')[0][:3]}-{t}-{w}")
    for g in GOLD_INDICATORS
    for t in TRANSFORMS
    for w in TEXT_WRITERS
]


def _read_back(gold_path: Path, transform: str, writer: str, tmp_path: Path) -> dict:
    """The variant written and read; fails with the rows that differ from the gold."""
    out, variant = _read(gold_path, transform, writer, tmp_path)
    diffs = differences(out, gold_path, variant)
    assert not diffs, "\n".join(diffs[:30]) + "\nunparsed: " + repr(out["unparsed_lines"][:10])
    return out


@pytest.mark.parametrize(("gold_path", "transform", "writer"), CASES)
def test_a_variant_reads_back_to_the_gold_rows(
    gold_path: Path, transform: str, writer: str, tmp_path: Path
) -> None:
    out = _read_back(gold_path, transform, writer, tmp_path)
    assert out["unparsed_lines"] == [] or transform in OTHER_TABLES


PDF_TRANSFORMS = ["nature_before_years", "unit_in_name", "full_width", "chinese_seq"]


@pytest.mark.parametrize("writer", ["pdf", "pdf_unruled"])
@pytest.mark.parametrize("transform", PDF_TRANSFORMS)
@pytest.mark.parametrize("gold_path", GOLD_INDICATORS, ids=lambda p: p.name.split(".")[0][:3])
def test_a_pdf_variant_with_wrapped_cells_over_pages_reads_back(
    gold_path: Path, transform: str, writer: str, tmp_path: Path
) -> None:
    out = _read_back(gold_path, transform, writer, tmp_path)
    assert out["unparsed_lines"] == []  # the header repeated on the next page is no row


#: Both take the unit column away: a table has one or the other.
_EXCLUSIVE = {"unit_in_name", "unit_after_name"}


@settings(max_examples=30, deadline=None)
@given(
    table=st.sampled_from(range(len(GOLD_INDICATORS))),
    picked=st.lists(
        st.sampled_from([t for t in TRANSFORMS if t != "header_words"]),
        min_size=2,
        max_size=4,
        unique=True,
    ),
    words=st.booleans(),
    writer=st.sampled_from(TEXT_WRITERS),
)
def test_variants_combined_read_back(
    table: int, picked: list[str], words: bool, writer: str
) -> None:
    """Real plans differ from the corpus in several ways at once."""
    assume(not set(picked) >= _EXCLUSIVE)
    gold_path = GOLD_INDICATORS[table]
    transforms = [*picked, "header_words"] if words else picked
    with tempfile.TemporaryDirectory() as folder:
        out, variant = _read(gold_path, transforms, writer, Path(folder))
    diffs = differences(out, gold_path, variant)
    assert not diffs, "\n".join(diffs[:30]) + "\nunparsed: " + repr(out["unparsed_lines"][:10])
    if not set(picked) & set(OTHER_TABLES):
        assert out["unparsed_lines"] == []


def unknown_header(variant: Variant) -> Variant:
    """Header words no reader knows (内容, 起点, 终点, 类型): the table cannot be read."""
    words = {"指标": "内容", "单位": "计量", "2020年": "起点", "2025年": "终点", "属性": "类型"}
    return Variant([words.get(c, c) for c in variant.header], variant.rows, variant.notes)


@pytest.mark.parametrize("writer", ["pipes", "pipes_loose", "spaces"])
@pytest.mark.parametrize("gold_path", GOLD_INDICATORS, ids=lambda p: p.name.split(".")[0][:3])
def test_a_table_that_cannot_be_read_shows_its_rows(
    gold_path: Path, writer: str, tmp_path: Path
) -> None:
    """No row is invented and none is dropped in silence: every indicator row's line is
    listed as unread, and the extraction asks for review."""
    gold, variant = base(gold_path)
    suffix, write = WRITERS[writer]
    path = tmp_path / f"plan{suffix}"
    write(gold, unknown_header(variant), path)
    out = read_plan(path).to_json_dict()
    assert out["indicators"] == []
    unread = " ".join(u["text"] for u in out["unparsed_lines"])
    names = [r["name"] for r in json.loads(gold_path.read_text("utf-8"))["indicators"]]
    missing = [n for n in names if n[:8] not in unread.replace(" ", "")]
    assert not missing, missing
    assert out["needs_review"]
