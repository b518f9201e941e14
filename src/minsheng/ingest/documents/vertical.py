"""Tables that a PDF's text layer gives one cell per line, set back into rows.

Copying from a PDF often yields a table as a column of short lines: the header
words one under another (``序号`` / ``指标`` / ``单位`` / ``2020年`` / ``2025年`` /
``属性``), then each row's cells, a long name wrapped over two lines. When the
header's last column is the nature (约束性/预期性), each row ends at the line
that states it; so the lines are gathered into one space-separated row per
nature cell, and the ordinary space-separated table reader does the rest. A
category line (``一、幼有所育``) at the start of a row stays a line of its own.
Line numbers are kept: a row's text goes on its first line, its other lines
are blanked and returned, so a table reader passes over them (rather than
taking a run of blank lines for the table's end).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from minsheng.ingest.documents.columns import Role, is_category_label, is_nature, read_header
from minsheng.ingest.documents.extraction import UnparsedLine
from minsheng.ingest.documents.text import SENTENCE_END, squeeze_spaces

#: Fewest header words, one per line, that make a vertical header.
MIN_HEADER = 4
#: Most lines one row may take (cells plus a wrapped name).
MAX_ROW_LINES = 12
#: Longest line that can be one cell.
MAX_CELL = 30


def _cell(line: str) -> str | None:
    text = squeeze_spaces(line)
    if not text or len(text) > MAX_CELL or "|" in text or text[-1] in SENTENCE_END:
        return None
    return text


def _vertical_header(lines: list[str], start: int) -> int:
    """How many lines from ``start`` form a one-word-per-line header ending in 属性 (0: none)."""
    words: list[str] = []
    for line in lines[start : start + 12]:
        cell = _cell(line)
        if cell is None or " " in line.strip():
            break
        words.append(cell)
        if len(words) >= MIN_HEADER:
            header = read_header(words)
            if header is not None and header.roles[-1] is Role.NATURE:
                return len(words)
    return 0


@dataclass
class Joined:
    """Lines with vertical tables set into rows; which lines were emptied by joining
    (0-based); the lines of a vertical table that made no row."""

    lines: list[str]
    joined: set[int] = field(default_factory=set)
    unparsed: list[UnparsedLine] = field(default_factory=list)


def join_vertical_tables(lines: list[str]) -> Joined:
    """The lines with every one-cell-per-line table set back into space-separated rows."""
    result = Joined(list(lines))
    out, joined = result.lines, result.joined
    i = 0
    while i < len(out):
        size = _vertical_header(out, i)
        if not size:
            i += 1
            continue
        out[i] = " ".join(squeeze_spaces(x) for x in out[i : i + size])
        for k in range(i + 1, i + size):
            out[k] = ""
            joined.add(k)
        i = _join_rows(result, i + size, size)
    return result


def _join_rows(result: Joined, i: int, columns: int) -> int:
    """Gather rows from line ``i`` until a line that cannot be a cell; returns where it stopped.

    A row of more lines than its cells and a wrapped name could take has lost its
    nature cell and run into the next row: its lines are reported, not joined."""
    out, known = result.lines, set[str]()
    while i < len(out):
        first = _cell(out[i])
        if first is None:
            return i
        if is_category_label(first, known):
            known.add(first)
            i += 1
            continue
        end = next(
            (j for j in range(i, min(len(out), i + MAX_ROW_LINES)) if is_nature(out[j])), None
        )
        if end is None or any(_cell(out[j]) is None for j in range(i, end + 1)):
            return i
        if end - i + 1 > columns + 2:
            for k in range(i, end + 1):
                result.unparsed.append(
                    UnparsedLine(
                        k + 1, out[k].strip(), "cells of a one-cell-per-line table that make no row"
                    )
                )
                out[k] = ""
                result.joined.add(k)
            i = end + 1
            continue
        out[i] = " ".join(squeeze_spaces(x) for x in out[i : end + 1])
        for k in range(i + 1, end + 1):
            out[k] = ""
            result.joined.add(k)
        i = end + 1
    return i
