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
from minsheng.ingest.documents.columns import Header, Role, is_category_label, read_header

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
    region = page.within_bbox((0, max(0, top), page.width, min(page.height, bottom)))
    return (region.extract_text() or "").split("\n")


def _text_page(page: Any, carried: Columns | None) -> tuple[list[str], Columns | None]:
    """A page with a text layer: tables by position, the text around them in order."""
    found = page.find_tables()
    if not found:
        return _borderless_page(page, carried)
    lines: list[str] = []
    top = 0.0
    for table in sorted(found, key=lambda t: t.bbox[1]):
        lines.extend(_text_lines(page, top, table.bbox[1]))
        for row in table.extract():
            cells = [_join_wrapped(c) for c in row]
            if any(cells):
                lines.append(" | ".join(cells) + " |")
        top = max(top, table.bbox[3])
    lines.extend(_text_lines(page, top, page.height))
    return lines, None


#: Where a borderless table's columns start (x, points) and which is the name column,
#: carried to the next page when the table runs on without repeating its header.
Columns = tuple[list[float], int]


def _borderless_page(page: Any, carried: Columns | None) -> tuple[list[str], Columns | None]:
    """A table drawn without rules, read from its words' positions.

    The header's words fix where each column starts (a page without a header keeps the
    columns of the table running on from the page before); every later line's words fall
    into columns by where they start. A line with words only in the name column is part of
    a wrapped name; the parts between two rows' lines are split at the widest gap, the upper
    part ending the row above, the lower part starting the row below. Returns the lines and
    the columns still open at the page's end (None when no table runs on)."""
    lines = _word_lines(page.extract_words())
    at = next((k for k, (_, words) in enumerate(lines) if _header_of(words)), None)
    if at is not None:
        header_words = lines[at][1]
        header = _header_of(header_words)
        assert header is not None
        columns: Columns = ([w["x0"] - 2 for w in header_words], header.roles.index(Role.NAME))
        above = [
            *_text_lines(page, 0, lines[at][0]),
            " | ".join(w["text"] for w in header_words) + " |",
        ]
    elif carried is not None:
        columns, above, at = carried, [], -1
    else:
        return _text_lines(page, 0, page.height), None
    starts, name_col = columns
    table = _Rows(name_col, above)
    bottom, open_at_end = page.height, True
    for top, words in lines[at + 1 :]:
        cells = [""] * len(starts)
        for w in words:
            col = max((c for c, x in enumerate(starts) if x <= w["x0"]), default=0)
            cells[col] += w["text"]
        filled = [c for c, text in enumerate(cells) if text]
        if filled == [name_col]:
            table.fragments.append((top, cells[name_col]))
        elif filled and max(filled) <= name_col and is_category_label(cells[filled[0]]):
            table.settle()
            table.out.append(" | ".join([cells[filled[0]], *[""] * (len(cells) - 1)]) + " |")
        elif filled and max(filled) > name_col:
            table.settle((top, cells))
        else:
            bottom, open_at_end = top, False
            break
    table.settle()
    out = table.out + _text_lines(page, bottom - 1, page.height)
    return out, columns if open_at_end else None


@dataclass
class _Rows:
    """Rows of a borderless table being rebuilt: the row in hand and the name parts around it."""

    name_col: int
    out: list[str]
    current: tuple[float, list[str]] | None = None
    above: list[str] = field(default_factory=list)  # name parts above the row in hand
    fragments: list[tuple[float, str]] = field(default_factory=list)  # parts since its line

    def settle(self, nxt: tuple[float, list[str]] | None = None) -> None:
        below, above = [t for _, t in self.fragments], []
        if nxt is not None and self.fragments:
            first = self.current[0] if self.current else self.fragments[0][0] - 1000
            tops = [first, *(t for t, _ in self.fragments), nxt[0]]
            gaps = [tops[i + 1] - tops[i] for i in range(len(tops) - 1)]
            widest = max(range(len(gaps)), key=lambda i: gaps[i])
            if sum(1 for g in gaps if g > gaps[widest] - 1) == 1:
                cut = widest  # rows are set apart by more space than a cell's lines
            elif self.above:
                cut = min(len(self.above), len(below))  # centred: as many parts below as above
            else:
                cut = len(below)  # top-aligned: every part below belongs to the row above
            below, above = below[:cut], below[cut:]
        if self.current is not None:
            cells = self.current[1]
            cells[self.name_col] = "".join([*self.above, cells[self.name_col], *below])
            self.out.append(" | ".join(cells) + " |")
        else:
            self.out.extend(below)  # parts with no row: left as lines, reported downstream
        self.current, self.above, self.fragments = nxt, above, []


def _word_lines(words: list[dict[str, Any]]) -> list[tuple[float, list[dict[str, Any]]]]:
    """Words grouped into lines by their top (within 3 points), each line left to right."""
    lines: list[tuple[float, list[dict[str, Any]]]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0] - word["top"]) <= 3:
            lines[-1][1].append(word)
        else:
            lines.append((word["top"], [word]))
    return [(top, sorted(ws, key=lambda w: w["x0"])) for top, ws in lines]


def _header_of(words: list[dict[str, Any]]) -> Header | None:
    return read_header([w["text"] for w in words]) if 3 <= len(words) <= 12 else None


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
            carried: Columns | None = None
            for number, page in enumerate(pdf.pages, 1):
                if page.chars:
                    lines, carried = _text_page(page, carried)
                    out.lines.extend(lines)
                    continue
                carried = None
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
