"""Tables that arrive as a stream of cells, set back into rows.

A table copied from a PDF or flattened from a web page often comes as a column
of short lines: the header words one under another (``序号`` / ``指标`` /
``单位`` / ``2020年`` / ``2025年`` / ``属性``), then each row's cells, a long
name wrapped over two lines. What carries the cells varies — line breaks alone,
a blank line after each cell, cells ending in `` |`` (an empty one a bare
``|``), box-drawing characters (``│`` between cells, ``┌─┬─┐`` rules) — but it
is one stream of cells, so one reader takes them all: blank lines and rules are
passed over, pipe ends stripped, the header's words fix the columns, and rows
are rebuilt by the header's shape: when its last column is the nature
(约束性/预期性) a row ends at the cell that states it; when it opens with 序号 a
row starts at the next number; otherwise by the column count. A category line
(``一、幼有所育``) at the start of a row stays a line of its own.

Line numbers are kept: a row's text goes on its first line (space-separated,
for the ordinary space-separated reader), its other lines are blanked and
returned, so a table reader passes over them (rather than taking a run of blank
lines for the table's end).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from minsheng.ingest.documents.columns import (
    Header,
    Role,
    is_category_label,
    is_nature_word,
    is_value,
    read_header,
    role_of,
)
from minsheng.ingest.documents.extraction import UnparsedLine
from minsheng.ingest.documents.stacked import has_parts
from minsheng.ingest.documents.table_lines import ocr_cell
from minsheng.ingest.documents.text import SENTENCE_END, squeeze_spaces

#: Fewest header words, one per line, that make a vertical header.
MIN_HEADER = 4
#: Most cells one row may take (cells plus a wrapped name).
MAX_ROW_CELLS = 12
#: Longest line that can be one cell.
MAX_CELL = 30
#: Most blank lines passed over between two cells of one table.
MAX_GAP = 3
_BOX_RULE = re.compile(
    r"^[\s┌┐└┘├┤┬┴┼─━═╔╗╚╝╠╣╦╩╬╤╧╪╟╢╫┏┓┗┛┣┫┳┻╋+\-=]*[─━═┼┬┴╋╬][\s┌┐└┘├┤┬┴┼─━═╔╗╚╝╠╣╦╩╬╤╧╪╟╢╫┏┓┗┛┣┫┳┻╋+\-=]*$"
)
_BOX_BAR = re.compile(r"[│┃║]")
_YEAR_WORD = re.compile(r"(?:19|20)\d{2}\s*年?")


def _cell(line: str) -> str | None:
    """The one cell a line carries ("" for an empty cell), or None when the line is no cell."""
    text = line.strip()
    if "|" in text:
        filled = [p.strip() for p in text.strip("|").split("|") if p.strip()]
        if len(filled) > 1:
            return None
        text = filled[0] if filled else ""
    text = ocr_cell(squeeze_spaces(text))
    if len(text) > MAX_CELL or (text and text[-1] in SENTENCE_END):
        return None
    return text


def _is_header_word(cell: str) -> bool:
    return bool(cell) and (role_of(cell) is not Role.OTHER or bool(_YEAR_WORD.match(cell)))


@dataclass
class Joined:
    """Lines with vertical tables set into rows; which lines were emptied by joining
    (0-based); the lines of a vertical table that made no row."""

    lines: list[str]
    joined: set[int] = field(default_factory=set)
    unparsed: list[UnparsedLine] = field(default_factory=list)


def _unbox(result: Joined) -> None:
    """Box-drawn tables as pipe tables: rules become passed-over lines, bars become pipes."""
    for i, line in enumerate(result.lines):
        if line.strip() and _BOX_RULE.match(line):
            result.lines[i] = ""
            result.joined.add(i)
        elif _BOX_BAR.search(line):
            result.lines[i] = _BOX_BAR.sub("|", line)


class _Stream:
    """The cells of a stretch of lines, blank lines passed over: (line index, cell) pairs.

    Lines in ``skip`` (junk removed from between cells, rules, lines already joined) are
    passed over as if they were not there: they are no gap between two cells."""

    def __init__(self, lines: list[str], start: int, skip: set[int] | None = None) -> None:
        self.lines, self.pos = lines, start
        self.skip: set[int] = skip if skip is not None else set()

    def peek(self, count: int) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        i, gap = self.pos, 0
        while i < len(self.lines) and len(out) < count:
            raw = self.lines[i]
            if i in self.skip:
                i += 1
                continue
            if not raw.strip():
                gap += 1
                if gap > MAX_GAP and out:
                    break
                i += 1
                continue
            cell = _cell(raw)
            if cell is None:
                break
            gap = 0
            out.append((i, cell))
            i += 1
        return out


def _vertical_header(
    lines: list[str], start: int, skip: set[int] | None = None
) -> tuple[list[tuple[int, str]], Header] | None:
    """Header words from ``start``, one per line (blank lines between allowed), and the header."""
    first = _cell(lines[start]) if lines[start].strip() else None
    if not first or not _is_header_word(first):
        return None
    words: list[tuple[int, str]] = []
    for index, cell in _Stream(lines, start, skip).peek(12):
        spaced = " " in lines[index].strip().strip("|").strip()
        if not cell or (spaced and len(cell) > 4):  # ``指 标`` is one word, spaced out
            break
        if not _is_header_word(cell):
            break
        words.append((index, cell))
    best: tuple[list[tuple[int, str]], Header] | None = None
    for size in range(MIN_HEADER, len(words) + 1):
        header = read_header([c for _, c in words[:size]])
        if header is not None and _is_header_word(words[size - 1][1]):
            best = (words[:size], header)
    return best


def join_vertical_tables(lines: list[str], dropped: set[int] | None = None) -> Joined:
    """The lines with every cell-stream table set back into space-separated rows.

    ``dropped`` (0-based) are lines the cleaning removed from between cells (a forum's
    edit stamp, a page number): passed over here and, through ``joined``, by the table
    readers."""
    result = Joined(list(lines), set(dropped or ()))
    _unbox(result)
    out, joined = result.lines, result.joined
    i = 0
    while i < len(out):
        found = _vertical_header(out, i, joined)
        if found is None:
            i += 1
            continue
        words, header = found
        first = words[0][0]
        out[first] = " ".join(c for _, c in words)
        for k in range(first + 1, words[-1][0] + 1):
            out[k] = ""
            joined.add(k)
        i = _join_rows(result, words[-1][0] + 1, header)
    return result


def _row_end(cells: list[tuple[int, str]], header: Header, seq: int) -> int | None:
    """How many of ``cells`` (a row's start onward) make the row, by the header's shape."""
    roles = header.roles
    if roles[-1] is Role.NATURE:
        return next((k + 1 for k, (_, c) in enumerate(cells) if is_nature_word(c)), None)
    width = len([r for r in roles if r is not Role.CATEGORY])
    texts = [c for _, c in cells]
    if roles[0] is Role.SEQ:
        seq = int(texts[0]) if re.fullmatch(r"\d{1,3}", texts[0]) else seq

        # The next row starts at its number followed by a name (not a value); numbers
        # usually run on (seq + 1), but a page may skip some.
        def starts_row(k: int) -> bool:
            after = texts[k + 1] if k + 1 < len(texts) else ""
            return (
                bool(re.fullmatch(r"\d{1,3}", texts[k]))
                and bool(after)
                and not is_value(after)
                and not is_category_label(after)
            )

        for k in range(2, len(texts)):
            if is_category_label(texts[k]) and not texts[k].isdigit():
                return k
            if starts_row(k) and int(texts[k]) == seq + 1:
                return k
        for k in range(max(2, width - 1), len(texts)):
            if starts_row(k) and int(texts[k]) > seq:
                return k
    if len(texts) < width - 1:
        return None
    # The table's last row: up to its last value cell (a heading below is no cell of it).
    values = [k for k in range(min(len(texts), width + 2)) if k >= 2 and is_value(texts[k])]
    return values[-1] + 1 if values else None


def _join_rows(result: Joined, i: int, header: Header) -> int:
    """Gather rows from line ``i`` until a line that cannot be a cell; returns where it stopped.

    A row of more cells than the columns and a wrapped name could take has lost its
    anchor and run into the next row: its lines are reported, not joined."""
    out, known = result.lines, set[str]()
    columns = len(header.roles)
    seq = 0
    stream = _Stream(out, i, result.joined)
    while True:
        cells = [(k, c) for k, c in stream.peek(MAX_ROW_CELLS + 2)]
        filled = [(k, c) for k, c in cells if c]
        if not filled:
            return i
        first_index, first = filled[0]
        if is_category_label(first, known) and not first.isdigit():
            known.add(first)
            out[first_index] = first
            for k in range(i, first_index):
                if not out[k].strip() or _cell(out[k]) == "":
                    out[k] = ""
                    result.joined.add(k)
            i = stream.pos = first_index + 1
            continue
        size = _row_end(filled, header, seq)
        if size is None:
            return i
        row = filled[:size]
        last = row[-1][0]
        # a row of stacked cells (…其中：小学 / 初中) holds a value per part in each value cell
        limit = 2 * columns + 2 if any(has_parts(c) for _, c in row) else columns + 2
        if len(row) > limit:
            for k, _cell_text in row:
                result.unparsed.append(
                    UnparsedLine(
                        k + 1, out[k].strip(), "cells of a one-cell-per-line table that make no row"
                    )
                )
        else:
            out[row[0][0]] = " ".join(c for _, c in row)
            if row[0][1].isdigit():
                seq = int(row[0][1])
        for k in range(i, last + 1):
            if k != row[0][0] or len(row) > limit:
                out[k] = ""
                result.joined.add(k)
        i = stream.pos = last + 1
