"""Evaluation report download (issue 11): the CLI's report as a file from the dashboard.

Thin over :func:`minsheng.services.report_content.report_content` and the renderers of
:mod:`minsheng.reports`; the file keeps a Chinese name (RFC 6266 ``filename*``).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from minsheng.domain.errors import InvalidData
from minsheng.reports import FORMATS, render
from minsheng.reports.build import build_report
from minsheng.services.evaluation import check_plan_year
from minsheng.services.plans import get_plan
from minsheng.services.report_content import parse_kind, report_content
from minsheng.web import deps
from minsheng.web.schemas import ERRORS, RowId
from minsheng.web.views import published_view

router = APIRouter()

MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def attachment(name: str, ascii_fallback: str) -> str:
    """A Content-Disposition that keeps a Chinese file name (``filename*=UTF-8''…``)."""
    return f"attachment; filename=\"{ascii_fallback}\"; filename*=UTF-8''{quote(name)}"


def safe_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_")[:60]


@router.get(
    "/api/plans/{plan_id}/report",
    response_class=Response,
    responses={
        **ERRORS,
        200: {
            "description": "the report file",
            "content": {MEDIA_TYPES[f].split(";")[0]: {} for f in FORMATS},
        },
    },
    tags=["plans"],
)
def api_report(
    request: Request,
    plan_id: RowId,
    format: str = Query("docx", description="docx, pdf, html or xlsx"),  # noqa: A002
    kind: str = Query(
        "final", description="annual (年度监测), midterm (中期评估) or final (总结评估)"
    ),
    year: int | None = Query(None, description="evaluation year (default: by kind)"),
    region: str | None = Query(None, description="region code or name (default: the plan's own)"),
    db: Any = Depends(deps.database),  # noqa: ANN401, B008
) -> Response:
    """The evaluation report of a plan as a Word, PDF, HTML or Excel file.

    A reader who may not see unreviewed values (the public, or a role outside the plan's
    region) gets the report built from published values alone, as the pages show them.
    """
    if format not in FORMATS:
        raise InvalidData(f"unknown report format {format!r}: one of {', '.join(FORMATS)}")
    report_kind = parse_kind(kind)
    stored = get_plan(db, plan_id)
    if year is not None:
        check_plan_year(stored, year)
    published = published_view(deps.viewer(request), stored.region_code)
    content = report_content(
        db, plan_id, year, report_kind, region=region, published_only=published
    )
    data = render(build_report(content), format)
    name = f"{safe_name(content.title)}_{content.region_name}_{content.year}{report_kind.label_zh}.{format}"
    fallback = f"report_{plan_id}_{content.year}_{report_kind.value}.{format}"
    return Response(
        data,
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": attachment(name, fallback)},
    )
