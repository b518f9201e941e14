"""Indicator tables (专栏 …主要指标) from document lines, in the layouts plans use.

Two line shapes occur: cells joined by ``|`` (web pages, Word and HTML tables
as the readers render them) and cells separated by spaces (PDF transcriptions,
where stray spaces inside a cell are usually no-break spaces). In both, a
group's category is either a row of its own (``一、婴幼儿照护服务``) or a
leading cell of the group's first row, carried down; rows may wrap over
several lines; units sit in their own column or in parentheses at the end of
the name; footnote markers sit on names or values and the notes under the
table say what they mean. A line inside a table that cannot be read is
reported, never dropped.
"""

from __future__ import annotations

import re

from minsheng.ingest.documents.columns import (
    Header,
    Role,
    ends_like_name,
    is_category_label,
    is_nature,
    is_value,
    may_be_header,
    read_header,
    with_year_row,
    year_row,
)
from minsheng.ingest.documents.extraction import UnparsedLine
from minsheng.ingest.documents.headerless import unglue
from minsheng.ingest.documents.stacked import unstack_cells, unstack_spaces
from minsheng.ingest.documents.table_lines import (
    CONTINUED_CAPTION,
    NOTE_START,
    cells_key,
    find_headers,
    header_cells,
    is_note_row,
    names_a_column,
    one_cell_text,
    split_pipe,
    split_spaces,
    take_right,
)
from minsheng.ingest.documents.table_notes import HEADING, read_note_block
from minsheng.ingest.documents.table_rows import IndicatorTable, RawRow, build_rows, split_name
from minsheng.ingest.documents.text import SENTENCE_END, is_blank, seq_number, squeeze_spaces

__all__ = [
    "IndicatorTable",
    "find_headers",
    "one_cell_text",
    "split_pipe",
    "split_spaces",
]

_GROUP_ENDING = re.compile(r"(?:服务|保障|有所.)$")
_CONTINUATION = re.compile(r"[(（][^()（）\d]{1,10}[)）]")
#: Consecutive unreadable lines after which a space-separated table is taken to have ended.
MAX_FRAGMENTS = 3


