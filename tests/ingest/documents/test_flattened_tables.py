"""One table reader for every layout: a gold table flattened any way reads back to its rows.

The gold tables (../shared/gold/*.indicators.json) are written out by :mod:`flatten` as
pipes with merged group cells, one cell per line (with empty lines, with blank lines between,
with `` |`` ends), tabs, runs of spaces and box-drawing characters; every variant must give the
same rows, each at the line where its first cell is written, and nothing unread."""

from __future__ import annotations

import json

from flatten import LAYOUTS, Flat
from hypothesis import given, settings
from hypothesis import strategies as st
from ingest_paths import GOLD_INDICATORS

from minsheng.ingest.documents.document import extract_lines
from minsheng.ingest.documents.readers import RawDocument

#: Fields a table alone gives (notes come from the note block under a table, not flattened here).
FIELDS = ("seq", "domain", "name", "unit", "baseline_raw", "target_raw", "nature")


def _gold_tables() -> list[list[dict]]:
    assert GOLD_INDICATORS, "the shared gold extractions are missing"
    return [json.loads(p.read_text(encoding="utf-8"))["indicators"] for p in GOLD_INDICATORS]


GOLD_TABLES = _gold_tables()


def _read(flat: Flat) -> tuple[list[dict], list[int], int]:
    extraction = extract_lines(RawDocument(lines=flat.lines), "flat.txt")
    out = extraction.to_json_dict()
    rows = [{k: r[k] for k in FIELDS} for r in out["indicators"]]  # type: ignore[union-attr]
    return rows, extraction.row_lines, len(extraction.unparsed_lines)


def test_every_layout_reads_every_gold_table_whole() -> None:
    for gold in GOLD_TABLES:
        want = [{k: r[k] for k in FIELDS} for r in gold]
        for name, flatten in LAYOUTS.items():
            flat = flatten(gold)
            rows, lines, unparsed = _read(flat)
            assert rows == want, name
            assert lines == flat.row_lines, name
            assert unparsed == 0, name


@settings(max_examples=60, deadline=None)
@given(
    table=st.sampled_from(range(len(GOLD_TABLES))),
    layout=st.sampled_from(sorted(LAYOUTS)),
    data=st.data(),
)
def test_any_selection_of_gold_rows_in_any_layout_reads_back(
    table: int, layout: str, data: st.DataObject
) -> None:
    gold = GOLD_TABLES[table]
    picked = data.draw(
        st.lists(st.sampled_from(range(len(gold))), min_size=1, max_size=12, unique=True).map(
            sorted
        )
    )
    rows = [gold[k] for k in picked]
    flat = LAYOUTS[layout](rows)
    got, lines, unparsed = _read(flat)
    assert got == [{k: r[k] for k in FIELDS} for r in rows]
    assert lines == flat.row_lines
    assert unparsed == 0


def test_unit_from_a_column_header_and_rows_told_apart_by_their_numbers() -> None:
    from flatten import header_unit_no_nature

    for gold in GOLD_TABLES:
        rows = [r for r in gold if r["unit"] in ("%", None)]
        flat = header_unit_no_nature(rows)
        extraction = extract_lines(RawDocument(lines=flat.lines), "flat.txt")
        got = [
            (r.seq, r.name, r.unit, r.baseline_raw, r.target_raw)
            for r in extraction.plan.indicators
        ]
        assert got == [(r["seq"], r["name"], "%", r["baseline_raw"], r["target_raw"]) for r in rows]
        assert extraction.row_lines == flat.row_lines
        assert extraction.unparsed_lines == []


def test_a_table_in_traditional_script_reads_back() -> None:
    from opencc import OpenCC

    to_traditional = OpenCC("s2t")
    for gold in GOLD_TABLES:
        flat = LAYOUTS["pipes"](gold)
        lines = [to_traditional.convert(line) for line in flat.lines]
        assert lines != flat.lines
        extraction = extract_lines(RawDocument(lines=lines), "trad.txt")
        rows = [
            {k: v for k, v in r.gold_fields().items() if k in FIELDS}
            for r in extraction.plan.indicators
        ]
        assert rows == [{k: r[k] for k in FIELDS} for r in gold]
        assert extraction.row_lines == flat.row_lines
        assert any("Traditional" in w for w in extraction.warnings)
