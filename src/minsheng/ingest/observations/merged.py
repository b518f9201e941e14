"""Merged cells in observation workbooks: what a merged range means, by where it is.

Excel keeps a merged range's text in its first cell only; read cell by cell, a header
merged over two columns names one of them, and a header two rows tall leaves the row
under it looking like data (a region row with no region). People merge headers often
(地区 over a code and a name column, 代码 and 地区 two rows tall beside a row of group
labels over the indicator names), so the reader gives a merged range's text to every
cell of its span:

* in the header, a merged cell names every column it spans; a header whose merged cells
  reach down several rows is one header block, and each column is named by the lowest
  text the block gives it (the indicator names under their group labels);
* below the header, a merged label (a region, an indicator, a year…) applies to every
  row it spans; but a merged range over value cells is refused, row-numbered: one
  number over several regions or indicators says neither that each has it nor which.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from minsheng.domain.errors import InvalidData, Problem
from minsheng.ingest.spreadsheets import Span


def spread(
    rows: Iterable[tuple[int, list[str]]], spans: Sequence[Span]
) -> Iterator[tuple[int, list[str]]]:
    """The rows with each merged range's text (its first cell's) in every cell of its span."""
    if not spans:
        yield from rows
        return
    pending = sorted(spans)  # by first row
    active: list[Span] = []
    anchors: dict[tuple[int, int], str] = {}
    for number, cells in rows:
        while pending and pending[0][0] <= number:
            active.append(pending.pop(0))
        active = [s for s in active if s[2] >= number]
        for r0, c0, _r1, c1 in active:
            if number == r0:
                anchors[(r0, c0)] = cells[c0 - 1] if c0 - 1 < len(cells) else ""
            text = anchors.get((r0, c0), "")
            if not text:
                continue
            if len(cells) < c1:
                cells = cells + [""] * (c1 - len(cells))
            for c in range(c0 - 1, c1):
                cells[c] = cells[c] or text
        yield number, cells


def header_end(row: int, spans: Sequence[Span]) -> int:
    """The last row of the header block that starts or runs through ``row``: the lowest row
    reached by a merged range covering ``row`` (``row`` itself when none reaches lower)."""
    return max([row, *(r1 for r0, _c0, r1, _c1 in spans if r0 <= row <= r1)])


def header_block(
    row: int, cells: list[str], spans: Sequence[Span], rest: Iterator[tuple[int, list[str]]]
) -> tuple[int, list[str]]:
    """The header block starting at ``row`` (whose cells are ``cells``), its further rows
    taken from ``rest``: its last row's number and one header row (:func:`block_header`)."""
    end = header_end(row, spans)
    block = [cells, *(more for _, (_, more) in zip(range(end - row), rest, strict=False))]
    return end, block_header(block)


def block_header(block: Sequence[list[str]]) -> list[str]:
    """One header row from the rows of a header block: each column's lowest text."""
    width = max(len(cells) for cells in block)
    return [next((cells[i] for cells in reversed(block) if i < len(cells) and cells[i]), "")
            for i in range(width)]  # fmt: skip


def refuse_merged_values(
    file: str, sheet: str | None, spans: Sequence[Span], after: int, columns: dict[int, str]
) -> None:
    """Refuse merged ranges below row ``after`` (the header) over value cells; ``columns``:
    0-based index → the header text of each column that holds values."""
    from openpyxl.utils import get_column_letter

    problems = []
    for r0, c0, r1, c1 in sorted(spans):
        if r1 <= after or (r0 == r1 and c0 == c1):
            continue
        hit = [i for i in range(c0 - 1, c1) if i in columns]
        if not hit:
            continue
        where = f"{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{r1}"
        sheet_en, sheet_zh = (f"sheet {sheet}, ", f"工作表 {sheet}，") if sheet else ("", "")
        problems.append(
            Problem(
                max(r0, after + 1),
                columns[hit[0]],
                f"{sheet_en}{where}: merged cells over values; unmerge them and type each "
                "value in its own cell (one number over several cells says neither that each "
                "has it nor which one does)",
                message_zh=f"{sheet_zh}{where}：数值所在的单元格被合并了，请取消合并，"
                "在每个单元格中分别填写数值",
                sheet=sheet,
            )
        )
    if problems:
        raise InvalidData(
            f"{file}: {len(problems)} merged range(s) over values; nothing was read",
            problems,
            message_zh=f"{file}：{len(problems)} 处数值单元格被合并，未读取任何数据",
        )
