"""Gold indicator tables written out in the layouts tables arrive in (for the table tests).

Each flattener takes the gold rows and returns the lines of a small made-up document: a
title line, the table in one layout, a closing sentence. ``row_lines`` maps each gold row
(by position) to the 1-based line where its first cell is written, so tests check line numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

HEADER = ["序号", "指标", "单位", "2020年", "2025年", "属性"]
TITLE = "某市“十四五”公共服务规划"
CAPTION = "表1 主要指标"
AFTER = "第三章 主要任务"


@dataclass
class Flat:
    lines: list[str]
    row_lines: list[int]


def _cells(row: dict) -> list[str]:
    return [
        str(row["seq"]),
        row["name"],
        row["unit"] or "",
        row["baseline_raw"] or "",
        row["target_raw"] or "",
        row["nature"] or "",
    ]


def _groups(rows: list[dict]) -> list[tuple[str | None, list[dict]]]:
    out: list[tuple[str | None, list[dict]]] = []
    for row in rows:
        if not out or out[-1][0] != row["domain"]:
            out.append((row["domain"], []))
        out[-1][1].append(row)
    return out


def _per_row(
    rows: list[dict],
    header: Callable[[list[str]], list[str]],
    group: Callable[[str], list[str]],
    body: Callable[[list[str]], list[str]],
) -> Flat:
    lines = [TITLE, CAPTION, *header(HEADER)]
    row_lines: list[int] = []
    for domain, members in _groups(rows):
        if domain:
            lines.extend(group(domain))
        for row in members:
            row_lines.append(len(lines) + 1)
            lines.extend(body(_cells(row)))
    lines += ["", AFTER]
    return Flat(lines, row_lines)


def pipes(rows: list[dict]) -> Flat:
    """``1 | name | unit | … |`` rows; group rows as merged cells ``一、… ||||||``."""
    return _per_row(
        rows,
        lambda h: [" | ".join(h) + " |"],
        lambda d: [d + " " + "|" * (len(HEADER) - 1)],
        lambda c: [" | ".join(c) + " |"],
    )


def one_cell_per_line(rows: list[dict]) -> Flat:
    """An HTML table flattened: every cell on a line of its own, empty cells as empty lines."""
    return _per_row(rows, list, lambda d: [d], list)


def one_cell_blank_between(rows: list[dict]) -> Flat:
    """One cell per line with a blank line after each; empty cells are lost."""

    def spaced(cells: list[str]) -> list[str]:
        return [x for c in cells if c for x in (c, "")]

    return _per_row(rows, spaced, lambda d: [d, ""], spaced)


def one_cell_pipe_ends(rows: list[dict]) -> Flat:
    """One cell per line, each ending in `` |`` (an empty cell is a bare ``|``)."""

    def ended(cells: list[str]) -> list[str]:
        return [f"{c} |" if c else "|" for c in cells]

    return _per_row(rows, ended, lambda d: [f"{d} |"], ended)


def tabs(rows: list[dict]) -> Flat:
    return _per_row(rows, lambda h: ["\t".join(h)], lambda d: [d], lambda c: ["\t".join(c)])


def spaces(rows: list[dict]) -> Flat:
    """Runs of spaces between cells (a PDF copy); empty cells are lost."""
    return _per_row(
        rows,
        lambda h: ["   ".join(h)],
        lambda d: [d],
        lambda c: ["   ".join(x for x in c if x)],
    )


def boxed(rows: list[dict]) -> Flat:
    """Box-drawing characters: ┌─┬─┐ rules and │ between cells."""
    rule = "├" + "┼".join("────" for _ in HEADER) + "┤"

    def box(cells: list[str]) -> list[str]:
        return ["│" + "│".join(cells) + "│", rule]

    lines = _per_row(rows, box, lambda d: ["│" + d + "│", rule], box)
    lines.lines.insert(2, "┌" + "┬".join("────" for _ in HEADER) + "┐")
    lines.row_lines = [n + 1 for n in lines.row_lines]
    return lines


LAYOUTS: dict[str, Callable[[list[dict]], Flat]] = {
    "two_level_header": lambda rows: two_level_header(rows),
    "pipes": pipes,
    "one_cell_per_line": one_cell_per_line,
    "one_cell_blank_between": one_cell_blank_between,
    "one_cell_pipe_ends": one_cell_pipe_ends,
    "tabs": tabs,
    "spaces": spaces,
    "boxed": boxed,
}


def two_level_header(rows: list[dict]) -> Flat:
    """One cell per line with `` |`` ends under a two-level header: words spaced out
    (``指 标``), ``“十四五”目标`` over ``2025年`` and an annual-average column."""
    header = ["序号", "指 标", "单位", "2020年", "“十四五”目标", "2025年", "年均[累计]", "属 性"]

    def ended(cells: list[str]) -> list[str]:
        return [f"{c} |" if c else "|" for c in cells]

    def body(cells: list[str]) -> list[str]:
        return ended([*cells[:5], "[—]", cells[5]])

    return _per_row(rows, lambda _h: ended(header), lambda d: [f"{d} |"], body)


def header_unit_no_nature(rows: list[dict]) -> Flat:
    """One cell per line, a blank line after each, no unit or nature column: the unit is in
    the target column's header (``2025年目标(%)``); rows are told apart by their numbers."""
    header = ["序号", "指标", "2020年", "2025年目标(%)"]

    def spaced(cells: list[str]) -> list[str]:
        return [x for c in cells if c for x in (c, "")]

    def body(cells: list[str]) -> list[str]:
        return spaced([cells[0], cells[1], cells[3], cells[4]])

    return _per_row(rows, lambda _h: spaced(header), lambda d: [d, ""], body)


