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
from dataclasses import dataclass, field

from minsheng.domain.indicators import Nature, PlanIndicator, infer_polarity
from minsheng.domain.service_domains import classify_domain
from minsheng.domain.targets import apply_footnote, normalise_cell, parse_target
from minsheng.ingest.columns import (
    Header,
    Role,
    is_category_label,
    is_nature,
    is_unit,
    is_value,
    read_header,
    read_two_row_header,
    role_of,
    with_year_row,
    year_row,
)
from minsheng.ingest.extraction import UnparsedLine
from minsheng.ingest.footnotes import (
    Note,
    apply_notes,
    marker_of,
    notes_for_row,
    parse_notes,
    remark_footnote,
)
from minsheng.ingest.text import SENTENCE_END, is_blank, normalise_spaces, squeeze_spaces

_NOTE_START = re.compile(r"^\s*(?:注|说明|备注)\s*[:：]|^\s*[1１]\s*[.．、]\s*\S")
_NOTE_HEAD_WORD = re.compile(r"^\s*(?:注|说明|备注)\s*[:：]")
_HEADING = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百]+[章节编部分]|专栏\s*\d+|[一二三四五六七八九十]+、)"
)
_NAME_MARKER = re.compile(r"\s*([*∗﹡＊]+)\s*$")
_NAME_UNIT = re.compile(r"[(（]\s*([^()（）]{1,10}?)\s*[)）]\s*$")
_GROUP_ENDING = re.compile(r"(?:服务|保障|有所.)$")
#: Consecutive unreadable lines after which a space-separated table is taken to have ended.
MAX_FRAGMENTS = 3


@dataclass
class IndicatorTable:
    """One table's rows, the lines it spans, its notes and what in it could not be read."""

    header_line: int
    end_line: int
    baseline_year: int | None
    target_year: int | None
    rows: list[PlanIndicator] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    unparsed: list[UnparsedLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _RawRow:
    line: int
    category: str | None
    seq: str | None
    name: str
    cells: dict[Role, str]


def split_pipe(line: str) -> list[str]:
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    return cells


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
        bool(_NOTE_START.match(text)) and len(squeeze_spaces(text)) > 20
    )


def split_spaces(line: str) -> list[str]:
    """Cells of a space-separated row; a no-break space is a stray space, not a boundary."""
    text = re.sub(r"(?<=\d)\u00a0+(?=年)", "", line)
    # Full-width digits set one by one in a PDF come out with spaces between them (９ ５．２).
    text = re.sub(r"(?<=[０-９．])[ \u00a0\u3000]+(?=[０-９．％])", "", text)
    return [c for c in re.split(r"[ \t\u3000]+", text.strip()) if c.strip("\u00a0")]


def _header_cells(line: str) -> list[str]:
    if "|" in line:
        return split_pipe(line)
    return [squeeze_spaces(c) for c in split_spaces(line)]


def find_headers(lines: list[str]) -> list[tuple[int, Header]]:
    """0-based indexes of lines that are indicator table headers."""
    found = []
    for i, line in enumerate(lines):
        if len(line) > 200 or not line.strip():
            continue
        cells = _header_cells(line)
        header = read_header(cells)
        if header is None and i + 1 < len(lines):
            header = read_two_row_header(cells, _header_cells(lines[i + 1]))
        if header is not None:
            found.append((i, header))
    return found


def _split_name(name: str) -> tuple[str, str | None, str | None]:
    """Name without trailing marker and trailing unit in parentheses: (name, unit, marker)."""
    text = squeeze_spaces(name)
    marker = None
    unit = None
    for _ in range(2):
        m = _NAME_MARKER.search(text)
        if m:
            marker = normalise_cell(m.group(1))
            text = text[: m.start()]
        u = _NAME_UNIT.search(text)
        if u and unit is None and is_unit(u.group(1)):
            unit = squeeze_spaces(u.group(1))
            text = text[: u.start()]
    return text.strip(), unit, marker


