"""Forum copies: junk injected between a table's cells does not change the rows read.

A table reposted on a forum arrives with edit stamps (本帖最后由…编辑), BBCode tags
(``[color=…]``) on lines of their own or around a cell, site watermarks and a forum
named as 来源 — anywhere, even between two cells of one row. The fixtures are the gold
tables flattened by :mod:`flatten`, junk inserted at drawn places; each must read back to
the rows of the clean table, at their (moved) lines, with the junk reported as removed."""

from __future__ import annotations

import re

from flatten import JUNK_LINES, LAYOUTS, mid_table, with_junk, wrap_cells
from hypothesis import given, settings
from hypothesis import strategies as st
from test_flattened_tables import FIELDS, GOLD_TABLES, _read

from minsheng.ingest.documents.document import extract_lines
from minsheng.ingest.documents.readers import RawDocument

VALUE_FIELDS = ("baseline_raw", "target_raw")


@settings(max_examples=80, deadline=None)
@given(
    table=st.sampled_from(range(len(GOLD_TABLES))),
    layout=st.sampled_from(sorted(LAYOUTS)),
    data=st.data(),
)
def test_junk_between_cells_reads_back_to_the_clean_rows(
    table: int, layout: str, data: st.DataObject
) -> None:
    gold = GOLD_TABLES[table]
    picked = data.draw(
        st.lists(st.sampled_from(range(len(gold))), min_size=1, max_size=10, unique=True).map(
            sorted
        )
    )
    rows = [gold[k] for k in picked]
    inserts = data.draw(
        st.lists(st.tuples(st.integers(0, 400), st.sampled_from(JUNK_LINES)), max_size=6)
    )
    wraps = data.draw(
        st.lists(
            st.tuples(st.integers(0, 20), st.sampled_from(VALUE_FIELDS), st.integers(0, 3)),
            max_size=3,
        )
    )
    flat = with_junk(LAYOUTS[layout](wrap_cells(rows, wraps)), inserts)
    got, lines, unparsed = _read(flat)
    assert got == [{k: r[k] for k in FIELDS} for r in rows]
    assert lines == flat.row_lines
    assert unparsed == 0


def test_every_kind_of_junk_in_every_layout_is_removed_and_reported() -> None:
    for gold in GOLD_TABLES:
        want = [{k: r[k] for k in FIELDS} for r in gold]
        for name, flatten in LAYOUTS.items():
            inserts = [(7 * k + 3, junk) for k, junk in enumerate(JUNK_LINES)]
            wraps = [(k, "target_raw", k) for k in range(4)]
            flat = with_junk(flatten(wrap_cells(gold, wraps)), inserts)
            got, lines, unparsed = _read(flat)
            assert got == want, name
            assert lines == flat.row_lines, name
            assert unparsed == 0, name
            extraction = extract_lines(RawDocument(lines=flat.lines), "flat.txt")
            removed = {r.line for r in extraction.removed}
            junk_lines = {n for n, line in enumerate(flat.lines, 1) if line in JUNK_LINES}
            assert junk_lines <= removed, name


def _ocr_misread(rows: list[dict], picks: list[int]) -> list[dict]:
    """Value cells as OCR misreads them: ``。`` for the decimal point, ``一`` for ``—``."""
    out = [dict(r) for r in rows]
    for k in picks:
        row = out[k % len(out)]
        for name in VALUE_FIELDS:
            cell = row[name]
            if cell and set(cell) <= {"—"}:
                row[name] = "一" * len(cell)
            elif cell:
                row[name] = re.sub(r"(?<=\d)\.(?=\d)", "。", cell)
    return out


@settings(max_examples=60, deadline=None)
@given(
    table=st.sampled_from(range(len(GOLD_TABLES))),
    layout=st.sampled_from(sorted(LAYOUTS)),
    data=st.data(),
)
def test_an_ocr_misread_decimal_point_or_dash_reads_as_written(
    table: int, layout: str, data: st.DataObject
) -> None:
    gold = GOLD_TABLES[table]
    picked = data.draw(
        st.lists(st.sampled_from(range(len(gold))), min_size=1, max_size=10, unique=True).map(
            sorted
        )
    )
    rows = [gold[k] for k in picked]
    misread = _ocr_misread(rows, data.draw(st.lists(st.integers(0, 40), max_size=10)))
    flat = LAYOUTS[layout](misread)
    got, lines, unparsed = _read(flat)
    assert got == [{k: r[k] for k in FIELDS} for r in rows]
    assert lines == flat.row_lines
    assert unparsed == 0


@settings(max_examples=40, deadline=None)
@given(table=st.sampled_from(range(len(GOLD_TABLES))), data=st.data())
def test_a_page_starting_mid_table_with_junk_reads_back(table: int, data: st.DataObject) -> None:
    """The headerless layout (rows known by the shape of the numbered rows around them),
    drawn rows and junk between them: the same rows, at their lines."""
    gold = GOLD_TABLES[table]
    picked = data.draw(
        st.lists(st.sampled_from(range(len(gold))), min_size=3, max_size=10, unique=True).map(
            sorted
        )
    )
    rows = [gold[k] for k in picked]
    inserts = data.draw(
        st.lists(st.tuples(st.integers(0, 400), st.sampled_from(JUNK_LINES)), max_size=4)
    )
    flat = with_junk(mid_table(rows), inserts)
    got, lines, unparsed = _read(flat)
    assert got == [{k: r[k] for k in FIELDS} for r in rows]
    assert lines == flat.row_lines
    assert unparsed == 0


def test_a_forum_reposts_furniture_is_not_read_as_metadata() -> None:
    """Edit stamps, tags and a forum named as 来源 around a notice's head: the title, issuer
    and date are the document's own, and every piece of furniture is reported by its line."""
    lines = [
        JUNK_LINES[0],
        "来源：示例论坛",
        "[color=red][b]",
        "某市“十四五”公共服务规划",
        "[/b][/color]",
        "发表于 2021-3-5 10:20",
        "某市人民政府",
        "2021年12月30日",
    ]
    extraction = extract_lines(RawDocument(lines=lines), "repost.txt")
    meta = extraction.plan.metadata
    assert (meta.title, meta.issuer, str(meta.issue_date)) == (
        "某市“十四五”公共服务规划",
        "某市人民政府",
        "2021-12-30",
    )
    assert [r.line for r in extraction.removed] == [1, 2, 3, 5, 6]
