"""The plan dashboard: indicator table with status, domains summary, binding warnings first."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from minsheng.domain.errors import InvalidData
from minsheng.web import deps
from minsheng.web.schemas import ERRORS, FIRST_YEAR, LAST_YEAR, DashboardOut, OptionalYear, RowId
from minsheng.web.views import (
    count_statuses,
    covered_region,
    default_year,
    domain_summaries,
    own_results,
    plan_out,
    plan_years,
    summary_of,
)

router = APIRouter()


def dashboard(
    db: Any,  # noqa: ANN401
    plan_id: RowId,
    year: int | None,
    lang: str,
    viewer: Any = None,  # noqa: ANN401
    region: str | None = None,
) -> dict[str, Any]:
    """The plan judged at a year for ``region`` (code or name; default: the plan's own)."""
    summary = summary_of(db, plan_id)
    asked = covered_region(db, summary, region)
    years = plan_years(summary)
    year = default_year(summary) if year is None else year
    if year not in years:
        raise InvalidData(
            f"evaluation year {year} is outside the plan period {years[0]}–{years[-1]}"
        )
    code = asked.code if asked else summary.region_code
    rows = own_results(db, summary, year, lang, viewer=viewer, region=code)
    counts = count_statuses(rows)
    return {
        "plan": plan_out(summary, counts["warnings"]),
        "year": year,
        "years": years,
        "region": code,
        "region_name": asked.name if asked else summary.region_name,
        "rows": rows,
        "domains": domain_summaries(rows, lang),
        "counts": counts,
    }


@router.get(
    "/api/plans/{plan_id}/dashboard", response_model=DashboardOut, responses=ERRORS, tags=["plans"]
)
def api_dashboard(
    request: Request,
    plan_id: RowId,
    year: int | None = Query(
        None,
        ge=FIRST_YEAR,
        le=LAST_YEAR,
        description="evaluation year (default: the plan's last year)",
    ),
    region: str | None = Query(
        None,
        max_length=60,
        description="region code or name within the plan's region (default: the plan's own)",
    ),
    db=Depends(deps.database),  # noqa: ANN001, B008
    lang: str = Depends(deps.api_lang),
) -> dict[str, Any]:
    """A plan's indicators for a region (default: its own) at a year: status, ρ, expected, reason."""
    return dashboard(db, plan_id, year, lang, deps.viewer(request), region)


@router.get("/plans/{plan_id}", response_class=HTMLResponse, include_in_schema=False)
def page_dashboard(
    request: Request,
    plan_id: RowId,
    year: OptionalYear = None,
    region: str | None = Query(None, max_length=60),
    db=Depends(deps.database),  # noqa: ANN001, B008
) -> HTMLResponse:
    data = dashboard(db, plan_id, year, deps.lang(request), deps.viewer(request), region or None)
    return deps.render(request, "dashboard.html", data)
