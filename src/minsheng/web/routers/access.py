"""Accessibility: the results of stored accessibility runs by region, on the map."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from minsheng.domain.errors import NotFound
from minsheng.services.access_results import ACCESS_SOURCE, access_values
from minsheng.services.regions import get_region
from minsheng.web import deps
from minsheng.web.geo import boundaries_url, brief, prefix
from minsheng.web.i18n import translator
from minsheng.web.schemas import ERRORS, FIRST_YEAR, LAST_YEAR, AccessOut, OptionalYear
from minsheng.web.views import published_view

router = APIRouter()


def access_view(
    db: Any,  # noqa: ANN401
    indicator: str | None,
    under: str,
    year: int | None,
    lang: str,
    viewer: Any = None,  # noqa: ANN401
) -> dict[str, Any]:
    area = get_region(db, under)
    values = access_values(
        db, under_prefix=prefix(area.code), year=year,
        published_only=published_view(viewer, area.code),
    )  # fmt: skip
    names = sorted({v.indicator for v in values})
    if indicator and indicator not in names:  # asked for: an empty map would read as "no access"
        raise NotFound(
            f"no accessibility run stored as {indicator!r} under {area.name}"
            + (f"; stored: {', '.join(names)}" if names else ""),
            message_zh=f"{area.name}没有名为“{indicator}”的可达性结果"
            + (f"（已有：{'、'.join(names)}）" if names else ""),
        )
    chosen = indicator or (names[0] if names else None)
    mine = [v for v in values if v.indicator == chosen and v.region != area.code]
    t = translator(lang)
    colon = "：" if lang == "zh" else ": "
    label = {v.indicator: v.indicator_name or v.indicator for v in values}
    units = {v.unit for v in mine if v.unit}
    return {
        "indicator": chosen,
        "indicator_name": label.get(chosen or ""),
        "unit": units.pop() if len(units) == 1 else None,
        "under": brief(area),
        "year": year or (max(v.year for v in mine) if mine else None),
        "indicators": [
            {
                "indicator": n,
                "name": label[n],
                "regions": sum(1 for v in values if v.indicator == n),
            }
            for n in names
        ],
        "items": [
            {
                "code": v.region,
                "name": v.region_name,
                "value": v.value,
                "status": None,
                "status_label": v.note,
            }
            for v in mine
        ],
        "boundaries": boundaries_url(area.code),
        "source": f"{t('data_source')}{colon}{ACCESS_SOURCE} ({t('access')}) · "
        f"{t('boundaries')}{colon}{t('boundaries_credit')}",
    }


@router.get("/api/access", response_model=AccessOut, responses=ERRORS, tags=["access"])
def api_access(
    request: Request,
    indicator: str | None = Query(None, description="indicator the run was stored as"),
    under: str = Query("100000", description="area code"),
    year: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR),
    db=Depends(deps.database),  # noqa: ANN001, B008
    lang: str = Depends(deps.api_lang),
) -> dict[str, Any]:
    """Stored accessibility values (coverage shares, ratios, scores) by region under an area."""
    return access_view(db, indicator, under, year, lang, deps.viewer(request))


@router.get("/access", response_class=HTMLResponse, include_in_schema=False)
def page_access(
    request: Request,
    indicator: str | None = None,
    under: str = "100000",
    year: OptionalYear = None,
    db=Depends(deps.database),  # noqa: ANN001, B008
) -> HTMLResponse:
    return deps.render(
        request,
        "access.html",
        access_view(db, indicator, under, year, deps.lang(request), deps.viewer(request)),
    )
