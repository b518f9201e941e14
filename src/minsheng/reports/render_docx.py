"""Report model → Word (.docx) in the look of GB/T 9704 government documents.

A4 with the standard margins; title in 小标宋 (2号, 22 pt), body in 仿宋_GB2312
(3号, 16 pt, fixed 28 pt lines), 一级标题 黑体, 二级标题 楷体; page numbers
"— 1 —" in the footer. Headings use Word's own Heading styles, so the table of
contents field at the front fills in (Word asks to update it on opening), and
each table's header row repeats on every page it runs over.
python-docx has no API for fields, east-Asian fonts or repeating header rows:
those few XML elements are written here (OOXML, ECMA-376 part 1 §17).
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

from minsheng.reports import charts
from minsheng.reports.formatting import cell, colours_of
from minsheng.reports.model import BulletList, Figure, Note, Paragraph, Report, Table

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
TABLE_FONT = "宋体"


def _east_asian(
    target: Any, name: str, size: float | None = None, bold: bool | None = None
) -> None:
    """Set a style's or run's font for Latin and east-Asian text alike."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = target.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)  # a theme font would win over the named one
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _styles(doc: Any) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    normal = doc.styles["Normal"]
    _east_asian(normal, BODY_FONT, 16)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_before = fmt.space_after = Pt(0)
    for level, font in ((1, H1_FONT), (2, H2_FONT), (3, BODY_FONT)):
        style = doc.styles[f"Heading {level}"]
        _east_asian(style, font, 16, bold=level == 3)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.italic = False
        style.paragraph_format.space_before = Pt(6)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.keep_with_next = True
    title = doc.styles["Title"]
    _east_asian(title, TITLE_FONT, 22)
    title.font.color.rgb = RGBColor(0, 0, 0)
    title.paragraph_format.line_spacing = Pt(36)
    border = title.element.pPr.find(qn("w:pBdr")) if title.element.pPr is not None else None
    if border is not None:  # Word's Title has a rule under it; a red-header document has none
        title.element.pPr.remove(border)


def _page(doc: Any) -> None:
    from docx.shared import Mm

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.different_first_page_header_footer = True  # no number on the cover
    footer = section.footer.paragraphs[0]
    footer.alignment = 1
    footer.add_run("— ")
    _field(footer, "PAGE", "1")
    footer.add_run(" —")
    for run in footer.runs:
        _east_asian(run, "宋体", 14)


