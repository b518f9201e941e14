"""Stacked cells: one table row that holds several indicators (``…其中：小学 / 初中``).

A plan may give one name cell with parts (``义务教育专任教师本科学历比例 其中：小学 /
初中``) and, in each value cell, one value per part stacked one above the other. As text
the parts and values arrive split by ``/`` or spaces, or as cells of their own. Each part
becomes a row of its own (``…比例（小学）``) with its values; the rest of the row is shared.
"""

from __future__ import annotations

import re

from minsheng.ingest.documents.columns import is_nature_word, is_unit, is_value
from minsheng.ingest.documents.text import squeeze_spaces

_AMONG = re.compile(r"其中\s*[:：]\s*")
_PART_SPLIT = re.compile(r"\s*[/／、，,]\s*|\s+")
_VALUE_SPLIT = re.compile(r"\s*[/／]\s*|\s+")


def has_parts(text: str) -> bool:
    return bool(_AMONG.search(text))


def _part_name(prefix: str, part: str) -> str:
    return f"{squeeze_spaces(prefix)}（{squeeze_spaces(part)}）"


def unstack_spaces(cells: list[str]) -> list[list[str]] | None:
    """A space-separated row with stacked parts as one row per part, or None."""
    at = next((k for k, c in enumerate(cells) if has_parts(c)), None)
    if at is None:
        return None
    lead = 1 if re.fullmatch(r"\d{1,3}", cells[0]) and at > 0 else 0
    head, tail = _AMONG.split(cells[at], maxsplit=1)
    prefix = "".join(cells[lead:at]) + head
    parts = [p for p in _PART_SPLIT.split(tail) if p]
    k = at + 1
    while k < len(cells) and not (is_value(cells[k]) or is_unit(cells[k])):
        parts.extend(p for p in _PART_SPLIT.split(cells[k]) if p)
        k += 1
    rest = [c for c in cells[k:] if c not in ("/", "／")]
    nature = [rest.pop()] if rest and is_nature_word(rest[-1]) else []
    unit = [rest.pop(0)] if rest and is_unit(rest[0]) and not re.search(r"\d", rest[0]) else []
    values = [v for c in rest for v in _VALUE_SPLIT.split(c) if v]
    n = len(parts)
    if n < 2 or not prefix or len(values) % n or len(values) // n not in (1, 2):
        return None
    columns = [values[j * n : (j + 1) * n] for j in range(len(values) // n)]
    return [
        [*cells[:lead], _part_name(prefix, part), *unit, *(col[p] for col in columns), *nature]
        for p, part in enumerate(parts)
    ]


def unstack_cells(cells: list[str], name_at: int) -> list[list[str]] | None:
    """A row of cells (pipe-separated) whose name cell has parts and whose other cells hold
    one value per part (split by ``/`` or spaces) as one row per part, or None."""
    if name_at >= len(cells) or not has_parts(cells[name_at]):
        return None
    head, tail = _AMONG.split(cells[name_at], maxsplit=1)
    parts = [p for p in _PART_SPLIT.split(tail) if p]
    n = len(parts)
    if n < 2 or not head.strip():
        return None
    split = []
    for k, cell in enumerate(cells):
        values = [v for v in _VALUE_SPLIT.split(cell.strip()) if v]
        if k == name_at or len(values) <= 1:
            split.append([cell] * n)
        elif len(values) == n:
            split.append(values)
        else:
            return None
    rows = [[col[p] for col in split] for p in range(n)]
    for p, part in enumerate(parts):
        rows[p][name_at] = _part_name(head, part)
    return rows
