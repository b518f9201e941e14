"""Lines of a table split into cells: ``|``-joined rows, space-separated rows, one-cell rows."""

from __future__ import annotations

import re

from minsheng.ingest.documents.columns import (
    Header,
    Role,
    is_nature,
    is_unit,
    is_value,
    may_be_header,
    read_header,
    read_two_row_header,
    role_of,
)
from minsheng.ingest.documents.text import squeeze_spaces

NOTE_START = re.compile(r"^\s*(?:注|说明|备注)\s*[:：]|^\s*[1１]\s*[.．、]\s*\S")
_NOTE_HEAD_WORD = re.compile(r"^\s*(?:注|说明|备注)\s*[:：]")


_OCR_DECIMAL = re.compile(r"(?<=\d)[。﹒](?=\d)")
_OCR_DASH = re.compile(r"一{1,2}")
_OCR_CLOSE = re.compile(r"(?:\]】|】\]|\])$")


def ocr_cell(cell: str) -> str:
    """A cell as OCR misreads it, read right: ``85。2`` → ``85.2``; a lone ``一`` (or ``一一``)
    in a value cell is the dash ``—`` (``——``) meaning no value; ``【16.9]`` is ``【16.9】``."""
    if "一" not in cell and "。" not in cell and "﹒" not in cell and not cell.startswith("【"):
        return cell  # nothing OCR could have misread (most cells): no expression to run
    text = _OCR_DECIMAL.sub(".", cell)
    if text.startswith("【") and _OCR_CLOSE.search(text):  # 【16.9] or 【4]】: one closing bracket
        text = _OCR_CLOSE.sub("】", text)
    if _OCR_DASH.fullmatch(text.strip()):
        return "—" * len(text.strip())
    return text


def _ocr_cells(cells: list[str]) -> list[str]:
    """OCR's misreadings righted in the cells that may hold values: a row's first cell of
    several is its 序号 or name, never a value (``一`` there is the numeral, not a dash)."""
    return [c if k == 0 and len(cells) > 1 else ocr_cell(c) for k, c in enumerate(cells)]


def split_pipe(line: str, ocr: bool = True) -> list[str]:
    """A ``|`` row's cells; ``ocr=False`` keeps them as written (a 序号 ``一`` in any column)."""
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    return _ocr_cells(cells) if ocr else cells


def one_cell_text(line: str) -> str:
    """A table row with one filled cell (a ``<tfoot>`` note, a box title in a one-column
    Word table) read as that cell; any other line as it is."""
    if "|" not in line:
        return line
    filled = [c for c in split_pipe(line) if c]
    return filled[0] if len(filled) == 1 else line


def is_note_row(line: str) -> bool:
    """A row of a pipe table that is really the notes under it (``注：1.…`` in one cell)."""
    text = one_cell_text(line)
    if text is line and "|" in line:
        return False
    return bool(_NOTE_HEAD_WORD.match(text)) or (
        bool(NOTE_START.match(text)) and len(squeeze_spaces(text)) > 20
    )


_FULL_WIDTH_FIGURE = set("０１２３４５６７８９．")


def _join_spaced_full_width(text: str) -> str:
    """``９ ５．２`` → ``９５．２``: a full-width character set on its own is joined to the
    full-width figure after it across one space; two figures side by side (``１．２  ４．５``,
    ``８  ９``) stay two cells."""
    if not any(ch in _FULL_WIDTH_FIGURE for ch in text):
        return text
    parts = re.split(r"([ \u00a0\u3000]+)", text)
    out = [parts[0]]
    single = len(parts[0]) == 1 and parts[0] in _FULL_WIDTH_FIGURE
    for k in range(1, len(parts) - 1, 2):
        gap, token = parts[k], parts[k + 1]
        if single and token[:1] in _FULL_WIDTH_FIGURE | {"％"} and len(gap) == 1 and gap != "\t":
            out[-1] += token
        else:
            out += [gap, token]
        single = len(token) == 1 and token in _FULL_WIDTH_FIGURE
    return "".join(out)


def split_spaces(line: str) -> list[str]:
    """Cells of a space-separated row; a no-break space is a stray space, not a boundary."""
    text = re.sub(r"(?<=\d)\u00a0+(?=年)", "", line)
    # Full-width digits set one by one in a PDF come out with spaces between them (９ ５．２).
    # Only single characters so spaced are joined: two full-width figures side by side
    # (１．２  ４．５) are two cells.
    text = _join_spaced_full_width(text)
    return _ocr_cells([c for c in re.split(r"[ \t\u3000]+", text.strip()) if c.strip("\u00a0")])


def header_cells(line: str) -> list[str]:
    if "|" in line:
        return split_pipe(line)
    return [squeeze_spaces(c) for c in split_spaces(line)]


def find_headers(lines: list[str]) -> list[tuple[int, Header]]:
    """0-based indexes of lines that are indicator table headers."""
    found = []
    for i, line in enumerate(lines):
        if len(line) > 200 or not line.strip():
            continue
        if not may_be_header(line, lines[i + 1] if i + 1 < len(lines) else ""):
            continue
        cells = header_cells(line)
        header = read_header(cells)
        if header is None and i + 1 < len(lines):
            header = read_two_row_header(cells, header_cells(lines[i + 1]))
        if header is not None:
            found.append((i, header))
    return found


def is_target_word(cell: str) -> bool:
    """A target stated in words only (``稳步提高``, ``持续提升``): short, with a nature beside it."""
    text = squeeze_spaces(cell)
    return 2 <= len(text) <= 6 and is_value(text, lenient=True) and not is_unit(text)


#: A caption over a table's continuation on a new page (续表, 表1（续）).
CONTINUED_CAPTION = re.compile(r"^\s*(?:续表|表\s*\d+\s*[(（]\s*续\s*[)）])\s*\S{0,20}$")


def cells_key(line: str) -> tuple[str, ...]:
    """A line's filled cells, spaces squeezed out: the same header however it is spaced."""
    return tuple(c for c in (squeeze_spaces(c) for c in header_cells(line)) if c)


def names_a_column(line: str) -> bool:
    """A pipe line above a header naming the name column: the first row of a two-row header."""
    return "|" in line and any(role_of(squeeze_spaces(c)) is Role.NAME for c in header_cells(line))


def take_right(
    cells: list[str], right_roles: list[Role], after_fragments: bool
) -> tuple[bool, list[str], dict[Role, str]]:
    """Cells of the columns right of the name, taken from a space-separated row's end while
    they fit (``after_fragments``: name lines came before, so the row may hold no name)."""
    by_role: dict[Role, str] = {}
    rest = list(cells)
    complete = len(rest) > len(right_roles) or (len(rest) == len(right_roles) and after_fragments)
    if complete:
        for role in reversed(right_roles):
            cell = rest[-1]
            valid = (
                not is_nature(cell) and not (re.search(r"\d", cell) and is_value(cell))
                if role in (Role.OTHER, Role.REMARK)
                else is_nature(cell)
                if role is Role.NATURE
                else is_unit(cell)
                if role is Role.UNIT
                else is_value(cell, lenient=Role.NATURE in right_roles)
                and not (is_unit(cell) and not re.search(r"\d", cell))  # 岁 is no value
            )
            if not valid:
                complete = False
                break
            by_role[role] = rest.pop()
    if (
        complete
        and Role.NATURE in right_roles
        and not any(
            is_value(by_role.get(r, "")) or is_target_word(by_role.get(r, ""))
            for r in (Role.BASELINE, Role.TARGET)
        )
    ):
        complete = False
    if not complete:
        return False, list(cells), {}
    return True, rest, by_role
