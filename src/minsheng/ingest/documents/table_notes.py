"""The note block under an indicator table (注：1.… 2.…, or lines 1.… 2.…), as its lines run."""

from __future__ import annotations

import re

from minsheng.ingest.documents.footnotes import Note, parse_notes
from minsheng.ingest.documents.table_lines import NOTE_START, one_cell_text
from minsheng.ingest.documents.text import SENTENCE_END, is_blank, squeeze_spaces

#: A heading line: never the run-on of a note.
HEADING = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百]+[章节编部分]|专栏\s*\d+|[一二三四五六七八九十]+、)"
)


def read_note_block(lines: list[str], i: int) -> tuple[list[Note], int]:
    """The notes starting at line index ``i`` (blank lines before them passed over) and the
    block's last line (1-based; 0 and no notes when no note block starts there)."""
    while i < len(lines) and is_blank(lines[i]):
        i += 1
    if i >= len(lines) or not NOTE_START.match(one_cell_text(lines[i])):
        return [], 0
    parts: list[str] = []
    last = i
    while i < len(lines):
        line = one_cell_text(lines[i]).strip()
        if not line or is_blank(line):
            break
        numbered = bool(re.match(r"^\s*\d+\s*[.．、]", line)) or not parts
        previous_open = bool(parts) and not squeeze_spaces(parts[-1]).endswith(tuple(SENTENCE_END))
        if not numbered and not (previous_open and not HEADING.match(line)):
            break
        parts.append(line)
        last = i
        i += 1
    return parse_notes(" ".join(parts)), last + 1