class _TableReader:
    def __init__(
        self,
        lines: list[str],
        start: int,
        header: Header,
        pipe: bool,
        joined: frozenset[int] | set[int] = frozenset(),
    ) -> None:
        self.lines, self.start, self.header, self.pipe = lines, start, header, pipe
        self.joined = joined
        self.body_start = start + 1
        if self.body_start < len(lines):  # a second header row with the years
            below = _header_cells(lines[self.body_start])
            completed = with_year_row(header, below)
            if completed is not None:
                self.header = completed
            if completed is not None or year_row(below) is not None:
                self.body_start += 1
        header = self.header
        self.table = IndicatorTable(start + 1, start + 1, header.baseline_year, header.target_year)
        self.raw: list[_RawRow] = []
        self.known_categories: set[str] = set()
        self.category: str | None = None
        self.pending: list[tuple[int, str]] = []  # name fragments of a wrapped row

    # -- shared -------------------------------------------------------------------------
    def _set_category(self, label: str) -> None:
        self.category = squeeze_spaces(label)
        self.known_categories.add(self.category)

    def _flush_pending(self, reason: str) -> None:
        for number, text in self.pending:
            self.table.unparsed.append(UnparsedLine(number, text, reason))
        self.pending.clear()

    # -- pipe rows ------------------------------------------------------------------------
    def read_pipe(self, i: int, line: str) -> bool:
        """Read one pipe line; False when the table has ended."""
        if "|" not in line:
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
        by_role: dict[Role, str] = {}
        for role, cell in zip(roles, cells, strict=False):
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
        self.raw.append(_RawRow(i + 1, self.category, by_role.get(Role.SEQ), name, by_role))
        return True

    # -- space-separated rows -------------------------------------------------------------
    def read_spaces(self, i: int, line: str) -> bool:
        cells = split_spaces(line)
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
            complete, rest, by_role = self._take_right(cells, attempt)
            if complete:
                break
        if Role.SEQ in left_roles and rest and re.fullmatch(r"\d{1,3}", rest[0]):
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
                and not self.pending
                and is_category_label(text, self.known_categories)
            ):
                self._set_category(text)
                return True
            if self._ends_table(text):
                return False
            if sum(1 for c in rest[1:] if re.search(r"\d", c) and is_value(c)) >= 2:
                # numbers where the values stand, but the cells do not fit: not a name fragment
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
        fragments = [t for _, t in self.pending]
        name = "".join(squeeze_spaces(t) for t in [*fragments, *rest])
        line_no = self.pending[0][0] if self.pending else i + 1
        self.pending.clear()
        if not name:
            self.table.unparsed.append(
                UnparsedLine(i + 1, line.strip(), "values without an indicator name")
            )
            return True
        self.raw.append(_RawRow(line_no, self.category, by_role.get(Role.SEQ), name, by_role))
        return True

    def _take_right(
        self, cells: list[str], right_roles: list[Role]
    ) -> tuple[bool, list[str], dict[Role, str]]:
        """Cells of the columns right of the name, taken from the row's end while they fit."""
        by_role: dict[Role, str] = {}
        rest = list(cells)
        complete = len(rest) > len(right_roles) or (
            len(rest) == len(right_roles) and bool(self.pending)
        )
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
                )
                if not valid:
                    complete = False
                    break
                by_role[role] = rest.pop()
        if (
            complete
            and Role.NATURE in right_roles
            and not any(is_value(by_role.get(r, "")) for r in (Role.BASELINE, Role.TARGET))
        ):
            complete = False
        if not complete:
            return False, list(cells), {}
        return True, rest, by_role

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
            or bool(_NOTE_START.match(text))
            or bool(_HEADING.match(body) and not is_category_label(body, self.known_categories))
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
                    break
                i += 1
                continue
            blank_run = 0
            if _NOTE_START.match(line) and not (self.pipe and "|" in line):
                break
            if self.pipe and is_note_row(line):
                break
            going = self.read_pipe(i, line) if self.pipe else self.read_spaces(i, line)
            if not going:
                break
            self.table.end_line = i + 1
            i += 1
        self._flush_pending("wrapped text with no row to join")
        note_end = self._read_notes(i)
        self.table.end_line = max(self.table.end_line, note_end)
        self._build_rows()
        return self.table

    def _read_notes(self, i: int) -> int:
        """Collect the note block starting at line index ``i``; returns its last line (1-based)."""
        while i < len(self.lines) and is_blank(self.lines[i]):
            i += 1
        if i >= len(self.lines) or not _NOTE_START.match(one_cell_text(self.lines[i])):
            return 0
        parts: list[str] = []
        last = i
        while i < len(self.lines):
            line = one_cell_text(self.lines[i]).strip()
            if not line or is_blank(line):
                break
            numbered = bool(re.match(r"^\s*\d+\s*[.．、]", line)) or not parts
            previous_open = bool(parts) and not squeeze_spaces(parts[-1]).endswith(
                tuple(SENTENCE_END)
            )
            if not numbered and not (previous_open and not _HEADING.match(line)):
                break
            parts.append(line)
            last = i
            i += 1
        self.table.notes = parse_notes(" ".join(parts))
        return last + 1

    def _build_rows(self) -> None:
        header = self.header
        for raw in self.raw:
            name, unit_from_name, name_marker = _split_name(raw.name)
            unit_cell = squeeze_spaces(raw.cells.get(Role.UNIT, "")) or None
            baseline_raw = normalise_spaces(raw.cells.get(Role.BASELINE, "")) or None
            target_raw = normalise_spaces(raw.cells.get(Role.TARGET, "")) or None
            remark = [r for r in [normalise_spaces(raw.cells.get(Role.REMARK, ""))] if r]
            notes = notes_for_row(
                self.table.notes,
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
            seq = int(raw.seq) if raw.seq and raw.seq.isdigit() else None
            self.table.rows.append(
                PlanIndicator(
                    seq=seq,
                    domain=category,
                    name=name,
                    unit=unit_cell or unit_from_name,
                    baseline_raw=baseline_raw,
                    target_raw=target_raw,
                    nature=Nature.from_label(squeeze_spaces(raw.cells.get(Role.NATURE, ""))),
                    notes=" ".join([*remark, *(note.text for note in notes)]) or None,
                    baseline=baseline,
                    target=target,
                    baseline_year=baseline.data_year or header.baseline_year,
                    target_year=header.target_year,
                    domain_code=found.code if found else None,
                    polarity=infer_polarity(baseline, target),
                )
            )
            if unit_cell and unit_from_name and unit_cell != unit_from_name:
                self.table.warnings.append(
                    f"line {raw.line}: {name}: unit column says {unit_cell!r}, the name says {unit_from_name!r}"
                )
            if name_marker and not any(note.marker == name_marker for note in notes):
                self.table.warnings.append(
                    f"line {raw.line}: marker {name_marker} on {name} has no note"
                )
            for note in notes:
                if note.marker and note.footnote is None:
                    self.table.warnings.append(
                        f"line {raw.line}: note {note.number} on {name} gives its marker no meaning the grammar knows"
                    )


def read_indicator_tables(
    lines: list[str], joined: frozenset[int] | set[int] = frozenset()
) -> list[IndicatorTable]:
    """Every indicator table of a document, in order, rows numbered through when no 序号 column.

    ``joined`` are lines emptied because their text was joined into a line above
    (see :mod:`minsheng.ingest.vertical`): passed over, never a table's end."""
    tables: list[IndicatorTable] = []
    skip_until = -1
    for index, header in find_headers(lines):
        if index < skip_until:
            continue
        pipe = "|" in lines[index]
        table = _TableReader(lines, index, header, pipe, joined).read()
        if index > 0 and "|" in lines[index - 1] and index - 1 >= skip_until:
            above = _header_cells(lines[index - 1])
            if any(role_of(squeeze_spaces(c)) is Role.NAME for c in above):
                table.header_line = index  # the first of a two-row header (merged cells)
        skip_until = table.end_line
        tables.append(table)
    for table in tables:
        given = [row.seq for row in table.rows if row.seq is not None]
        if len(set(given)) < len(given):
            table.warnings.append(
                f"line {table.header_line}: 序号 restarts within the table (per category); "
                "seq keeps the table's numbering, so it does not name a row on its own"
            )
    counter = 0
    for table in tables:
        for row in table.rows:
            counter += 1
            if row.seq is None:
                row.seq = counter
    return tables
