"""Report model → PDF: the HTML rendering laid out by WeasyPrint, which embeds its fonts.

The fonts are the system's Noto CJK faces (Debian's ``fonts-noto-cjk``, installed
by ``./run``); WeasyPrint embeds the subsets it uses, so the PDF shows the same on
any machine.
"""

from __future__ import annotations

from pathlib import Path

from minsheng.reports.fonts import font_file
from minsheng.reports.model import Report
from minsheng.reports.render_html import figure_uris, render_html


def render_pdf(report: Report) -> bytes:
    import logging

    from weasyprint import HTML

    font_file("serif"), font_file("sans")  # fail with a clear message before rendering boxes
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    html = render_html(report, figure_uris(report, "png"))
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def write_pdf(report: Report, out: Path) -> Path:
    out.write_bytes(render_pdf(report))
    return out
