"""The map: a choropleth of one plan indicator's value or status across the regions under an area."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from minsheng.domain.errors import InvalidData, NotFound
from minsheng.services.plans import get_plan, list_plans
from minsheng.services.regions import get_region
from minsheng.services.results import observation_sources, plan_results
from minsheng.web import deps
from minsheng.web.geo import boundaries_url, brief, prefix
from minsheng.web.i18n import source_label, translator
from minsheng.web.schemas import (
    ERRORS,
    FIRST_YEAR,
    LAST_YEAR,
    MAX_ID,
    MapOut,
    OptionalId,
    OptionalYear,
)
from minsheng.web.views import default_year, indicator_meta, shown_unit

router = APIRouter()


def _default_plan(db: Any) -> int:  # noqa: ANN401
    """The national plan with the most indicators (the map's natural start)."""
    plans = [s for s in list_plans(db) if s.indicators]
    if not plans:
        raise NotFound("no stored plan has indicators to map")
    return max(plans, key=lambda s: (s.level == "national", s.indicators, -s.id)).id


def map_view(
    db: Any,
    plan_id: int | None,
    indicator: int | None,
    under: str | None,
    year: int | None,
    lang: str,  # noqa: ANN401
) -> dict[str, Any]:
    plan_id = plan_id or _default_plan(db)
    stored = get_plan(db, plan_id)
    meta = indicator_meta(stored)
    if not meta:
        raise NotFound(
            f"plan {plan_id} has no indicators to map",
            message_zh=f"规划 {plan_id} 未读出指标，没有可上图的内容",
        )
    if indicator is None:
        indicator = next(iter(meta))
    if indicator not in meta:
        raise NotFound(
            f"plan {plan_id} has no indicator {indicator}",
            message_zh=f"规划 {plan_id} 没有编号为 {indicator} 的指标",
        )
    area = get_region(db, under or stored.region_code or "")
    own = stored.region_code
    if own and not (area.code.startswith(prefix(own)) or own.startswith(prefix(area.code))):
        # an area beside the plan's region (neither in it nor holding it) would draw an empty
        # map, read as "no data"
        raise NotFound(
            f"plan {plan_id} judges no region under {area.name} ({area.code}): "
            f"its region {own} lies elsewhere",
            message_zh=f"规划 {plan_id} 不评估{area.name}（{area.code}）下的地区："
            f"本规划的地区（{own}）不在其中",
        )
    url = boundaries_url(area.code)
    if not url:
        raise InvalidData(f"no boundaries are shipped for the regions under {area.name}")
    year = year or default_year(stored)
    # maps are public: judged on published values only
    results = plan_results(db, plan_id, year, plan_indicator_id=indicator, published_only=True)
    below = [r for r in results if r.region != area.code and r.region.startswith(prefix(area.code))]
    t = translator(lang)
    colon, sep = ("：", "；") if lang == "zh" else (": ", "; ")
    items = [
        {
            "code": r.region,
            "name": r.region_name,
            "value": r.value,
            "status": r.status,
            "status_label": t(r.status),
        }
        for r in below
        if r.inputs.get("part") in (None, 1)
    ]
    sources = observation_sources(db, plan_id, [str(i["code"]) for i in items])
    source = (
        f"{t('data_source')}{colon}{sep.join(source_label(x, lang) or x for x in sources) or t('no_data_map')} · "
        f"{stored.plan.metadata.title} · {year} · {t('boundaries')}{colon}{t('boundaries_credit')}"
    )
    ind = meta[indicator]
    return {
        "plan_id": plan_id,
        "plan_indicator_id": indicator,
        "indicator": ind.name,
        "unit": shown_unit(ind.unit, ind),
        "under": brief(area),
        "year": year,
        "boundaries": url,
        "source": source,
        "items": items,
        "indicators": [{"id": i, "name": m.name} for i, m in meta.items()],
        "plans": [{"id": s.id, "title": s.title} for s in list_plans(db) if s.indicators],
    }


@router.get("/api/map", response_model=MapOut, responses=ERRORS, tags=["maps"])
def api_map(
    plan: int | None = Query(
        None, ge=1, le=MAX_ID, description="plan id (default: the national plan)"
    ),
    indicator: int | None = Query(
        None, ge=1, le=MAX_ID, description="plan indicator id (default: the first)"
    ),
    under: str | None = Query(
        None,
        description="area code or name holding or within the plan's region (default: the plan's region)",
    ),
    year: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR, description="evaluation year"),
    db=Depends(deps.database),  # noqa: ANN001, B008
    lang: str = Depends(deps.api_lang),
) -> dict[str, Any]:
    """Values and statuses of one plan indicator across the regions under an area, with its sources."""
    return map_view(db, plan, indicator, under, year, lang)


@router.get("/map", response_class=HTMLResponse, include_in_schema=False)
def page_map(
    request: Request,
    plan: OptionalId = None,
    indicator: OptionalId = None,
    under: str | None = None,
    year: OptionalYear = None,
    show: str = "value",
    db=Depends(deps.database),  # noqa: ANN001, B008
) -> HTMLResponse:
    data = map_view(db, plan, indicator, under, year, deps.lang(request))
    data["show"] = "status" if show == "status" else "value"
    return deps.render(request, "map.html", data)
