"""Equalisation: Gini, Theil (with its decomposition) and CV of one indicator across regions, by year."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from minsheng.domain.errors import NotFound
from minsheng.services.plans import get_plan, list_plans
from minsheng.services.regions import get_region, level_named
from minsheng.services.spread import NOTES_ZH, indicator_spread, spread_indicator
from minsheng.web import deps
from minsheng.web.geo import brief
from minsheng.web.schemas import ERRORS, FIRST_YEAR, LAST_YEAR, SpreadOut, Year
from minsheng.web.views import published_view

router = APIRouter()


def _catalogue_codes(db: Any) -> list[tuple[str, str]]:  # noqa: ANN401
    """(code, name) of the catalogue indicators the national plans use, in plan order."""
    seen: dict[str, str] = {}
    for summary in list_plans(db):
        if summary.level == "national" and summary.indicators:
            for ind in get_plan(db, summary.id).plan.indicators:
                if ind.canonical_code:
                    seen.setdefault(ind.canonical_code, ind.name)
    return list(seen.items())


def equity_view(
    db: Any,  # noqa: ANN401
    indicator: str | None,
    under: str,
    year: int,
    level: str | None = None,
    viewer: Any = None,  # noqa: ANN401 - a services User or None
) -> dict[str, Any]:
    """Without a ``viewer`` who may see unpublished values there, measured on published values."""
    area = get_region(db, under)
    published = published_view(viewer, area.code)
    compared = level_named(level or None)
    candidates = [indicator] if indicator else [code for code, _ in _catalogue_codes(db)]
    for code in candidates:
        try:
            table, trend, notes = indicator_spread(
                db, code, area.code, year, level=compared, published_only=published
            )
        except NotFound:
            if indicator:
                raise
            continue
        named = spread_indicator(db, code)
        return {
            "indicator": named.code,
            "indicator_name": named.name,
            "unit": named.unit,
            "under": brief(area),
            "year": year,
            "rows": table.to_dicts(),
            "trend": trend.to_dicts(),
            "notes": notes,
            "notes_zh": [NOTES_ZH.get(n, n) for n in notes],
            "level": compared.value if compared else None,
        }
    raise NotFound(f"no catalogue indicator has observations for the regions under {area.name}")


@router.get("/api/equity", response_model=SpreadOut, responses=ERRORS, tags=["equity"])
def api_equity(
    request: Request,
    indicator: str | None = Query(
        None, description="catalogue code or name (default: the first with data)"
    ),
    under: str = Query("100000", description="area whose regions one level below are compared"),
    year: int = Query(2025, ge=FIRST_YEAR, le=LAST_YEAR, description="last year of the series"),
    level: str | None = Query(
        None, description="level compared (default: one below; two below decomposes Theil)"
    ),
    db=Depends(deps.database),  # noqa: ANN001, B008
) -> dict[str, Any]:
    """Spread of one indicator across the regions under an area, year by year, and its trend."""
    return equity_view(db, indicator, under, year, level, deps.viewer(request))


@router.get("/equity", response_class=HTMLResponse, include_in_schema=False)
def page_equity(
    request: Request,
    indicator: str | None = None,
    under: str = "100000",
    year: Year = 2025,
    level: str | None = None,
    db=Depends(deps.database),  # noqa: ANN001, B008
) -> HTMLResponse:
    data = equity_view(db, indicator, under, year, level or None, deps.viewer(request))
    data["choices"] = _catalogue_codes(db)
    return deps.render(request, "equity.html", data)
