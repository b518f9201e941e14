"""Basic public service standards (issue 12): the public, read-only standards library.

Every stored list by the nine domains with its versions and history, its comparison
with the national standard or the higher region's list, and its yearly cost for a
region. Thin over ``minsheng.services.standards*``: the same dicts feed pages and API.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse

from minsheng.domain.errors import InvalidData
from minsheng.services.standards import find_list, items_by_domain, list_history, list_summaries
from minsheng.services.standards_compare import compare_list, has_higher_list
from minsheng.services.standards_cost import LEVEL_NAMES_ZH, cost_list
from minsheng.web import deps
from minsheng.web.schemas import ERRORS, RowId

router = APIRouter()

WITH_HELP = "national (the shipped national standard) or higher (the nearest higher region's list)"


def library_view(db: Any) -> dict[str, Any]:  # noqa: ANN401
    return {"lists": jsonable_encoder([asdict(s) for s in list_summaries(db)])}


def list_view(db: Any, list_id: int, version: str | None = None) -> dict[str, Any]:  # noqa: ANN401
    """One list version, its items by the nine domains, and every version with its diff."""
    stored = find_list(db, list_id, version)
    history = list_history(db, list_id)
    standard = stored.list
    return jsonable_encoder(
        {
            "id": stored.id,
            "name": standard.name,
            "version": standard.version,
            "region_code": standard.region_code,
            "issued_on": standard.issued_on,
            "source": standard.source,
            "reason": standard.reason,
            "author": standard.author,
            "created_at": standard.created_at,
            "plan_id": standard.plan_id,
            "has_higher": has_higher_list(db, stored),
            "domains": [
                {"domain": name, "items": [asdict(i) for i in items]}
                for name, items in items_by_domain(standard).items()
            ],
            "versions": [
                {
                    "id": v.id,
                    "version": v.list.version,
                    "issued_on": v.list.issued_on,
                    "reason": v.list.reason,
                    "author": v.list.author,
                    "created_at": v.list.created_at,
                    "items": len(v.list.items),
                    "diff": None
                    if diff is None
                    else {
                        "added": [i.item for i in diff.added],
                        "removed": [i.item for i in diff.removed],
                        "changed": [asdict(c) for c in diff.changed],
                        "unchanged": diff.unchanged,
                    },
                }
                for v, diff in history
            ],
        }
    )


def compare_view(db: Any, list_id: int, with_: str, version: str | None) -> dict[str, Any]:  # noqa: ANN401
    r = compare_list(db, list_id, with_, version=version)
    c = r.comparison
    return jsonable_encoder(
        {
            "list": {"id": r.local.id, "name": r.local.list.name, "version": r.local.list.version},
            "reference": {
                "id": r.reference_id,
                "name": r.reference.name,
                "version": r.reference.version,
            },
            "with": with_,
            "note": r.note,
            "note_en": r.note_en,
            "threshold": c.threshold,
            "matched": [asdict(m) for m in c.matched],
            "suggestions": [asdict(m) for m in c.suggestions],
            "missing": [asdict(i) for i in c.missing],
            "added": [asdict(i) for i in c.added],
            "lower": [asdict(low) for low in c.lower],
            "unparsed_standards": c.unparsed_standards,
        }
    )


def _cost_result(res: Any) -> dict[str, Any]:  # noqa: ANN401 - a CostResult
    return {
        "lines": [asdict(line) for line in res.lines],
        "total": res.total,
        "by_level": res.by_level,
        "budget": res.budget,
        "over_budget": res.over_budget,
        "not_costed": [asdict(n) for n in res.not_costed],
    }


def cost_view(
    db: Any,  # noqa: ANN401
    list_id: RowId,
    region: str,
    year: int,
    budget: float | None,
    version: str | None,
) -> dict[str, Any]:
    r = cost_list(db, list_id, region, year, budget=budget, version=version)
    return jsonable_encoder(
        {
            "list": {
                "id": r.stored.id,
                "name": r.stored.list.name,
                "version": r.stored.list.version,
            },
            "region": r.region_code,
            "year": r.year,
            "population_source": r.population_source,
            "levels": LEVEL_NAMES_ZH,
            "baseline": _cost_result(r.baseline),
        }
    )


# ---- JSON API -------------------------------------------------------------------------------


@router.get("/api/standards", tags=["standards"])
def api_library(db: Any = Depends(deps.database)) -> dict[str, Any]:  # noqa: ANN401, B008
    """Every stored basic public service list (基本公共服务清单), its latest version."""
    return library_view(db)


@router.get("/api/standards/{list_id}", responses=ERRORS, tags=["standards"])
def api_list(list_id: RowId, db: Any = Depends(deps.database)) -> dict[str, Any]:  # noqa: ANN401, B008
    """One stored list version: items by the nine domains, every version with its changes."""
    return list_view(db, list_id)


@router.get("/api/standards/{list_id}/versions/{version}", responses=ERRORS, tags=["standards"])
def api_list_version(
    list_id: RowId,
    version: str,
    db: Any = Depends(deps.database),  # noqa: ANN401, B008
) -> dict[str, Any]:
    """A named version of the list that ``list_id`` belongs to."""
    return list_view(db, list_id, version)


@router.get("/api/standards/{list_id}/compare", responses=ERRORS, tags=["standards"])
def api_compare(
    list_id: RowId,
    with_: str = Query("national", alias="with", description=WITH_HELP),
    version: str | None = Query(None, description="the list's version (default: this one)"),
    db: Any = Depends(deps.database),  # noqa: ANN401, B008
) -> dict[str, Any]:
    """Items missing, added, matched (with scores), suggested, and lower standards."""
    return compare_view(db, list_id, with_, version)


@router.get("/api/standards/{list_id}/cost", responses=ERRORS, tags=["standards"])
def api_cost(
    list_id: RowId,
    region: str = Query(..., description="region code"),
    year: int = Query(..., description="the year of the resident population"),
    budget: float | None = Query(None, description="the yearly budget (元)"),
    version: str | None = Query(None, description="the list's version (default: this one)"),
    db: Any = Depends(deps.database),  # noqa: ANN401, B008
) -> dict[str, Any]:
    """The yearly cost of the list for a region, by level of government, against a budget."""
    return cost_view(db, list_id, region, year, budget, version)


# ---- pages ----------------------------------------------------------------------------------


@router.get("/standards", response_class=HTMLResponse, include_in_schema=False)
def page_library(request: Request, db: Any = Depends(deps.database)) -> HTMLResponse:  # noqa: ANN401, B008
    return deps.render(request, "standards.html", library_view(db))


@router.get("/standards/{list_id}", response_class=HTMLResponse, include_in_schema=False)
def page_list(
    request: Request,
    list_id: RowId,
    version: str | None = None,
    db: Any = Depends(deps.database),  # noqa: ANN401, B008
) -> HTMLResponse:
    return deps.render(request, "standard_list.html", list_view(db, list_id, version or None))


@router.get("/standards/{list_id}/compare", response_class=HTMLResponse, include_in_schema=False)
def page_compare(
    request: Request,
    list_id: RowId,
    with_: str = Query("national", alias="with"),
    db: Any = Depends(deps.database),  # noqa: ANN401, B008
) -> HTMLResponse:
    data = compare_view(db, list_id, with_, None)
    data["has_higher"] = with_ == "higher" or has_higher_list(db, find_list(db, list_id, None))
    return deps.render(request, "standard_compare.html", data)


def _amount(text: str | None) -> float | None:
    """The form's budget: an empty field is no budget (a browser sends ``budget=``)."""
    if text is None or not text.strip():
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        raise InvalidData(
            f"the budget is a number of 元, not {text!r}",
            message_zh=f"预算应为金额（元），而不是“{text}”",
        ) from None


@router.get("/standards/{list_id}/cost", response_class=HTMLResponse, include_in_schema=False)
def page_cost(
    request: Request,
    list_id: RowId,
    region: str | None = None,
    year: int | None = None,
    budget: str | None = None,
    db: Any = Depends(deps.database),  # noqa: ANN401, B008
) -> HTMLResponse:
    amount = _amount(budget)
    stored = find_list(db, list_id)
    context: dict[str, Any] = {
        "list": {"id": stored.id, "name": stored.list.name, "version": stored.list.version},
        "form": {"region": region or stored.list.region_code or "", "year": year, "budget": amount},
        "cost": None,
    }
    if region and year:
        context["cost"] = cost_view(db, list_id, region, year, amount, None)
    return deps.render(request, "standard_cost.html", context)