def _field_char(kind: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = OxmlElement("w:r")
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        fld.set(qn("w:dirty"), "true")  # Word recomputes it on opening
    run.append(fld)
    return run


def _text_run(shown: str) -> Any:
    from docx.oxml import OxmlElement

    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    return run


def _field(paragraph: Any, code: str, shown: str) -> None:
    """A Word field (PAGE …) in one paragraph: begin, instruction, separate, shown result, end."""
    _field_lines([paragraph], code, [shown])


def _field_lines(paragraphs: list[Any], code: str, lines: list[str]) -> None:
    """A field whose shown result spans paragraphs (a TOC lists the headings before Word updates it)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    instr_run.append(instr)
    first, last = paragraphs[0]._p, paragraphs[-1]._p
    for element in (_field_char("begin"), instr_run, _field_char("separate")):
        first.append(element)
    for paragraph, line in zip(paragraphs, lines, strict=True):
        paragraph._p.append(_text_run(line))
    last.append(_field_char("end"))


def _shade(cell_obj: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell_obj._tc.get_or_add_tcPr().append(shd)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _narrow_cell_margins(grid: Any, twips: int = 57) -> None:
    """1 mm either side instead of Word's 1.9 mm: nine short columns fit on an A4 line."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(twips))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    grid._tbl.tblPr.append(margins)


def _keep_row_whole(row: Any) -> None:
    """A row does not break across pages (its header row repeats on the next one instead)."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _table(doc: Any, table: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    caption = doc.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.keep_with_next = True
    _east_asian(caption.add_run(table.caption), H1_FONT, 12)
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.autofit = False
    _narrow_cell_margins(grid)
    _repeat_header(grid.rows[0])
    for i, column in enumerate(table.columns):
        c = grid.rows[0].cells[i]
        _shade(c, "E8EDF3")
        _cell_text(c, column.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for row in table.rows:
        cells = grid.add_row().cells
        for i, column in enumerate(table.columns):
            numeric = column.kind in ("number", "percent", "year")
            align = WD_ALIGN_PARAGRAPH.RIGHT if numeric else (
                WD_ALIGN_PARAGRAPH.CENTER if column.kind == "status" else WD_ALIGN_PARAGRAPH.LEFT
            )  # fmt: skip
            run = _cell_text(cells[i], cell(row[i], column.kind, column.digits), align=align)
            colours = colours_of(row[i]) if column.kind == "status" else None
            if colours:
                fill, ink = colours
                _shade(cells[i], fill)
                run.font.color.rgb = RGBColor.from_string(ink)
    widths = _column_widths(table)
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice and WPS read
    for row in grid.rows:
        _keep_row_whole(row)
        for c, width in zip(row.cells, widths, strict=True):
            c.width = width  # the cells, which Word reads
    if table.note:
        _note(doc, table.note)
    spacer = doc.add_paragraph()
    spacer.paragraph_format.line_spacing = Pt(10)


def _column_widths(table: Table) -> list[Any]:
    """The model's percentages of the 156 mm text width; columns without one share the rest.

    Word has no "nowrap": a short word column (属性, 状态, 序号) narrower than its longest word
    broke it over two lines (预期/性, 进度滞/后), so such a column gets the width its longest
    word needs, taken from the columns without a share (the indicator names, which wrap anyway).
    """
    from docx.shared import Mm

    text_width = 156.0
    mm = [text_width * c.width / 100 if c.width else 0.0 for c in table.columns]
    for i, column in enumerate(table.columns):
        if column.nowrap or column.kind == "status":
            words = [column.title] + [
                cell(row[i], column.kind, column.digits) for row in table.rows
            ]
            mm[i] = max(mm[i], max(_word_mm(w) for w in words))
    free = [i for i, c in enumerate(table.columns) if not c.width and mm[i] == 0.0]
    rest = max(text_width - sum(mm), 0.0)
    if free:
        for i in free:
            mm[i] = max(rest / len(free), 20.0)
    if sum(mm) > text_width:  # never wider than the page: scale everything down
        mm = [m * text_width / sum(mm) for m in mm]
    return [Mm(m) for m in mm]


def _word_mm(text: str, pt: float = 9.0) -> float:
    """Width of one unbroken line of 宋体 at ``pt``: a CJK character is one em, Latin half, plus
    the 1 mm cell margins either side."""
    ems = sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in text)
    return ems * pt * 25.4 / 72 + 2.4


def _cell_text(cell_obj: Any, text: str, *, bold: bool = False, align: Any = None) -> Any:
    from docx.shared import Pt

    paragraph = cell_obj.paragraphs[0]
    paragraph.paragraph_format.line_spacing = Pt(12)
    paragraph.paragraph_format.first_line_indent = Pt(0)
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(text)
    _east_asian(run, TABLE_FONT, 9, bold=bold)  # 小五
    return run


def _note(doc: Any, text: str) -> None:
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(0)
    _east_asian(p.add_run(f"注：{text}"), BODY_FONT, 12)


def _figure(doc: Any, figure: Figure) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm

    picture = doc.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.line_spacing_rule = (
        WD_LINE_SPACING.SINGLE
    )  # an exact 28 pt line would crop it
    picture.paragraph_format.keep_with_next = True
    width = Mm(125) if figure.key == "binding_series" else Mm(150)
    picture.add_run().add_picture(BytesIO(charts.render(figure, "png")), width=width)
    caption = doc.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _east_asian(caption.add_run(figure.caption), H1_FONT, 12)


def render_docx(report: Report) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX
    from docx.shared import Pt, RGBColor

    doc = Document()
    _styles(doc)
    _page(doc)
    for _ in range(3):
        doc.add_paragraph()
    head, tail = report.title_lines()
    title = doc.add_paragraph(head, style="Title")
    if tail:  # Word has no nowrap: the report's kind on a line of its own, never split
        title.add_run().add_break()
        title.add_run(tail)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in (
        report.subtitle,
        "；".join(report.made_by),
        report.made_on,
    ):  # the date on a line of its own
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _east_asian(p.add_run(line), H2_FONT, 16)
    if report.notice:
        p = doc.add_paragraph()
        run = p.add_run(report.notice)
        _east_asian(run, BODY_FONT, 12)
        run.font.color.rgb = RGBColor(0x9B, 0x1C, 0x1C)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _east_asian(heading.add_run("目　录"), H1_FONT, 16)
    entries = [(d, sec.title) for d, sec in report.walk() if d <= 2]
    lines = []
    for depth, _ in entries:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.left_indent = Pt(32 * (depth - 1))
        lines.append(p)
    _field_lines(lines, 'TOC \\o "1-2" \\h \\z \\u', [t for _, t in entries])
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for depth, section in report.walk():
        if section.key == "appendix":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_heading(section.title, level=min(depth, 3))
        for block in section.blocks:
            if isinstance(block, Paragraph):
                p = doc.add_paragraph(block.text)
                p.paragraph_format.first_line_indent = Pt(32)
                if block.placeholder:
                    for run in p.runs:
                        run.font.color.rgb = RGBColor(0x1D, 0x4E, 0x89)
                        run.font.highlight_color = WD_COLOR_INDEX.YELLOW  # a place to write in
            elif isinstance(block, BulletList):
                for item in block.items:
                    p = doc.add_paragraph(f"· {item.text}")
                    p.paragraph_format.first_line_indent = Pt(32)
            elif isinstance(block, Note):
                _note(doc, block.text)
            elif isinstance(block, Table):
                _table(doc, block)
            elif isinstance(block, Figure):
                _figure(doc, block)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def write_docx(report: Report, out: Path) -> Path:
    out.write_bytes(render_docx(report))
    return out
