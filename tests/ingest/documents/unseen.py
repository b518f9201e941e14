"""Variants of the corpus plans' indicator tables as other regions publish them (for the tests).

A variant starts from the gold rows and the note lines under the table in the corpus
document (read at run time, never copied here) and changes one thing a real plan changes:
the order of the columns, where the unit is written, full-width digits, how notes are
numbered, Chinese numerals in 序号, 〔〕 for 【】, a table broken over two pages… Writers then
put the variant on a page as text (pipes or spaces), HTML with merged header cells, Word or
PDF. Each variant says what a reader must find: the gold rows, whatever the form.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from render import FONT, SC, gold_and_notes, table_rows, title

HEADER = ["序号", "指标", "单位", "2020年", "2025年", "属性"]
CAPTION = "专栏1 主要指标"
AFTER = "第三章 主要任务"
_FULL = str.maketrans("0123456789.%", "０１２３４５６７８９．％")
_NUMERALS = "一二三四五六七八九"


@dataclass
class Variant:
    """A table as a page shows it: header cells, rows (a group row is one cell), notes."""

    header: list[str]
    rows: list[list[str]]
    notes: list[str]
    #: lines of another, unrelated table put right after the notes
    after_table: list[list[str]] = field(default_factory=list)
    #: lines of another, unrelated table put just above the indicator table's caption
    before_table: list[list[str]] = field(default_factory=list)
    #: where a page breaks inside the table (row index) — the header is repeated after it
    page_break: int | None = None
    #: what a gold row's notes read as in this variant (a variant may change the notes' text)
    expect_notes: Callable[[str | None], str | None] = lambda n: n


def base(gold_path: Path) -> tuple[dict, Variant]:
    gold, notes = gold_and_notes(gold_path)
    return gold, Variant(list(HEADER), table_rows(gold), notes)


def _column(v: Variant, name: str) -> int:
    if name == "指标":  # the name column, whatever unit note its header carries
        return next(k for k, c in enumerate(v.header) if c.startswith("指标"))
    return v.header.index(name)


def _move(v: Variant, name: str, to: int) -> Variant:
    """The column ``name`` moved to position ``to`` (group rows stay one cell)."""
    k = _column(v, name)

    def moved(cells: list[str]) -> list[str]:
        if len(cells) == 1:
            return cells
        out = list(cells)
        out.insert(to, out.pop(k))
        return out

    return replace(v, header=moved(v.header), rows=[moved(r) for r in v.rows])


def nature_before_years(v: Variant) -> Variant:
    """属性 right after the name, before the unit and the year columns."""
    return _move(v, "属性", _column(v, "指标") + 1)


def unit_in_name(v: Variant) -> Variant:
    """No unit column: the unit in full-width brackets after the name, the header saying so."""
    k = _column(v, "单位")
    rows = []
    for cells in v.rows:
        if len(cells) == 1:
            rows.append(cells)
            continue
        out = list(cells)
        unit = out.pop(k)
        if unit:
            out[_column(v, "指标")] += f"（{unit}）"
        rows.append(out)
    header = [c for c in v.header if c != "单位"]
    header[header.index("指标")] = "指标名称（单位）"
    return replace(v, header=header, rows=rows)


def unit_after_name(v: Variant) -> Variant:
    """No unit column and nothing in the header saying so: ``…托位数(个)`` in half-width
    brackets after the name, as many county plans print it."""
    out = unit_in_name(v)
    name_at = out.header.index("指标名称（单位）")
    header = list(out.header)
    header[name_at] = "指标"
    rows = [
        r if len(r) == 1 else [*r[:name_at], _half_brackets(r[name_at]), *r[name_at + 1 :]]
        for r in out.rows
    ]
    return replace(out, header=header, rows=rows)


def _half_brackets(name: str) -> str:
    m = re.search(r"（([^（）]+)）$", name)
    return name[: m.start()] + f"({m.group(1)})" if m else name


def header_words(v: Variant) -> Variant:
    """Other words for the same columns (指标名称, 计量单位, 2020年基期值, 2025年目标值, 指标属性)."""
    words = {
        "指标": "指标名称",
        "单位": "计量单位",
        "2020年": "2020年基期值",
        "2025年": "2025年目标值",
        "属性": "指标属性",
    }
    return replace(v, header=[words.get(c, c) for c in v.header])


def _values(v: Variant, change: Callable[[str], str]) -> Variant:
    at = [_column(v, "2020年"), _column(v, "2025年")]
    rows = [
        cells if len(cells) == 1 else [change(c) if k in at else c for k, c in enumerate(cells)]
        for cells in v.rows
    ]
    return replace(v, rows=rows)


def full_width(v: Variant) -> Variant:
    """Full-width digits, decimal points and ％ in the value cells and 序号."""
    seq = _column(v, "序号")
    out = _values(v, lambda c: c.translate(_FULL))
    rows = [
        cells
        if len(cells) == 1
        else [c.translate(_FULL) if k == seq else c for k, c in enumerate(cells)]
        for cells in out.rows
    ]
    return replace(out, rows=rows)


def chinese_numerals(n: int) -> str:
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _NUMERALS[tens - 1] + "十")
    return head + (_NUMERALS[ones - 1] if ones else "") if n else "〇"


def chinese_seq(v: Variant) -> Variant:
    """序号 in Chinese numerals (一, 二 … 三十三)."""
    k = _column(v, "序号")
    rows = [
        cells
        if len(cells) == 1
        else [chinese_numerals(int(c)) if j == k else c for j, c in enumerate(cells)]
        for cells in v.rows
    ]
    return replace(v, rows=rows)


def tortoise_brackets(v: Variant) -> Variant:
    """〔〕 where the corpus writes 【】 (cells and the note that explains them)."""

    def swap(text: str) -> str:
        return text.replace("【", "〔").replace("】", "〕")

    out = _values(v, swap)
    return replace(
        out,
        notes=[swap(n) for n in v.notes],
        expect_notes=lambda n: swap(n) if n else n,
    )


def circled_notes(v: Variant) -> Variant:
    """Notes numbered ① ② … instead of 1. 2., and a definition note's number set on the
    name it defines (``人均体育场地面积②``)."""
    circled = "①②③④⑤⑥⑦⑧⑨"
    text = " ".join(v.notes)
    head = re.match(r"^\s*注\s*[:：]\s*", text)
    body = text[head.end() :] if head else text
    starts: list[tuple[int, int]] = []  # (where the item number starts, where its text does)
    pos, number = 0, 1
    while True:  # the next number in sequence only: ``0. 1平方米`` holds no item number
        item = re.compile(rf"(?:^|(?<=[\s。])){number}\s*[.．、](?!\d)\s*").search(body, pos)
        if item is None:
            break
        starts.append((item.start(), item.end()))
        pos, number = item.end(), number + 1
    ends = [a for a, _ in starts[1:]] + [len(body)]
    parts = [body[b:e].strip() for (_, b), e in zip(starts, ends, strict=True)]
    notes = ["注：" + " ".join(f"{circled[k]}{p}" for k, p in enumerate(parts))]
    name_at = _column(v, "指标")
    rows = []
    for cells in v.rows:
        out = list(cells)
        if len(cells) > 1:
            for k, part in enumerate(parts):
                defined = re.match(r"^([^:：,，。]{4,40})[:：]", part)
                if defined and defined.group(1) == cells[name_at].rstrip("*"):
                    out[name_at] = cells[name_at] + circled[k]
        rows.append(out)
    return replace(v, rows=rows, notes=notes)


def project_table_after(v: Variant) -> Variant:
    """An unrelated table (key projects with their investment) right after the notes."""
    return replace(
        v,
        after_table=[
            ["序号", "项目名称", "建设内容", "总投资（万元）", "建设年限"],
            ["1", "区级养老服务中心", "新建床位300张", "12000", "2021-2023年"],
            ["2", "社区卫生服务中心改造", "改造业务用房", "4500", "2022-2024年"],
        ],
    )


def population_table_before(v: Variant) -> Variant:
    """An unrelated table (population and area by district) just above the indicator table."""
    return replace(
        v,
        before_table=[
            ["序号", "区域", "常住人口（万人）", "面积（平方公里）"],
            ["1", "甲街道", "12.5", "36.2"],
            ["2", "乙镇", "8.7", "120.4"],
        ],
    )


def split_over_pages(v: Variant) -> Variant:
    """The table broken over two pages in the middle of a group, its header repeated."""
    return replace(v, page_break=len(v.rows) // 2 + 1)


TRANSFORMS: dict[str, Callable[[Variant], Variant]] = {
    "nature_before_years": nature_before_years,
    "unit_in_name": unit_in_name,
    "unit_after_name": unit_after_name,
    "header_words": header_words,
    "full_width": full_width,
    "chinese_seq": chinese_seq,
    "tortoise_brackets": tortoise_brackets,
    "circled_notes": circled_notes,
    "project_table_after": project_table_after,
    "population_table_before": population_table_before,
    "split_over_pages": split_over_pages,
}


# ------------------------------------------------------------------------- writers
def _page(v: Variant, table: Callable[[list[str], list[list[str]]], list[str]]) -> list[str]:
    lines = []
    if v.before_table:
        lines += ["表1 各区域基本情况", *table(v.before_table[0], v.before_table[1:]), ""]
    lines += [CAPTION]
    if v.page_break is None:
        lines += table(v.header, v.rows)
    else:
        lines += table(v.header, v.rows[: v.page_break])
        lines += ["", "— 12 —", ""]
        lines += table(v.header, v.rows[v.page_break :])
    lines += v.notes
    if v.after_table:
        lines += ["", "专栏2 重点项目", *table(v.after_table[0], v.after_table[1:])]
    return [*lines, "", AFTER]


def write_pipes(gold: dict, v: Variant, path: Path) -> None:
    def table(header: list[str], rows: list[list[str]]) -> list[str]:
        width = len(header)
        return [" | ".join(header) + " |"] + [
            (r[0] + " " + "|" * (width - 1)) if len(r) == 1 else " | ".join(r) + " |" for r in rows
        ]

    path.write_text("\n".join([title(gold), *_page(v, table)]) + "\n", encoding="utf-8")


def write_pipes_loose(gold: dict, v: Variant, path: Path) -> None:
    """Pipes with a blank line after every row and a page number every eight rows."""

    def table(header: list[str], rows: list[list[str]]) -> list[str]:
        out = [" | ".join(header) + " |", ""]
        for k, r in enumerate(rows, 1):
            out += [" | ".join(r) + " |" if len(r) > 1 else r[0], ""]
            if k % 8 == 0:
                out += [f"- {k // 8 + 2} -", ""]
        return out

    path.write_text("\n".join([title(gold), *_page(v, table)]) + "\n", encoding="utf-8")


def write_spaces(gold: dict, v: Variant, path: Path) -> None:
    """Runs of spaces between cells, as a PDF copied to text gives them (empty cells lost)."""

    def table(header: list[str], rows: list[list[str]]) -> list[str]:
        return ["  ".join(header)] + ["  ".join(c for c in r if c) for r in rows]

    path.write_text("\n".join([title(gold), *_page(v, table)]) + "\n", encoding="utf-8")


def write_spaces_wrapped(gold: dict, v: Variant, path: Path) -> None:
    """Runs of spaces, and a long name wrapped in its cell: its tail on the line below the
    row, alone in the name column (a PDF with narrow name cells copied as text)."""
    name_at = _column(v, "指标")

    def table(header: list[str], rows: list[list[str]]) -> list[str]:
        out = ["  ".join(header)]
        for r in rows:
            if len(r) == 1 or header is not v.header or len(r[name_at]) <= 12:
                out.append("  ".join(c for c in r if c))
                continue
            head, tail = r[name_at][:10], r[name_at][10:]
            out.append("  ".join(c for c in [*r[:name_at], head, *r[name_at + 1 :]] if c))
            out.append("      " + tail)
        return out

    path.write_text("\n".join([title(gold), *_page(v, table)]) + "\n", encoding="utf-8")


def write_html(gold: dict, v: Variant, path: Path) -> None:
    """A web page: the category as a rowspan cell in a first 领域 column, the year columns
    under a spanning 指标值 cell (colspan), the other header cells spanning two rows."""
    from html import escape

    years = [k for k, c in enumerate(v.header) if re.match(r"20\d\d", c)]

    def table(header: list[str], rows: list[list[str]]) -> list[str]:
        if header is not v.header:  # another table: plain cells
            return [
                "<table>",
                *(
                    "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>"
                    for r in [header, *rows]
                ),
                "</table>",
            ]
        top = ['<th rowspan="2">领域</th>']
        for k, cell in enumerate(header):
            if k == years[0]:
                top.append(f'<th colspan="{len(years)}">指标值</th>')
            elif k not in years:
                top.append(f'<th rowspan="2">{escape(cell)}</th>')
        out = ["<table>", "<tr>" + "".join(top) + "</tr>"]
        out.append("<tr>" + "".join(f"<th>{escape(header[k])}</th>" for k in years) + "</tr>")
        k = 0
        at = next(n for n, r in enumerate(v.rows) if r is rows[0]) if rows else 0
        # a group running on from the page before keeps its label in its merged cell
        carried = next((r[0] for r in reversed(v.rows[:at]) if len(r) == 1), "")
        while k < len(rows):
            is_group = len(rows[k]) == 1
            group = rows[k][0] if is_group else carried
            start = k + 1 if is_group else k
            end = start
            while end < len(rows) and len(rows[end]) > 1:
                end += 1
            for j in range(start, end):
                cells = "".join(f"<td>{escape(c)}</td>" for c in rows[j])
                lead = f'<td rowspan="{end - start}">{escape(group)}</td>' if j == start else ""
                out.append(f"<tr>{lead}{cells}</tr>")
            k = max(end, k + 1)
        return [*out, "</table>"]

    def para(lines: list[str]) -> list[str]:
        return [line if line.startswith("<") else f"<p>{escape(line)}</p>" for line in lines]

    body = para([f"<h1>{escape(title(gold))}</h1>", *_page(v, table)])
    path.write_text(
        '<html><head><meta charset="utf-8"></head><body>\n' + "\n".join(body) + "\n</body></html>",
        encoding="utf-8",
    )


def _docx_plain_table(document: Any, caption: str, rows: list[list[str]]) -> None:  # noqa: ANN401
    """An unrelated table (one cell per text, no merges) under its own caption."""
    document.add_paragraph(caption)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, cells in enumerate(rows):
        for k, text in enumerate(cells):
            table.cell(r, k).text = text


def write_docx(gold: dict, v: Variant, path: Path) -> None:
    """A Word table with a two-row header (指标值 merged over the years, the other header
    cells merged down) and each group's category merged down a first 领域 column."""
    import docx

    document = docx.Document()
    document.add_heading(title(gold), level=1)
    if v.before_table:
        _docx_plain_table(document, "表1 各区域基本情况", v.before_table)
    document.add_paragraph(CAPTION)
    years = [k for k, c in enumerate(v.header) if re.match(r"20\d\d", c)]
    body = [r for r in v.rows if len(r) > 1]
    table = document.add_table(rows=2 + len(body), cols=1 + len(v.header))
    table.cell(0, 0).merge(table.cell(1, 0)).text = "领域"
    for k, cell in enumerate(v.header, 1):
        if k - 1 in years:
            table.cell(1, k).text = cell
        else:
            table.cell(0, k).merge(table.cell(1, k)).text = cell
    table.cell(0, 1 + years[0]).merge(table.cell(0, 1 + years[-1])).text = "指标值"
    r, group, first = 2, "", 2
    for cells in v.rows:
        if len(cells) == 1:
            if r > first:
                table.cell(first, 0).merge(table.cell(r - 1, 0)).text = group
            group, first = cells[0], r
            continue
        for k, text in enumerate(cells, 1):
            table.cell(r, k).text = text
        r += 1
    table.cell(first, 0).merge(table.cell(r - 1, 0)).text = group
    for line in v.notes:
        document.add_paragraph(line)
    if v.after_table:
        _docx_plain_table(document, "专栏2 重点项目", v.after_table)
    document.add_paragraph(AFTER)
    document.save(str(path))


