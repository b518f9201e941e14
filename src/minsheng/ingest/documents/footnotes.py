"""Notes under an indicator table (注：1. 带【】为… / 1. 带*指标…) and the rows they describe.

A note either defines a marker (``带**的为2019年数据``) and then describes every
row carrying that marker, on its name or on a value; or it defines a term
(``人均体育场地面积：…``, ``公共文化设施包括…``) and then describes the rows
whose name is that term or contains it. The meaning of a marker comes from
:func:`minsheng.domain.targets.read_footnote`; applying it to the cells is
:func:`minsheng.domain.targets.apply_footnote`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from minsheng.domain.targets import (
    Footnote,
    FootnoteMeaning,
    Target,
    TargetKind,
    apply_footnote,
    normalise_cell,
    read_footnote,
    says_annual_average,
)
from minsheng.ingest.documents.text import split_numbered, squeeze_spaces

_NOTE_HEAD = re.compile(r"^\s*(?:注|说明|备注)\s*[:：]?\s*")
_TERM = re.compile(r"^(?P<term>[^:：。，,]{2,40}?)(?:[:：]|包括|是指|指的是|指|为)")
_MARKED = re.compile(r"^带\s*(\*+|【\s*】|\[\s*\])")
#: Notes numbered ①②… (and the same number set on a name as its marker).
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_CIRCLED_ITEM = re.compile(rf"(?:(?<=^)|(?<=[\s。；;]))\s*([{CIRCLED}])\s*")


def circled_number(marker: str) -> int | None:
    """``②`` → 2; None for any other marker."""
    return CIRCLED.index(marker) + 1 if len(marker) == 1 and marker in CIRCLED else None


#: A name's similarity (0–100) to a note's term for the note to describe it.
TERM_MATCH = 80.0


@dataclass(frozen=True)
class Note:
    """One numbered note, its text without the number."""

    number: int
    text: str
    footnote: Footnote | None
    term: str | None
    marker: str | None = None  # the marker a note is about, even when its meaning is not understood


def parse_notes(block: str) -> list[Note]:
    """Read a table's note block (``注：1.…2.…`` or lines ``1.…``) into notes."""
    body = _CIRCLED_ITEM.sub(
        lambda m: f"{circled_number(m.group(1))}.", _NOTE_HEAD.sub("", block, count=1)
    )
    items = split_numbered(body)
    if not items:
        items = [(1, body.strip())] if body.strip() else []
    notes = []
    for number, raw in items:
        text = squeeze_spaces(raw)
        if not text:
            continue
        footnote = read_footnote(text)
        term = None
        marked = _MARKED.match(normalise_cell(text))
        marker = footnote.marker if footnote else (_marker_key(marked.group(1)) if marked else None)
        if footnote is None and marker is None:
            m = _TERM.match(text)
            term = m.group("term") if m else None
        notes.append(Note(number, text, footnote, term, marker))
    return notes


def _marker_key(marker: str) -> str:
    return marker if marker.startswith("*") else "【】"


def marker_of(value: str | None) -> str | None:
    """The footnote marker a cell carries: ``*``-runs, or ``【】`` for a bracketed value."""
    if not value:
        return None
    text = normalise_cell(value)
    m = re.search(r"(\*+)\s*$", text)
    if m:
        return m.group(1)
    if "【" in text and "】" in text:
        return "【】"
    return None


def name_key(name: str) -> str:
    """A name reduced for comparison: no spaces, one bracket style, no quotes."""
    text = normalise_cell(name).replace(" ", "")
    return re.sub(r"[“”\"'‘’]", "", text).replace("（", "(").replace("）", ")")


def term_matches(term: str, name: str) -> bool:
    """Whether a note's term names this row (nearly the same words) or is part of its name."""
    key_term, key_name = name_key(term), name_key(name)
    if not key_term:
        return False
    return key_term in key_name or fuzz.ratio(key_term, key_name) >= TERM_MATCH