class TableReader:
    def __init__(
        self,
        lines: list[str],
        start: int,
        header: Header,
        pipe: bool,
        joined: frozenset[int] | set[int] = frozenset(),
        headerless: bool = False,
    ) -> None:
        self.lines, self.start, self.header, self.pipe = lines, start, header, pipe
        self.joined = joined
        self.body_start = start if headerless else start + 1
        if self.body_start < len(lines) and not headerless:  # a second header row with the years
            below = header_cells(lines[self.body_start])
            completed = with_year_row(header, below)
            if completed is not None:
                self.header = completed
            if completed is not None or year_row(below) is not None:
                self.body_start += 1
        header = self.header
        # The header's own lines, to know it again where a page break repeats it.
        first = start - 1 if start > 0 and names_a_column(lines[start - 1]) else start
        self.header_texts = {cells_key(lines[k]) for k in range(first, self.body_start)}
        self.table = IndicatorTable(start + 1, start + 1, header.baseline_year, header.target_year)
        self.raw: list[RawRow] = []
        self.known_categories: set[str] = set()
        self.category: str | None = None
        self.pending: list[tuple[int, str]] = []  # name fragments of a wrapped row
        #: whether this table's wrapped names run on below their row's line (learnt from
        #: a clear case; None until one is met)
        self.wraps_down: bool | None = None

    # -- shared -------------------------------------------------------------------------
    def _set_category(self, label: str) -> None:
        self.category = squeeze_spaces(label)
        self.known_categories.add(self.category)

    def _flush_pending(self, reason: str) -> None:
        for number, text in self.pending:
            self.table.unparsed.append(UnparsedLine(number, text, reason))
        self.pending.clear()

    def _repeats_header(self, line: str) -> bool:
        """The header again (a table running on to a new page repeats it), or a 续表
        caption: passed over, never a row."""
        if CONTINUED_CAPTION.match(one_cell_text(line)):
            return True
        if ("|" in line) != self.pipe:  # a header in another form starts a table of its own
            return False
        if cells_key(line) in self.header_texts:
            return True
        again = read_header(header_cells(line)) if may_be_header(line) else None
        return again is not None and again.roles == self.header.roles

    def _resumes_after_break(self, i: int) -> int | None:
        """Past a run of blank lines (a page break), the index of the table's repeated header
        when the table runs on under it; None when the table has ended."""
        for k in range(i, min(len(self.lines), i + 12)):
            if k in self.joined or is_blank(self.lines[k]):
                continue
            return k if self._repeats_header(self.lines[k]) else None
        return None

    # -- pipe rows ------------------------------------------------------------------------
    def read_pipe(self, i: int, line: str) -> bool:
        """Read one pipe line; False when the table has ended."""
        if "|" not in line:
            # a group label written without cell marks (a merged row copied as plain text)
            # belongs to the table when the table's rows go on after it
            if is_category_label(line, self.known_categories) and self._rows_follow(i):
                self._set_category(line)
                return True
            return False
        cells = split_pipe(line)
        roles = list(self.header.roles)
        filled = [c for c in cells if c]
        if not filled:
            return True
        if len(filled) >= 2 and all(re.fullmatch(r":?-{3,}:?", c) for c in filled):
            return True  # a Markdown table's rule under its header
        if len(filled) == 1 and self._is_group_row(cells, filled[0]):
            self._set_category(filled[0])
            return True
        if len(cells) == len(roles) - 1 and Role.CATEGORY in roles:
            roles.remove(Role.CATEGORY)  # the category cell spans the group's rows (rowspan)
        if (
            len(cells) == len(roles) + 1
            and Role.CATEGORY not in roles
            and is_category_label(cells[0])
        ):
            self._set_category(cells[0])
            cells = cells[1:]
        stacked = unstack_cells(cells, roles.index(Role.NAME))
        if stacked:
            return all(self.read_pipe(i, " | ".join(row)) for row in stacked)
        by_role: dict[Role, str] = {}
        written = split_pipe(line, ocr=False)[len(split_pipe(line)) - len(cells) :]
        for role, cell, as_written in zip(roles, cells, written, strict=False):
            if role is Role.SEQ:  # OCR's righting is for values: 一 as 序号 is the numeral
                cell = as_written
            if role not in by_role or not by_role[role]:
                by_role[role] = cell
        if by_role.get(Role.CATEGORY):
            self._set_category(by_role[Role.CATEGORY])
        name = by_role.get(Role.NAME, "")
        ok = bool(name) and is_value(by_role.get(Role.TARGET, ""), lenient=True)
        if ok and Role.NATURE in roles and by_role.get(Role.NATURE):
            ok = is_nature(by_role[Role.NATURE])
        if not ok:
            self.table.unparsed.append(
                UnparsedLine(i + 1, line.strip(), "row cells do not fit the header")
            )
            return True
        self.raw.append(RawRow(i + 1, self.category, by_role.get(Role.SEQ), name, by_role))
        return True

    # -- space-separated rows -------------------------------------------------------------
    def read_spaces(self, i: int, line: str) -> bool:
        cells = split_spaces(line)
        if self._continues_row(line):
            return True
        stacked = unstack_spaces(cells) if not self.pending else None
        if stacked:
            return all(self.read_spaces(i, "  ".join(row)) for row in stacked)
        if cells:
            label, first = unglue(cells[0])
            if label is not None:
                self._set_category(label)
                cells[0] = first
        roles = list(self.header.roles)
        name_at = roles.index(Role.NAME)
        after = roles[name_at + 1 :]
        loose = (Role.OTHER, Role.REMARK)
        tail = len(after) - max((k + 1 for k, r in enumerate(after) if r not in loose), default=0)
        right_roles: list[Role] = [r for r in after[: len(after) - tail] if r not in loose]
        left_roles = roles[:name_at]
        # A PDF copy drops empty cells: trailing text columns (备注, 责任单位), an unkept
        # value column (年均增长) or the unit may be missing; the fullest reading that fits wins.
        attempts = [right_roles + after[len(after) - tail :]] if tail else []
        attempts.append(right_roles)
        for optional in ((Role.VALUE,), (Role.UNIT,), (Role.VALUE, Role.UNIT)):
            if any(r in right_roles for r in optional):
                attempts.append([r for r in right_roles if r not in optional])
        for attempt in attempts:
            complete, rest, by_role = take_right(cells, attempt, bool(self.pending))
            if complete:
                break
        if Role.SEQ in left_roles and rest and seq_number(rest[0]) is not None:
            by_role[Role.SEQ] = rest.pop(0)
        if Role.CATEGORY in left_roles and len(rest) >= 2:
            taken = self._leading_category(rest)
            if taken:
                self._set_category("".join(rest[:taken]))
                del rest[:taken]
        if not complete:
            text = " ".join(rest)
            if (
                len(rest) == 1
                and is_category_label(text, self.known_categories)
                and (not self.pending or self._give_tail_to_row_above())
            ):
                self._set_category(text)
                return True
            if self._ends_table(text):
                return False
            numbers = sum(1 for c in rest[1:] if re.search(r"\d", c) and is_value(c))
            if numbers >= 2 or (len(rest) >= 2 and is_nature(rest[-1])):
                # values or a nature where a row's stand, but the cells do not fit the header:
                # a row that cannot be read, not the first half of a wrapped name
                self._flush_pending("wrapped text with no row to join")
                self.table.unparsed.append(
                    UnparsedLine(i + 1, line.strip(), "row cells do not fit the header")
                )
                return True
            self.pending.append((i + 1, text))
            if len(self.pending) > MAX_FRAGMENTS:
                self._flush_pending("not a row of the table")
                return False
            return True
        if rest:  # a row without a name of its own is the one the lines above belong to
            self._give_tail_to_row_above()
        fragments = [t for _, t in self.pending]
        name = "".join(squeeze_spaces(t) for t in [*fragments, *rest])
        line_no = self.pending[0][0] if self.pending else i + 1
        self.pending.clear()
        if not name:
            self.table.unparsed.append(
                UnparsedLine(i + 1, line.strip(), "values without an indicator name")
            )
            return True
        self.raw.append(RawRow(line_no, self.category, by_role.get(Role.SEQ), name, by_role))
        return True

    def _give_tail_to_row_above(self) -> bool:
        """Name-only lines before a row are the head of its name when the row above ends as
        a name does; they are the tail of the row above's name (a cell wrapped downwards, as
        top-aligned cells copy) when that name stops short and the lines end as a name.
        When the words do not tell (both or neither end as names), the table's own clear
        cases do: a table wraps its cells one way."""
        if not self.pending or not self.raw or self.raw[-1].category != self.category:
            return False  # (a group label since that row: the lines start the next group's row)
        above = split_name(self.raw[-1].name)[0]
        tail = "".join(squeeze_spaces(t) for _, t in self.pending)
        above_whole, tail_whole = ends_like_name(above), ends_like_name(split_name(tail)[0])
        if above_whole != tail_whole:  # the words say which way the cell wrapped
            self.wraps_down = tail_whole
        if not (tail_whole and not above_whole or above_whole == tail_whole and self.wraps_down):
            return False  # (undecided by the words: as the table's clear cases went)
        self.raw[-1].name += tail
        self.pending.clear()
        return True

    def _continues_row(self, line: str) -> bool:
        """A bracketed line under a row (``(单年)``) ends that row's name."""
        text = squeeze_spaces(line)
        if self.pending or not self.raw or not _CONTINUATION.fullmatch(text):
            return False
        self.raw[-1].name += text
        return True

    def _rows_follow(self, i: int) -> bool:
        """Whether the next line with text after line index ``i`` is a row of this table."""
        for k in range(i + 1, min(len(self.lines), i + 12)):
            if k in self.joined or is_blank(self.lines[k]):
                continue
            return "|" in self.lines[k] and not is_note_row(self.lines[k])
        return False

    def _is_group_row(self, cells: list[str], only: str) -> bool:
        """A row with one filled cell, at its start: a group label, even one no domain word names."""
        if is_category_label(only, self.known_categories):
            return True
        text = squeeze_spaces(only)
        return (
            cells.index(only) <= 1
            and len(text) <= 20
            and not is_value(text)
            and not re.search(f"[{SENTENCE_END}，,]", text)
        )

    def _leading_category(self, cells: list[str]) -> int:
        """How many leading cells form the row's category label (stray spaces may split it)."""
        for k in range(min(len(cells) - 1, 6), 0, -1):
            label = "".join(cells[:k])
            if k > 1 and (
                any(len(c) > 3 for c in cells[:k])
                or not (label in self.known_categories or _GROUP_ENDING.search(label))
            ):
                continue
            if is_category_label(label, self.known_categories):
                return k
        return 0

    def _ends_table(self, text: str) -> bool:
        body = squeeze_spaces(text)
        return (
            len(body) > 40
            or bool(re.search(f"[{SENTENCE_END}]", body))
            or bool(NOTE_START.match(text))
            or bool(HEADING.match(body) and not is_category_label(body, self.known_categories))
        )

    # -- whole table ------------------------------------------------------------------------
    def read(self) -> IndicatorTable:
        i = self.body_start
        blank_run = 0
        while i < len(self.lines):
            line = self.lines[i]
            if i in self.joined:
                i += 1
                continue
            if is_blank(line):
                blank_run += 1
                if blank_run > 2:
                    resumed = self._resumes_after_break(i)
                    if resumed is None:
                        break
                    i, blank_run = resumed, 0
                    continue
                i += 1
                continue
            blank_run = 0
            if NOTE_START.match(line) and not (self.pipe and "|" in line):
                break
            if self.pipe and is_note_row(line):
                break
            if self._repeats_header(line):
                self.table.end_line = i + 1
                i += 1
                continue
            going = self.read_pipe(i, line) if self.pipe else self.read_spaces(i, line)
            if not going:
                break
            self.table.end_line = i + 1
            i += 1
        self._give_tail_to_row_above()
        self._flush_pending("wrapped text with no row to join")
        note_end = self._read_notes(i)
        self.table.end_line = max(self.table.end_line, note_end)
        build_rows(self.table, self.raw, self.header)
        return self.table

    def _read_notes(self, i: int) -> int:
        """The note block from line index ``i``; returns its last line (1-based, 0: none)."""
        self.table.notes, last = read_note_block(self.lines, i)
        return last
