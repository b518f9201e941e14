"""The chapter/section tree of a plan: 第一章, 第一节, 一、, （一）, 1., 专栏N.

A table of contents (目录) repeats the headings; its lines are skipped so the
tree holds each heading once, at the line where its text starts.
"""

from __future__ import annotations

import re

from minsheng.domain.plans import OutlineNode
from minsheng.ingest.documents.text import SENTENCE_END, squeeze_spaces

_CN = "一二三四五六七八九十百零〇"
_PATTERNS: tuple[tuple[re.Pattern[str], str, int], ...] = (
    (re.compile(rf"^(第[{_CN}]+编)\s*(.*)$"), "part", 0),
    (re.compile(rf"^(第[{_CN}]+章)\s*(.*)$"), "chapter", 1),
    (re.compile(rf"^(第[{_CN}]+节)\s*(.*)$"), "section", 2),
    (re.compile(r"^(专栏\s*\d+)\s*(.*)$"), "box", 3),
    (re.compile(rf"^([{_CN}]+、)\s*(.*)$"), "heading", 3),
    (re.compile(rf"^([（(][{_CN}]+[)）])\s*(.*)$"), "subheading", 4),
    (re.compile(r"^(\d{1,2}[.．、])\s*(\D.*)$"), "item", 5),
)
_TOC = re.compile(r"^目\s*录$")
#: Longest heading kept: longer lines are paragraphs that happen to start with a number.
MAX_HEADING = 40


def match_heading(line: str) -> tuple[str, int, str] | None:
    """(kind, level, title) when a line is a heading."""
    if "|" in line.strip().rstrip("|"):
        return None
    text = squeeze_spaces(line).rstrip("|").strip()
    if not text or len(text) > MAX_HEADING:
        return None
    for pattern, kind, level in _PATTERNS:
        m = pattern.match(text)
        if m:
            rest = m.group(2).strip()
            if kind in ("heading", "subheading", "item") and (
                not rest or any(p in rest[:-1] for p in SENTENCE_END + "，,")
            ):
                return None
            number = re.sub(r"\s+", "", m.group(1))
            return (
                kind,
                level,
                f"{number} {rest}".strip()
                if kind in ("part", "chapter", "section", "box")
                else text,
            )
    return None


def _toc_lines(lines: list[str]) -> set[int]:
    """Indexes of the table of contents: the headings after 目录 up to where the first one recurs."""
    for i, line in enumerate(lines[:200]):
        if not _TOC.match(squeeze_spaces(line)):
            continue
        entries: list[int] = []
        first: str | None = None
        for j in range(i + 1, min(len(lines), i + 200)):
            text = squeeze_spaces(lines[j])
            if not text:
                continue
            if first is not None and text == first:
                return {i, *entries}
            if len(text) > MAX_HEADING or any(p in text for p in "。，,"):
                return {i, *entries}
            first = first or text
            entries.append(j)
        return {i}
    return set()


def read_outline(
    lines: list[str], exclude: set[int] | frozenset[int] = frozenset()
) -> list[OutlineNode]:
    """The heading tree; 1-based line numbers. ``exclude``: 0-based lines read as tables or notes."""
    skip = _toc_lines(lines) | set(exclude)
    roots: list[OutlineNode] = []
    stack: list[OutlineNode] = []
    for i, line in enumerate(lines):
        if i in skip:
            continue
        found = match_heading(line)
        if not found:
            continue
        kind, level, title = found
        node = OutlineNode(level=level, title=title, line=i + 1, kind=kind)
        while stack and stack[-1].level >= level:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def heading_at(outline: list[OutlineNode], line: int) -> list[OutlineNode]:
    """The chain of headings that contain a line (outermost first)."""
    chain: list[OutlineNode] = []
    nodes = outline
    while nodes:
        before = [n for n in nodes if n.line <= line]
        if not before:
            break
        chain.append(before[-1])
        nodes = before[-1].children
    return chain