def write_pdf(gold: dict, v: Variant, path: Path, borders: bool = True) -> None:
    """A PDF table whose narrow name cells wrap onto two lines and whose header is
    repeated at the top of every page it runs on to (ruled, or ``borders=False`` without
    rules)."""
    from fpdf import FPDF
    from fpdf.enums import TableBordersLayout

    pdf = FPDF()
    pdf.add_font("cjk", fname=str(FONT), collection_font_number=SC)
    pdf.set_font("cjk", size=10)
    pdf.add_page()
    pdf.multi_cell(0, 8, title(gold), new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 8, CAPTION, new_x="LMARGIN", new_y="NEXT")
    widths = {"序号": 14, "单位": 16, "属性": 20}
    cols = tuple(
        26 if "指标" in c and not re.search(r"20\d\d", c) else widths.get(c, 24) for c in v.header
    )
    from fpdf.fonts import FontFace

    plain = FontFace(emphasis="")  # the CJK font has no bold face
    with pdf.table(
        col_widths=cols,
        first_row_as_headings=True,
        repeat_headings=1,
        headings_style=plain,
        borders_layout=TableBordersLayout.ALL if borders else TableBordersLayout.NONE,
    ) as table:
        table.row(v.header)
        for cells in v.rows:
            row = table.row()
            if len(cells) == 1:
                row.cell(cells[0], colspan=len(v.header))
            else:
                for text in cells:
                    row.cell(text)
    for line in v.notes:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    if v.after_table:
        pdf.multi_cell(0, 8, "专栏2 重点项目", new_x="LMARGIN", new_y="NEXT")
        with pdf.table(first_row_as_headings=False) as other:
            for cells in v.after_table:
                other.row(cells)
    pdf.multi_cell(0, 8, AFTER, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


WRITERS: dict[str, tuple[str, Callable[[dict, Variant, Path], None]]] = {
    "pipes": (".txt", write_pipes),
    "pipes_loose": (".txt", write_pipes_loose),
    "spaces": (".txt", write_spaces),
    "spaces_wrapped": (".txt", write_spaces_wrapped),
    "html": (".html", write_html),
    "docx": (".docx", write_docx),
    "pdf": (".pdf", write_pdf),
    "pdf_unruled": (".pdf", lambda gold, v, path: write_pdf(gold, v, path, borders=False)),
}