def notes_for_row(
    notes: list[Note], name: str, name_marker: str | None, value_markers: list[str | None]
) -> list[Note]:
    """The notes that describe one row, in the order they are numbered."""
    found = []
    numbered = circled_number(name_marker) if name_marker else None
    for note in notes:
        if numbered is not None and note.number == numbered:
            found.append(note)  # ② on the name: the note numbered 2, whatever it is about
        elif note.marker is not None:
            if note.marker == name_marker or note.marker in value_markers:
                found.append(note)
        elif note.term and term_matches(note.term, name):
            found.append(note)
    return found


_BOTH_KINDS = re.compile(r"累计.{0,8}或.{0,8}年均|年均.{0,8}或.{0,8}累计")
_RATE_NAME = re.compile(r"年均|增长|增速|增幅")


def for_row(footnote: Footnote, name: str) -> Footnote:
    """One note may give a marker two meanings (``带【】的为五年累计数或年均数``):
    then a rate's row (``…年均增长``) reads it as an annual average, any other as a sum."""
    if footnote.meaning is FootnoteMeaning.DATA_YEAR or not _BOTH_KINDS.search(footnote.text):
        return footnote
    meaning = (
        FootnoteMeaning.ANNUAL_AVERAGE if _RATE_NAME.search(name) else FootnoteMeaning.CUMULATIVE
    )
    return replace(footnote, meaning=meaning)


def remark_footnote(remark: str | None) -> Footnote | None:
    """A 备注 cell that says what its row's numbers are (``五年累计``, ``年均增速``)."""
    if not remark:
        return None
    if says_annual_average(remark):
        return Footnote("", FootnoteMeaning.ANNUAL_AVERAGE, None, remark)
    if "累计" in remark:
        return Footnote("", FootnoteMeaning.CUMULATIVE, None, remark)
    return None


def apply_notes(
    target: Target, notes: list[Note], row_marker: str | None, name: str = ""
) -> Target:
    """Give a cell the meaning of the notes whose marker it (or its row's name) carries."""
    for note in notes:
        fn = note.footnote
        if fn is None:
            continue
        fn = for_row(fn, name)
        own = target.marker or ("【】" if target.kind is TargetKind.CUMULATIVE else None)
        if fn.marker == own or (own is None and fn.marker == row_marker):
            target = apply_footnote(target, fn)
    return target


def apply_note_texts(
    baseline: Target, target: Target, note_texts: str | None, name: str = ""
) -> tuple[Target, Target]:
    """Re-apply notes given as text (a gold file's ``notes``) to a row's two cells.

    The row's name marker is gone in such files, so a ``*``-style note whose
    marker no cell carries is taken to describe the whole row.
    """
    if not note_texts:
        return baseline, target
    notes = [n for n in parse_notes(note_texts) if n.footnote is not None]
    if not notes:
        return baseline, target
    out = []
    for cell in (baseline, target):
        for note in notes:
            fn = note.footnote
            assert fn is not None
            fn = for_row(fn, name)
            own = cell.marker or ("【】" if cell.kind is TargetKind.CUMULATIVE else None)
            carried = {baseline.marker, target.marker}
            if fn.marker == own or (
                fn.marker.startswith("*") and fn.marker not in carried and cell.marker is None
            ):
                cell = apply_footnote(cell, fn)
        out.append(cell)
    return out[0], out[1]


def apply_row_remark(
    baseline: Target, target: Target, remark: str | None, name: str = ""
) -> tuple[Target, Target]:
    """A typed table's 备注 cell read onto its row's two cells.

    A note that defines a marker (``带*为五年年均数。``) gives the cells carrying the
    marker its meaning (:func:`apply_note_texts`). A plain remark that says the row's
    numbers are yearly averages (``年均``, ``年均增长``, ``五年平均``) makes both cells so,
    as a document's 备注 column does (:func:`remark_footnote`). A remark that speaks of
    no average changes nothing here: a hand-typed table states totals with 【】.
    """
    if not remark:
        return baseline, target
    if any(note.marker for note in parse_notes(remark)):
        return apply_note_texts(baseline, target, remark, name)
    said = remark_footnote(remark)
    if said is None or said.meaning is not FootnoteMeaning.ANNUAL_AVERAGE:
        return baseline, target
    return apply_footnote(baseline, said), apply_footnote(target, said)
