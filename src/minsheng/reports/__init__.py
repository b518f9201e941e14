"""Evaluation reports: one document model (:mod:`.model`) built once (:mod:`.build`) and
rendered to Word, HTML, PDF and Excel (``render_*``). Heavy libraries load inside the renderers."""

from __future__ import annotations

from pathlib import Path

from minsheng.domain.errors import InvalidData, MinshengError
from minsheng.reports.model import Report

FORMATS = ("docx", "pdf", "html", "xlsx")


def render(report: Report, fmt: str) -> bytes:
    """The report as the bytes of a ``fmt`` file."""
    try:
        return _render(report, fmt)
    except ImportError as exc:  # the optional extra is not installed
        raise MinshengError(
            f"reports need {exc.name}: pip install 'minsheng[reports]' (./run installs it)"
        ) from None


def _render(report: Report, fmt: str) -> bytes:
    if fmt == "docx":
        from minsheng.reports.render_docx import render_docx

        return render_docx(report)
    if fmt == "pdf":
        from minsheng.reports.render_pdf import render_pdf

        return render_pdf(report)
    if fmt == "html":
        from minsheng.reports.render_html import render_html

        return render_html(report).encode("utf-8")
    if fmt == "xlsx":
        from minsheng.reports.render_xlsx import render_xlsx

        return render_xlsx(report)
    raise InvalidData(f"unknown report format {fmt!r}: one of {', '.join(FORMATS)}")


def write(report: Report, fmt: str, out: Path) -> Path:
    """Write the report; the folder must exist (a typo in a path is not silently created)."""
    data = render(report, fmt)
    out.write_bytes(data)
    return out
