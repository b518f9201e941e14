"""A draft plan's table as PDF, and the one entry for every file a draft is written to.

The PDF says what the Word export says — the content is
:func:`minsheng.services.draft_export.draft_sheet`, laid out here as a page of the
report styles (``report.css``: the same fonts, sizes and table rules) and turned into
a PDF by :func:`minsheng.reports.render_pdf.html_to_pdf`, the way report PDFs are
made. It lives among the reports (a face over the services) because the PDF
machinery does; the command and the web page both write drafts through
:func:`write_draft`, so a format added here reaches both.
"""

from __future__ import annotations

from pathlib import Path

from minsheng.domain.errors import InvalidData, MinshengError
from minsheng.reports.formatting import STATUS_COLOURS
from minsheng.reports.render_html import environment
from minsheng.services.draft_export import EXPORT_SUFFIXES, draft_sheet, export_draft
from minsheng.services.drafting import Draft

#: Every file a draft can be written to.
DRAFT_SUFFIXES = (*EXPORT_SUFFIXES, ".pdf")


def render_draft_html(draft: Draft) -> str:
    env = environment()
    css = env.get_template("report.css").render(colours=STATUS_COLOURS)
    return env.get_template("draft_table.html").render(sheet=draft_sheet(draft), css=css)


def render_draft_pdf(draft: Draft) -> bytes:
    from minsheng.reports.render_pdf import html_to_pdf

    try:
        return html_to_pdf(render_draft_html(draft))
    except ImportError as exc:  # the optional extra is not installed
        raise MinshengError(
            f"PDF export needs {exc.name}: pip install 'minsheng[reports]' (./run installs it)"
        ) from None


def draft_suffix(path: Path) -> str:
    """The file's suffix if a draft can be written to it; else a clear refusal."""
    suffix = path.suffix.lower()
    if suffix not in DRAFT_SUFFIXES:
        raise InvalidData(f"{path.name}: export to {', '.join(DRAFT_SUFFIXES)}")
    return suffix


def write_draft(draft: Draft, path: str | Path) -> Path:
    """Write the draft as .docx, .xlsx, .json or .pdf (by the file's suffix)."""
    p = Path(path)
    if draft_suffix(p) != ".pdf":
        return export_draft(draft, p)
    p.write_bytes(render_draft_pdf(draft))
    return p
