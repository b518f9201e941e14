"""Report model → HTML, through the Jinja2 templates the web app shares (``reports/templates``).

Figures are embedded as SVG data URIs so that one file carries everything; the
PDF renderer lays out this same HTML.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from minsheng.reports import charts
from minsheng.reports.formatting import LABEL_CODES, STATUS_COLOURS, cell
from minsheng.reports.model import Report

TEMPLATES = Path(__file__).parent / "templates"


def environment() -> Any:
    """The Jinja2 environment of the report templates (the web app may add its own loader)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "css"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["cell"] = cell
    env.filters["id"] = id
    env.globals["codes"] = LABEL_CODES
    return env


def figure_uris(report: Report, fmt: str = "svg") -> dict[int, str]:
    """Each figure drawn once, as a data URI keyed by the figure's identity.

    SVG for browsers (sharp at any zoom); PNG for the PDF, where WeasyPrint lays
    out a bitmap in a fraction of the time the outlined SVG text takes.
    """
    mime = {"svg": "image/svg+xml", "png": "image/png"}[fmt]
    out = {}
    for figure in report.figures():
        data = charts.render(figure, fmt, dpi=220)
        out[id(figure)] = f"data:{mime};base64," + base64.b64encode(data).decode("ascii")
    return out


def render_html(report: Report, images: dict[int, str] | None = None) -> str:
    env = environment()
    css = env.get_template("report.css").render(colours=STATUS_COLOURS)
    return env.get_template("report.html").render(
        report=report,
        sections=report.walk(),
        images=images if images is not None else figure_uris(report),
        css=css,
    )


def write_html(report: Report, out: Path) -> Path:
    out.write_text(render_html(report), encoding="utf-8")
    return out
