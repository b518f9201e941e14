"""Rows of a table whose header is not on the page (a page that starts mid-table).

A reposted page or a later PDF page may begin at row 27 of a table: no header,
yet the rows keep the shape of numbered rows — a number, a name, values, and
often a nature word at the end. A run of such lines outside every table read
is taken as a table with a header made from that shape; the caller warns that
the header is missing and dates the columns by the plan's period.
"""

from __future__ import annotations

import re

from minsheng.ingest.documents.columns import (
    Header,
    Role,
    is_category_label,
    is_nature_word,
    is_value,
    role_of,
)
from minsheng.ingest.documents.table_lines import (
    header_cells,
    one_cell_text,
    split_pipe,
    split_spaces,
)
from minsheng.ingest.documents.text import is_blank, squeeze_spaces

#: Fewest numbered rows that make a table without its header.
MIN_ROWS = 2
#: A category label glued to the front of a row's number (``七、兜底保障服务27``).
GLUED = re.compile(r"^(?P<label>\D{2,20}?)(?P<seq>\d{1,3})$")


def unglue(cell: str) -> tuple[str | None, str]:
    """``七、兜底保障服务27`` → (``七、兜底保障服务``, ``27``); any other cell → (None, cell)."""
    m = GLUED.match(squeeze_spaces(cell))
    if m and is_category_label(m.group("label")):
        return m.group("label"), m.group("seq")
    return None, cell


def _cells(line: str) -> list[str]:
    if "|" in line:
        return [c for c in split_pipe(line) if c]
    return split_spaces(line)


def numbered_row(line: str) -> list[str] | None:
    """The cells of a line shaped like a numbered indicator row, or None."""
    text = re.sub(r"(?<=\d)。(?=\d)", ".", line.strip())  # OCR's decimal point is no sentence end
    if not text or len(text) > 160 or re.search(r"[。；;]", text):
        return None
    cells = _cells(line)
    if len(cells) < 4:
        return None
    _label, first = unglue(cells[0])
    if not re.fullmatch(r"\d{1,3}", first) or is_value(cells[1]):
        return None
    if is_nature_word(cells[-1]) or (is_value(cells[-1]) and is_value(cells[-2], lenient=True)):
        return [first, *cells[1:]]
    return None


def _header_for(cells: list[str], pipe: bool) -> Header:
    nature = is_nature_word(cells[-1])
    values = [Role.BASELINE, Role.TARGET]
    if pipe:
        middle = len(cells) - 2 - (1 if nature else 0)  # cells between the name and the nature
        values = [Role.UNIT, Role.BASELINE, Role.TARGET][-middle:] if middle > 0 else values
    else:
        values = [Role.UNIT, *values]
    roles = [Role.SEQ, Role.NAME, *values, *([Role.NATURE] if nature else [])]
    return Header(tuple(roles), None, None)


def _within_rows(line: str) -> bool:
    """A line that may sit between a table's header and its rows: a numbered row, or a short
    one-cell group label (``文体服务保障``, ``一、婴幼儿照护服务``)."""
    if numbered_row(line) is not None:
        return True
    text = squeeze_spaces(one_cell_text(line))
    return (
        0 < len(text) <= 20
        and len(header_cells(line)) == 1
        and not re.search(r"[。；;，,：:]", text)
    )


def _under_another_header(lines: list[str], start: int, joined: frozenset[int] | set[int]) -> bool:
    """Whether the rows at ``start`` sit right under a header row of their own (cells with no
    figure and no 指标 column: ``序号 | 区域 | 常住人口（万人）``): they are that other
    table's rows, not an indicator table whose page lost its header."""
    k = start - 1
    while k >= 0 and (k in joined or is_blank(lines[k]) or _within_rows(lines[k])):
        k -= 1  # (group labels and other numbered rows between that header and these)
    if k < 0:
        return False
    cells = [c for c in (squeeze_spaces(c) for c in header_cells(lines[k])) if c]
    if any(role_of(c) is Role.NAME for c in cells):
        return False  # an indicator table's header not fully read: its rows are read by shape
    return len(cells) >= 3 and not any(re.search(r"\d", c) and is_value(c) for c in cells)


def find_headerless(
    lines: list[str], covered: set[int], joined: frozenset[int] | set[int] = frozenset()
) -> list[tuple[int, Header]]:
    """Starts (0-based) of runs of numbered rows outside ``covered`` lines, with a header
    made from their shape. Category lines, blank lines and bracketed continuations may
    sit between the rows."""
    found: list[tuple[int, Header]] = []
    i = 0
    while i < len(lines):
        cells = numbered_row(lines[i]) if i not in covered else None
        if cells is None:
            i += 1
            continue
        start, count, j = i, 0, i
        while j < len(lines) and j not in covered:
            line = lines[j]
            if numbered_row(line) is not None:
                count += 1
            elif not (
                is_blank(line)
                or j in joined
                or is_category_label(squeeze_spaces(line))
                or re.fullmatch(r"[(（][^()（）]{1,10}[)）]", squeeze_spaces(line))
            ):
                break
            j += 1
        if count >= MIN_ROWS and not _under_another_header(lines, start, joined):
            found.append((start, _header_for(cells, "|" in lines[start])))
        i = j + 1
    return found
