"""Documents to numbered text lines: .txt, .html/.htm, .docx, .pdf (text layer).

Every reader returns lines in reading order; a table (HTML ``<table>`` or a
Word table) becomes one line per row with cells joined by ``" | "``, the form
web-page transcriptions already use, so one table parser reads them all.
Plain text is decoded by trying UTF-8 first, then what charset-normalizer
detects, with GB2312/GBK widened to GB18030 (its superset), because Chinese
government files are still often saved in GBK.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from minsheng.domain import limits
from minsheng.domain.errors import InvalidData
from minsheng.ingest.documents.extraction import Removal

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

SUPPORTED = (".txt", ".text", ".html", ".htm", ".docx", ".pdf")
_WIDER = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "hz": "gb18030",
    "big5": "big5hkscs",
}


@dataclass
class RawDocument:
    """A document as lines, with what the reader itself dropped (page chrome elements)."""

    lines: list[str]
    encoding: str | None = None
    removed: list[Removal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)  # 1-based pages read by OCR
    ocr_confidence: float | None = None  # OCR's mean word confidence (0–1), when used


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with: UTF-8 (with or without BOM), else the detected one."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    guess = (best.encoding if best else "gb18030").lower().replace("-", "").replace("_", "")
    encoding = _WIDER.get(guess, best.encoding if best else "gb18030")
    if guess not in _WIDER and _mostly_cjk_as_gb18030(data):
        encoding = "gb18030"  # short GBK texts are often mis-detected as a single-byte code page
    return data.decode(encoding, errors="replace"), encoding


def _mostly_cjk_as_gb18030(data: bytes) -> bool:
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return cjk >= max(4, len(text) // 5)


def _strict_utf8(data: bytes) -> bool:
    """Whether non-ASCII bytes decode as UTF-8: then a page's declared GB charset is stale
    (pages re-saved as UTF-8 keep their old ``<meta charset>``); GBK text almost never is."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any(b >= 0x80 for b in data)


def as_cells(line: str) -> str:
    """A row copied from a Word or spreadsheet table (cells between tabs) or typed with
    full-width bars (``｜``) in the ``" | "`` form every table reader expects; a tab
    keeps an empty cell where collapsing spaces would lose it."""
    body = line.strip(" \r\n")
    if body.count("\t") >= 2:
        return " | ".join(c.strip() for c in body.strip("\t").split("\t")) + " |"
    if body.count("｜") >= 2 and "|" not in body:
        return body.replace("｜", " | ").rstrip() + ("" if body.endswith("｜") else " |")
    return line


def _codec(label: str) -> str | None:
    """The codec a page's declared charset names, or None when Python knows no such codec.

    Chinese sites declare ``x-gbk``, ``GB_2312-80``, ``ansi`` or ``unicode``; the GB family
    is read as GB18030 (its superset), as is ``ansi`` (code page 936 on a Chinese
    system); the rest is left to detection.
    """
    import codecs

    name = label.lower().replace("-", "").replace("_", "")
    name = name[1:] if name.startswith("x") and name[1:] in _WIDER else name
    name = "gb2312" if name.startswith("gb2312") else name
    if name in _WIDER:
        return _WIDER[name]
    if name == "ansi":  # the Windows code page of a Chinese system: GBK
        return "gb18030"
    if name == "unicode":
        return None
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _refuse_non_text(text: str, name: str) -> None:
    """An empty or binary file is not a plan document: refuse it rather than store an empty plan."""
    if "\x00" in text:
        raise InvalidData(f"{name}: binary data (NUL bytes), not a text document")
    sample = text[:100_000]
    control = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f\v")
    if control > len(sample) // 100:
        raise InvalidData(f"{name}: binary data, not a text document")
    if "\ufffd" in sample and sample.count("\ufffd") > len(sample) // 20:
        raise InvalidData(f"{name}: not readable text in any encoding minsheng knows")
    if not any(ch.isalnum() for ch in sample):
        raise InvalidData(f"{name}: no text to read (an empty document)")


def read_text(path: Path) -> RawDocument:
    text, encoding = decode_bytes(path.read_bytes())
    _refuse_non_text(text, path.name)
    limits.current().check_lines(text, path.name)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return RawDocument([as_cells(line) for line in lines], encoding)


