"""The corpus plans' indicator tables as Word, PDF and scanned-PDF files, made in the tests.

The table is drawn from the gold rows (a footnote marker put back on a name where the
gold note says the marker belongs to it), the notes under it are the corpus document's own
note lines read at run time, and the name column is narrow, so long names wrap in their
cells as they do in published PDFs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ingest_paths import corpus_file

FONT = Path(
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
)  # TrueType outlines: pdfminer reads its text
SC = 0  # WenQuanYi Zen Hei in the collection
HEADER = ["序号", "指标", "单位", "2020年", "2025年", "属性"]
_MARKER = re.compile(r"^带\s*([*＊]+)")


def gold_and_notes(gold_path: Path) -> tuple[dict, list[str]]:
    """The gold file and the note lines under the table in its corpus document."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    lines = corpus_file(gold_path).read_text(encoding="utf-8").splitlines()
    header = next(
        i for i, line in enumerate(lines) if "属性" in line and re.search(r"20\d\d", line)
    )
    start = next(
        i for i in range(header + 1, len(lines)) if re.match(r"^\s*(?:注|1\s*[.．])", lines[i])
    )
    notes = [lines[start].strip()]
    for line in lines[start + 1 :]:
        text = line.strip()
        if not text or not (re.match(r"^\d+\s*[.．]", text) or not notes[-1].endswith("。")):
            break
        notes.append(text)
    return gold, notes


def table_rows(gold: dict) -> list[list[str]]:
    """Group rows (one label) and indicator rows, cells as the header orders them."""
    rows: list[list[str]] = []
    domain = None
    for row in gold["indicators"]:
        if row["domain"] != domain:
            domain = row["domain"]
            rows.append([domain])
        name = row["name"]
        m = _MARKER.match(row["notes"] or "")
        if m and m.group(1) not in (row["baseline_raw"] or "") + (row["target_raw"] or ""):
            name += m.group(1)
        rows.append(
            [
                str(row["seq"]),
                name,
                row["unit"] or "",
                row["baseline_raw"] or "",
                row["target_raw"] or "",
                row["nature"] or "",
            ]
        )
    return rows


def title(gold: dict) -> str:
    region = gold["region"] if gold["region"] != "全国" else ""
    return f"{region}“十四五”公共服务规划"


def write_docx(gold_path: Path, path: Path) -> None:
    import docx

    gold, notes = gold_and_notes(gold_path)
    document = docx.Document()
    document.add_heading(title(gold), level=1)
    document.add_paragraph("专栏1 主要指标")
    rows = table_rows(gold)
    table = document.add_table(rows=1 + len(rows), cols=len(HEADER))
    for k, text in enumerate(HEADER):
        table.cell(0, k).text = text
    for r, cells in enumerate(rows, 1):
        if len(cells) == 1:
            merged = table.cell(r, 0).merge(table.cell(r, len(HEADER) - 1))
            merged.text = cells[0]
            continue
        for k, text in enumerate(cells):
            table.cell(r, k).text = text
    for line in notes:
        document.add_paragraph(line)
    document.add_paragraph("第三章 主要任务")
    document.save(str(path))


def write_pdf(gold_path: Path, path: Path, borders: bool = True) -> None:
    """A text-layer PDF whose name cells wrap (the name column is narrow); ``borders=False``
    draws the table without rules, as many published PDFs do."""
    from fpdf import FPDF
    from fpdf.enums import TableBordersLayout

    gold, notes = gold_and_notes(gold_path)
    pdf = FPDF()
    pdf.add_font("cjk", fname=str(FONT), collection_font_number=SC)
    pdf.set_font("cjk", size=10)
    pdf.add_page()
    pdf.multi_cell(0, 8, title(gold), new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 8, "专栏1 主要指标", new_x="LMARGIN", new_y="NEXT")
    layout = TableBordersLayout.ALL if borders else TableBordersLayout.NONE
    with pdf.table(
        col_widths=(12, 26, 16, 24, 24, 20), first_row_as_headings=False, borders_layout=layout
    ) as table:
        table.row(HEADER)
        for cells in table_rows(gold):
            row = table.row()
            if len(cells) == 1:
                row.cell(cells[0], colspan=len(HEADER))
            else:
                for text in cells:
                    row.cell(text)
    for line in notes:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 8, "第三章 主要任务", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def write_scanned_pdf(gold_path: Path, path: Path) -> None:
    """An image-only PDF (no text layer) of the table and its notes, as a scanner makes."""
    from PIL import Image, ImageDraw, ImageFont

    gold, notes = gold_and_notes(gold_path)
    font = ImageFont.truetype(str(FONT), 34, index=SC)
    columns = (60, 220, 1080, 1290, 1520, 1750)  # left edge of each cell, in pixels
    lines: list[list[str]] = [HEADER, *table_rows(gold)]
    width, step = 2000, 62
    note_lines = [piece for line in notes for piece in _wrap(line, 52)]
    image = Image.new("L", (width, 160 + step * (len(lines) + len(note_lines))), 255)
    draw = ImageDraw.Draw(image)
    y = 80
    for cells in lines:
        for x, text in zip(columns, cells, strict=False):
            draw.text((x, y), text, font=font, fill=0)
        y += step
    for text in note_lines:
        draw.text((columns[0], y), text, font=font, fill=0)
        y += step
    image.save(str(path), "PDF", resolution=200.0)


def _wrap(text: str, size: int) -> list[str]:
    return [text[k : k + size] for k in range(0, len(text), size)]
