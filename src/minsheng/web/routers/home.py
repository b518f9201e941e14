"""The home page and the list of plans: stored plans by level and region, with binding warnings."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from minsheng.web import deps
from minsheng.web.schemas import PlanOut
from minsheng.web.views import plans_by_level

router = APIRouter()


@router.get("/api/plans", response_model=list[PlanOut], tags=["plans"])
def api_plans(db=Depends(deps.database)) -> list[dict]:  # noqa: ANN001, B008
    """Every stored plan, national first, with the binding warnings of its own region."""
    # nothing here is worded (titles, codes, counts), so no ``lang`` is read or accepted
    return [p for group in plans_by_level(db, "zh") for p in group["plans"]]


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, db=Depends(deps.database)) -> HTMLResponse:  # noqa: ANN001, B008
    groups = plans_by_level(db, deps.lang(request))
    return deps.render(request, "home.html", {"groups": groups})
