"""PDF plans to numbered lines: tables read by position, scanned pages read by OCR.

A PDF's text layer gives a table's wrapped cells as interleaved halves (the second
line of a long name lands between rows), so tables are read by position with
pdfplumber's table finder: each cell's lines are joined inside its own column and a
row becomes one ``a | b | c |`` line, as the other readers render tables. The text
around the tables is read in page order.

A page with no text layer (a scan) is rendered and read by Tesseract (Debian's
``tesseract-ocr`` with ``tesseract-ocr-chi-sim``, installed by ``./run``): its words
are set into lines by position, a wide gap between words is a cell boundary, and the
mean word confidence is kept so the extraction's confidence says how sure the OCR was.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from minsheng.domain.errors import InvalidData

#: Resolution scanned pages are rendered at for OCR (dots per inch).
OCR_DPI = 200
#: A gap between two OCR'd words wider than this many line heights separates two cells.
CELL_GAP = 1.2


@dataclass
class PdfText:
    """A PDF's lines, the pages that needed OCR, and the OCR's mean confidence (0–1)."""

    lines: list[str] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)
    ocr_confidence: float | None = None
    warnings: list[str] = field(default_factory=list)


def _join_wrapped(cell: str | None) -> str:
    """A cell's wrapped lines joined: Chinese needs no space, two Latin words or numbers do."""
    if not cell:
        return ""
    out = ""
    for piece in (p.strip() for p in cell.split("\n")):
        if not piece:
            continue
        if (
            out
            and out[-1].isascii()
            and out[-1].isalnum()
            and piece[0].isascii()
            and piece[0].isalnum()
        ):
            out += " "
        out += piece
    return out


def _text_lines(page: Any, top: float, bottom: float) -> list[str]:
    if bottom - top < 1:
        return []
    region = page.crop((0, top, page.width, bottom))
    return (region.extract_text() or "").split("\n")


def _text_page(page: Any) -> list[str]:
    """A page with a text layer: tables by position, the text around them in order."""
    lines: list[str] = []
    top = 0.0
    for table in sorted(page.find_tables(), key=lambda t: t.bbox[1]):
        lines.extend(_text_lines(page, top, table.bbox[1]))
        for row in table.extract():
            cells = [_join_wrapped(c) for c in row]
            if any(cells):
                lines.append(" | ".join(cells) + " |")
        top = max(top, table.bbox[3])
    lines.extend(_text_lines(page, top, page.height))
    return lines


def _ocr_page(page: Any) -> tuple[list[str], list[float]]:
    """A scanned page through Tesseract: lines of cells (split at wide gaps), word confidences."""
    import pytesseract

    image = page.to_image(resolution=OCR_DPI).original
    try:
        data = pytesseract.image_to_data(
            image, lang="chi_sim", config="--psm 6", output_type=pytesseract.Output.DICT
        )
    except pytesseract.TesseractNotFoundError:
        raise InvalidData(
            "a scanned PDF needs Tesseract: install tesseract-ocr and tesseract-ocr-chi-sim "
            "(./run installs them)"
        ) from None
    rows: dict[tuple[int, int, int], list[tuple[int, int, int, str]]] = {}
    confidences: list[float] = []
    for k, text in enumerate(data["text"]):
        word = str(text).strip()
        conf = float(data["conf"][k])
        if not word or conf < 0:
            continue
        confidences.append(conf)
        key = (data["block_num"][k], data["par_num"][k], data["line_num"][k])
        rows.setdefault(key, []).append(
            (data["left"][k], data["width"][k], data["height"][k], word)
        )
    lines: list[str] = []
    for words in rows.values():  # Tesseract numbers blocks and lines in reading order
        words.sort()
        height = statistics.median(h for _, _, h, _ in words) or 1
        cells: list[str] = [words[0][3]]
        for (left, width, _, _), (nxt, _, _, word) in zip(words, words[1:], strict=False):
            if nxt - (left + width) > CELL_GAP * height:
                cells.append(word)
            else:
                cells[-1] = _join_wrapped(cells[-1] + "\n" + word)
        lines.append("   ".join(cells))
    return lines, confidences


def read_pdf_text(path: Path) -> PdfText:
    """Every page of a PDF as lines; scanned pages through OCR."""
    import pdfplumber

    out = PdfText()
    confidences: list[float] = []
    try:
        with pdfplumber.open(str(path)) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                if page.chars:
                    out.lines.extend(_text_page(page))
                    continue
                lines, conf = _ocr_page(page)
                out.lines.extend(lines)
                out.ocr_pages.append(number)
                confidences.extend(conf)
    except InvalidData:
        raise
    except Exception as exc:  # pdfminer's errors are many and internal
        raise InvalidData(f"{path.name}: not a readable PDF ({exc})") from None
    if out.ocr_pages:
        out.ocr_confidence = statistics.fmean(confidences) / 100 if confidences else 0.0
        pages = ", ".join(str(p) for p in out.ocr_pages)
        out.warnings.append(
            f"page(s) {pages} have no text layer and were read by OCR "
            f"(mean word confidence {out.ocr_confidence:.0%}): check the figures"
        )
    if not any(line.strip() for line in out.lines):
        out.warnings.append("nothing could be read from the PDF, not even by OCR")
    return out