_BLOCKS = {
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section", "article",
    "ul", "ol", "dl", "dt", "dd", "pre", "blockquote", "center", "form",
}  # fmt: skip
_CHROME_TAGS = ("nav", "header", "footer", "aside")
_CHROME_ATTR = re.compile(
    r"nav|menu|breadcrumb|crumb|footer|share|sidebar|topbar|copyright|location", re.I
)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _parse_html(text: str) -> Element | None:
    """The page's element tree from lxml's own HTML parser (libxml2, in C).

    lxml is read directly rather than through BeautifulSoup: the same parser builds the
    same tree, but BeautifulSoup copies it node by node into Python objects, which made a
    page of dense tables cost five times ordinary text per byte. The text is handed over
    as UTF-8 with the encoding stated, so a stale ``<meta charset>`` cannot re-decode it;
    ``huge_tree`` lets a text node longer than libxml2's 10 MB default through (the file
    size limit bounds it), and nesting depth was checked before parsing.
    """
    from lxml import etree

    # etree's parser, not lxml.html's: the same tree without a Python class lookup per element
    parser = etree.HTMLParser(encoding="utf-8", huge_tree=True, remove_comments=True)
    # control characters (a few pass the binary check) are spaces: lxml would keep them in
    # the tree but refuse them when a tail is moved (found by benchmarks/fuzz_atheris.py)
    text = _NOT_XML.sub(" ", text)
    return etree.fromstring(text.encode("utf-8", errors="replace"), parser)


def _words(element: Element) -> str:
    """An element's visible text, words joined by single spaces (its own tail excluded)."""
    if len(element) == 0:  # a cell of plain text, the common case: no walk of the subtree
        return " ".join((element.text or "").split())
    return " ".join(" ".join(element.itertext()).split())


def _attached(element: Element, root: Element) -> bool:
    while element is not None:
        if element is root:
            return True
        element = element.getparent()
    return False


def _drop(element: Element) -> None:
    """Remove an element and what it holds, keeping the text that follows it (its tail)."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _drop_chrome(root: Element, doc: RawDocument) -> None:
    """Remove scripts and page chrome (navigation, menus, footers), noting the chrome's words."""
    for tag in list(root.iter("script", "style", "noscript", "template", "iframe")):
        if _attached(tag, root):
            _drop(tag)
    chrome = list(root.iter(*_CHROME_TAGS))
    chrome += [
        t
        for t in root.iter()
        if isinstance(t.tag, str)
        and t.tag not in ("html", "body", "table", "tr", "td")
        and (t.get("class") or t.get("id"))
        and _CHROME_ATTR.search(" ".join([*(t.get("class") or "").split(), t.get("id") or ""]))
    ]
    for tag in chrome:
        if not _attached(tag, root):  # inside chrome removed already
            continue
        words = _words(tag)
        if words:
            doc.removed.append(Removal(0, words[:200], f"page chrome <{tag.tag}>"))
        _drop(tag)


_SPACES = re.compile(r"[\r\n\t]+")


def read_html(path: Path) -> RawDocument:
    data = path.read_bytes()
    head = data[:4096].decode("ascii", errors="ignore")
    declared = re.search(r"charset=[\"']?([\w-]+)", head, re.I)
    codec = _codec(declared.group(1)) if declared else None
    if codec and codec not in ("utf-8", "utf8") and not _strict_utf8(data):
        text, encoding = data.decode(codec, errors="replace"), codec
    else:
        text, encoding = decode_bytes(data)
    _refuse_non_text(text, path.name)
    _check_depth(text, path.name)
    doc = RawDocument([], encoding)
    root = _parse_html(text)
    if root is None:  # nothing but markup without content
        return doc
    _drop_chrome(root, doc)

    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = "".join(current).strip()
        if line:
            lines.append(line)
        current.clear()

    # An explicit stack, not recursion: a page nested thousands of levels deep cannot reach
    # Python's recursion limit. A string is text to add; ``None`` marks the end of a block.
    body = next(root.iter("body"), None)
    start = body if body is not None else root
    stack: list[Element | str | None] = []

    def push_content(element: Element) -> None:
        for child in reversed(element):
            if child.tail:
                stack.append(child.tail)
            stack.append(child)
        if element.text:
            stack.append(element.text)

    push_content(start)
    while stack:
        item = stack.pop()
        if item is None:
            flush()
        elif isinstance(item, str):
            current.append(_SPACES.sub(" ", item))
        elif not isinstance(item.tag, str):  # a processing instruction or entity: no text
            continue
        elif item.tag == "table":
            flush()
            for cells in _table_rows(item):
                if any(cells):
                    lines.append(" | ".join(cells) + " |")
        else:
            if item.tag in _BLOCKS:
                flush()
                stack.append(None)
            push_content(item)
    flush()
    doc.lines = lines
    return doc


