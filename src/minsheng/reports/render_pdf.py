"""HTML → PDF, laid out by WeasyPrint, which embeds its fonts: the one way a PDF is made.

The fonts are the system's Noto CJK faces (Debian's ``fonts-noto-cjk``, installed
by ``./run``); WeasyPrint embeds the subsets it uses, so the PDF shows the same on
any machine. An evaluation report goes through its HTML rendering; a draft plan's
table (:mod:`minsheng.reports.draft_pdf`) through its own page of the same styles.
"""

from __future__ import annotations

from pathlib import Path

from minsheng.reports.fonts import font_file
from minsheng.reports.model import Report
from minsheng.reports.render_html import figure_uris, render_html


def html_to_pdf(html: str) -> bytes:
    """A self-contained HTML page (styles and images inline) as the bytes of a PDF."""
    import logging

    from weasyprint import HTML

    font_file("serif"), font_file("sans")  # fail with a clear message before rendering boxes
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def render_pdf(report: Report) -> bytes:
    return html_to_pdf(render_html(report, figure_uris(report, "png")))


def write_pdf(report: Report, out: Path) -> Path:
    out.write_bytes(render_pdf(report))
    return out