def mid_table(rows: list[dict]) -> Flat:
    """A page that begins inside a table: no header, space-separated rows, each group's
    label glued to the front of its first row (``七、兜底保障服务24 …``)."""
    lines = [TITLE, ""]
    row_lines: list[int] = []
    for domain, members in _groups(rows):
        for k, row in enumerate(members):
            cells = [c for c in _cells(row) if c]
            if k == 0 and domain:
                cells[0] = domain + cells[0]
            row_lines.append(len(lines) + 1)
            lines.append("  ".join(cells))
    lines += ["", AFTER]
    return Flat(lines, row_lines)


# ------------------------------------------------------------------ forum copies: junk
# Made-up forms of what a forum repost leaves between a table's cells (no collected page's
# text): edit stamps, BBCode tags on their own lines, site watermarks, a forum as 来源.
JUNK_LINES = [
    "本帖最后由 网友甲 于 2021-3-5 10:21 编辑",
    "本帖最后由网友乙于2022-01-07 08:02编辑",
    "[color=#ff0000]",
    "[/color]",
    "[size=3][font=宋体]",
    "[/font][/size]",
    "[b][/b]",
    "示例论坛 bbs.example.com",
    "www.example.net",
    "本文来自：示例社区",
    "来源：示例论坛",
    "来源:某某论坛",
    "发表于 2021-3-5 10:20",
    "回复 3# 网友丙 的帖子",
    "只看该作者",
]
#: Tags a forum wraps around a cell's text (``[color=red]95[/color]``).
JUNK_WRAPS = [
    ("[color=red]", "[/color]"),
    ("[b]", "[/b]"),
    ("[size=4]", "[/size]"),
    ("[color=#0000ff][b]", "[/b][/color]"),
]


def with_junk(flat: Flat, inserts: list[tuple[int, str]]) -> Flat:
    """``flat`` with junk lines inserted before table lines (``(position, line)`` pairs: the
    position is taken modulo the places between the caption and the closing lines), row
    line numbers moved down with them."""
    lines, row_lines = list(flat.lines), list(flat.row_lines)
    for at, junk in inserts:
        places = len(lines) - 2 - 2  # after title and caption, before the blank + AFTER
        k = 2 + at % (places + 1)
        lines.insert(k, junk)
        row_lines = [n + 1 if n - 1 >= k else n for n in row_lines]
    return Flat(lines, row_lines)


def wrap_cells(rows: list[dict], wraps: list[tuple[int, str, int]]) -> list[dict]:
    """Rows with some value cells wrapped in forum tags: ``(row, field, wrap)`` triples."""
    out = [dict(r) for r in rows]
    for k, name, w in wraps:
        row = out[k % len(out)]
        if row[name]:
            opening, closing = JUNK_WRAPS[w % len(JUNK_WRAPS)]
            row[name] = opening + row[name] + closing
    return out