_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^<>]*?(/?)>")
_IMPLIED_CLOSE = {"p", "li", "td", "th", "tr", "option", "dt", "dd", "thead", "tbody"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "wbr", "col", "area", "base", "source"}


def _check_depth(text: str, name: str) -> None:
    """Refuse HTML nested deeper than the limit, before a parser builds the tree (one linear scan).

    Unclosed ``<p>``/``<td>``/``<li>`` are common in real pages and closed implicitly by
    parsers; counting only opening and closing tags would overstate their depth, so the
    scan tracks the open elements by name and lets a closing tag close everything it
    implies, as the parsers do.
    """
    limit = limits.current().max_nesting
    open_tags: list[str] = []
    for m in _TAG.finditer(text):
        closing, tag, self_closing = m.group(1), m.group(2).lower(), m.group(3)
        if tag in _VOID or self_closing:
            continue
        if closing:
            if open_tags and open_tags[-1] == tag:  # the common case: the innermost closes
                open_tags.pop()
            elif tag in open_tags:
                del open_tags[len(open_tags) - 1 - open_tags[::-1].index(tag) :]
            continue
        if tag in _IMPLIED_CLOSE and tag in open_tags[-8:]:
            # an unclosed sibling (<td>a<td>b, <tr>…<tr>): the parser closes the previous one
            del open_tags[len(open_tags) - 1 - open_tags[::-1].index(tag) :]
        open_tags.append(tag)
        if len(open_tags) > limit:
            raise limits.current().nesting_error(name)


def _span(cell: Element, name: str) -> int:
    try:
        return max(1, min(100, int(str(cell.get(name) or 1))))
    except ValueError:
        return 1


def _table_rows(table: Element) -> list[list[str]]:
    """A ``<table>``'s rows as cell texts, a ``rowspan`` cell repeated in every row it
    spans (a merged 属性 or 类别 cell belongs to each of its rows, as in a Word table);
    a ``colspan`` cell stays one cell, so a category row across the table stays one."""
    rows: list[list[str]] = []
    carry: dict[int, tuple[str, int]] = {}  # column → (text, rows it still spans)
    for tr in table.iter("tr"):
        out: list[str] = []
        col = 0
        used: list[int] = []
        for td in [c for c in tr if c.tag in ("td", "th")]:  # the row's own cells
            while col in carry and col not in used:  # cells merged down from rows above
                out.append(carry[col][0])
                used.append(col)
                col += 1
            text = _words(td)
            out.append(text)
            rowspan = _span(td, "rowspan")
            if rowspan > 1:
                carry[col] = (text, rowspan)
                used.append(col)
            col += _span(td, "colspan")
        for rest in sorted(k for k in carry if k >= col):
            out.append(carry[rest][0])
            used.append(rest)
        for k in used:
            text, left = carry[k]
            if left <= 1:
                del carry[k]
            else:
                carry[k] = (text, left - 1)
        rows.append(out)
    return rows


def read_docx(path: Path) -> RawDocument:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types for a bad package
        raise InvalidData(f"{path.name}: not a readable Word document ({exc})") from None
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.extend(as_cells(t) for t in Paragraph(block, document).text.split("\n"))
        elif tag == "tbl":
            for row in Table(block, document).rows:
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a horizontally merged cell repeats
                        continue
                    seen.add(id(cell._tc))
                    cells.append(" ".join(cell.text.split()))
                if any(cells):
                    lines.append(" | ".join(cells) + " |")
    return RawDocument(lines, "docx")


def read_pdf(path: Path) -> RawDocument:
    """Text layer with tables read by position; scanned pages by OCR (see :mod:`.pdf`)."""
    from minsheng.ingest.documents.pdf import read_pdf_text

    text = read_pdf_text(path)
    doc = RawDocument(text.lines, "pdf", warnings=text.warnings)
    doc.ocr_pages, doc.ocr_confidence = text.ocr_pages, text.ocr_confidence
    return doc


def read_document(path: str | Path) -> RawDocument:
    """Read any supported file into lines; unsupported types are a user error."""
    p = Path(path)
    suffix = p.suffix.lower()
    if not p.exists():
        raise InvalidData(f"{p}: no such file")
    if p.is_file():
        limits.current().check_size(p.stat().st_size, p.name)
    if suffix in (".html", ".htm", ".shtml", ".xhtml"):
        return read_html(p)
    if suffix == ".docx":
        return read_docx(p)
    if suffix == ".pdf":
        return read_pdf(p)
    if suffix in (".txt", ".text", ".md", ""):
        return read_text(p)
    raise InvalidData(f"{p.name}: cannot read {suffix} files (supported: {', '.join(SUPPORTED)})")
