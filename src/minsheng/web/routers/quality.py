"""Data quality: who reported what and when, missing and late values, outliers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from minsheng.services.quality import plan_quality
from minsheng.web import deps
from minsheng.web.schemas import ERRORS, QualityOut, RowId
from minsheng.web.views import plan_out, published_view, summary_of

router = APIRouter()


def quality_view(db: Any, plan_id: RowId, threshold: float, viewer: Any = None) -> dict[str, Any]:  # noqa: ANN401
    """Without a ``viewer`` who may see unpublished values, the published data's quality:
    an outlier names a value, and a draft is not the public's to read."""
    summary = summary_of(db, plan_id)
    published = published_view(viewer, summary.region_code)
    report = plan_quality(db, plan_id, threshold=threshold, published_only=published)
    return {
        "plan": plan_out(summary),
        "years": report.years,
        "by_region": report.by_region.to_dicts(),
        "by_indicator": report.by_indicator.to_dicts(),
        "outliers": report.outliers.to_dicts(),
        "other_units": report.other_units.to_dicts(),
    }


@router.get(
    "/api/plans/{plan_id}/quality", response_model=QualityOut, responses=ERRORS, tags=["plans"]
)
def api_quality(plan_id: RowId, request: Request, db=Depends(deps.database)) -> dict[str, Any]:  # noqa: ANN001, B008
    """Completeness and timeliness by region and by indicator, and the outliers flagged."""
    return quality_view(db, plan_id, deps.settings(request).outlier_threshold, deps.viewer(request))


@router.get("/plans/{plan_id}/quality", response_class=HTMLResponse, include_in_schema=False)
def page_quality(request: Request, plan_id: RowId, db=Depends(deps.database)) -> HTMLResponse:  # noqa: ANN001, B008
    from minsheng.data.divisions import divisions_by_code

    data = quality_view(db, plan_id, deps.settings(request).outlier_threshold, deps.viewer(request))
    codes = {r["region"] for part in ("by_region", "outliers", "other_units") for r in data[part]}
    divisions = divisions_by_code()
    names = {c: divisions[c].name for c in codes if c in divisions}
    return deps.render(request, "quality.html", {**data, "region_names": names})
