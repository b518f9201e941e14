"""Indicator rows from the cells of a table: name, unit, values, nature and notes.

The reader (:mod:`minsheng.ingest.documents.tables`) decides which cell is which; here a
row's name gives up a trailing unit in parentheses and a footnote marker, the
cells are parsed with the §1 grammar, and the notes under the table (and a
备注 cell) give the values their meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from minsheng.domain.indicators import Nature, PlanIndicator
from minsheng.domain.service_domains import classify_domain
from minsheng.domain.targets import apply_footnote, normalise_cell, parse_target
from minsheng.ingest.documents.columns import Header, Role, is_unit
from minsheng.ingest.documents.extraction import UnparsedLine
from minsheng.ingest.documents.footnotes import (
    CIRCLED,
    Note,
    apply_notes,
    circled_number,
    marker_of,
    notes_for_row,
    remark_footnote,
)
from minsheng.ingest.documents.text import normalise_spaces, seq_number, squeeze_spaces

_NAME_MARKER = re.compile(rf"\s*([*∗﹡＊]+|[{CIRCLED}])\s*$")
_NAME_UNIT = re.compile(r"[(（]\s*([^()（）]{1,10}?)\s*[)）]\s*$")


@dataclass
class IndicatorTable:
    """One table's rows, the lines it spans, its notes and what in it could not be read."""

    header_line: int
    end_line: int
    baseline_year: int | None
    target_year: int | None
    rows: list[PlanIndicator] = field(default_factory=list)
    row_lines: list[int] = field(default_factory=list)  # 1-based line of each row's first cell
    notes: list[Note] = field(default_factory=list)
    unparsed: list[UnparsedLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class RawRow:
    """A row's cells by role, before they are parsed."""

    line: int
    category: str | None
    seq: str | None
    name: str
    cells: dict[Role, str]


def split_name(name: str) -> tuple[str, str | None, str | None]:
    """Name without trailing marker and trailing unit in parentheses: (name, unit, marker)."""
    text = squeeze_spaces(name)
    marker = None
    unit = None
    for _ in range(2):
        m = _NAME_MARKER.search(text)
        if m:
            found = m.group(1)  # ② stays ② (NFKC would make it the digit 2)
            marker = found if circled_number(found) else normalise_cell(found)
            text = text[: m.start()]
        u = _NAME_UNIT.search(text)
        if u and unit is None and is_unit(u.group(1)):
            unit = squeeze_spaces(u.group(1))
            text = text[: u.start()]
    return text.strip(), unit, marker


def notes_of_marker(notes: list[Note], marker: str) -> list[Note]:
    """The notes a name's marker points to (``*`` by the marker, ``②`` by the number)."""
    number = circled_number(marker)
    return [n for n in notes if n.marker == marker or (number is not None and n.number == number)]


def build_rows(table: IndicatorTable, raw_rows: list[RawRow], header: Header) -> None:
    """Rows as the table states them: name, unit, values and notes, the notes' meaning applied."""
    for raw in raw_rows:
        name, unit_from_name, name_marker = split_name(raw.name)
        unit_cell = squeeze_spaces(raw.cells.get(Role.UNIT, "")) or None
        baseline_raw = normalise_spaces(raw.cells.get(Role.BASELINE, "")) or None
        target_raw = normalise_spaces(raw.cells.get(Role.TARGET, "")) or None
        remark = [r for r in [normalise_spaces(raw.cells.get(Role.REMARK, ""))] if r]
        notes = notes_for_row(
            table.notes,
            name,
            name_marker,
            [marker_of(baseline_raw), marker_of(target_raw)],
        )
        baseline = apply_notes(parse_target(baseline_raw), notes, name_marker, name)
        target = apply_notes(parse_target(target_raw), notes, name_marker, name)
        said = remark_footnote(remark[0] if remark else None)
        if said is not None:
            baseline, target = apply_footnote(baseline, said), apply_footnote(target, said)
        category = raw.category
        found = classify_domain(category) or classify_domain(name)
        seq = seq_number(raw.seq)
        table.rows.append(
            PlanIndicator(
                seq=seq,
                domain=category,
                name=name,
                unit=unit_cell or unit_from_name or header.value_unit,
                baseline_raw=baseline_raw,
                target_raw=target_raw,
                nature=Nature.from_label(squeeze_spaces(raw.cells.get(Role.NATURE, ""))),
                notes=" ".join([*remark, *(note.text for note in notes)]) or None,
                baseline=baseline,
                target=target,
                baseline_year=baseline.data_year or header.baseline_year,
                target_year=header.target_year,
                domain_code=found.code if found else None,
                polarity=None,  # decided at evaluation: catalogue, then name, then the cells (marked inferred)
            )
        )
        table.row_lines.append(raw.line)
        if unit_cell and unit_from_name and unit_cell != unit_from_name:
            table.warnings.append(
                f"line {raw.line}: {name}: unit column says {unit_cell!r}, the name says {unit_from_name!r}"
            )
        if name_marker and not notes_of_marker(notes, name_marker):
            table.warnings.append(f"line {raw.line}: marker {name_marker} on {name} has no note")
        for note in notes:
            if note.marker and note.footnote is None:
                table.warnings.append(
                    f"line {raw.line}: note {note.number} on {name} gives its marker no meaning the grammar knows"
                )
