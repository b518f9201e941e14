"""Search across plans, indicators and regions (Chinese names and codes)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from minsheng.services.plans import get_plan, list_plans
from minsheng.services.regions import search_regions
from minsheng.web import deps
from minsheng.web.schemas import SearchOut

router = APIRouter()
LIMIT = 50


def search_view(db: Any, q: str) -> dict[str, Any]:  # noqa: ANN401
    q = q.strip()
    hits: list[dict[str, str]] = []
    if not q:
        return {"query": q, "hits": hits}
    for hit in search_regions(db, q, with_chain=True, limit=LIMIT):
        chain = " · ".join(r.name for r in reversed(hit.chain[1:]))
        hits.append(
            {
                "kind": "region",
                "label": hit.region.name,
                "detail": f"{hit.region.code} {chain}",
                "url": f"/regions/{hit.region.code}",
            }
        )
    for summary in list_plans(db):
        if (
            q in summary.title
            or q == str(summary.id)
            or (summary.region_name and q in summary.region_name)
        ):
            hits.append(
                {
                    "kind": "plan",
                    "label": summary.title,
                    "detail": f"{summary.region_name or ''} {summary.period_start or ''}–{summary.period_end or ''}",
                    "url": f"/plans/{summary.id}",
                }
            )
        if not summary.indicators:
            continue
        stored = get_plan(db, summary.id)
        for pid, ind in zip(stored.indicator_ids, stored.plan.indicators, strict=True):
            code = ind.canonical_code or ""
            if q in ind.name or (code and q.upper() == code.upper()):
                hits.append(
                    {
                        "kind": "indicator",
                        "label": ind.name,
                        "detail": f"{code} · {summary.title}",
                        "url": f"/plans/{summary.id}/indicators/{pid}",
                    }
                )
    return {"query": q, "hits": hits[: LIMIT * 3]}


@router.get("/api/search", response_model=SearchOut, tags=["search"])
def api_search(
    q: str = Query(..., description="a name or code fragment"),
    db=Depends(deps.database),  # noqa: ANN001, B008
) -> dict[str, Any]:
    """Regions, plans and plan indicators whose name or code holds the query."""
    return search_view(db, q)


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def page_search(request: Request, q: str = "", db=Depends(deps.database)) -> HTMLResponse:  # noqa: ANN001, B008
    return deps.render(request, "search.html", search_view(db, q))
