"""Region pages and the drill-down national → province → prefecture → county."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from minsheng.domain.regions import Level
from minsheng.services.plans import get_plan, list_plans
from minsheng.services.regions import region_ancestry, search_regions
from minsheng.services.reporting import visible_values
from minsheng.services.results import plan_results
from minsheng.web import deps
from minsheng.web.geo import brief
from minsheng.web.schemas import ERRORS, FIRST_YEAR, LAST_YEAR, OptionalYear, RegionOut
from minsheng.web.views import indicator_meta, plan_out, result_out

router = APIRouter()


def region_view(db: Any, code: str, year: int | None, lang: str) -> dict[str, Any]:  # noqa: ANN401
    chain = region_ancestry(db, code)  # the region first, up to 全国; NotFound when unknown
    region = chain[0]
    below = list(Level)[region.level.rank + 1] if region.level is not Level.COUNTY else None
    children = search_regions(db, level=below, under=region.code) if below else []
    year = year or date.today().year - 1
    codes = {r.code for r in chain}
    # the unit each public value was entered in: a catalogue series may hold a county's 张
    # under a national plan that counts 万张, and the card must not print 6,897 as 6,897万张
    entered_in = {
        (v.indicator, v.plan_id, v.year): v.unit
        for v in visible_values(db, None, region=region.code, limit=1_000_000)
        if v.unit
    }
    plans = []
    for summary in list_plans(db):
        if summary.region_code not in codes or not summary.indicators:
            continue
        meta = indicator_meta(get_plan(db, summary.id))
        years = range(summary.period_start or year, (summary.period_end or year) + 1)
        judged_year = year if year in years else (summary.period_end or year)
        rows = [
            result_out(r, meta, lang)
            # region pages are public: judged on published values only
            for r in plan_results(
                db, summary.id, judged_year, regions=[region.code], published_only=True
            )
        ]
        for row in rows:
            ind = meta.get(row["plan_indicator_id"])
            if ind is None or row["value_year"] is None:
                continue
            key = (
                (ind.canonical_code, None, row["value_year"])
                if ind.canonical_code
                else (ind.name, summary.id, row["value_year"])
            )
            if entered_in.get(key) and entered_in[key] != row["unit"]:
                row["value_unit"] = entered_in[key]
        plans.append(
            {"plan": plan_out(summary, sum(1 for r in rows if r["warning"])), "rows": rows}
        )
    return {
        "region": brief(region),
        "chain": [brief(r) for r in chain[1:]],
        "children": [brief(hit.region) for hit in children],
        "year": year,
        "plans": sorted(plans, key=lambda p: -len(p["rows"])),
    }


@router.get("/api/regions/{code}", response_model=RegionOut, responses=ERRORS, tags=["regions"])
def api_region(
    code: str,
    year: int | None = Query(
        None, ge=FIRST_YEAR, le=LAST_YEAR, description="evaluation year (default: last year)"
    ),
    db=Depends(deps.database),  # noqa: ANN001, B008
    lang: str = Depends(deps.api_lang),
) -> dict[str, Any]:
    """A region, the regions under it, and every plan that applies with its values for the region."""
    return region_view(db, code, year, lang)


@router.get("/regions/{code}", response_class=HTMLResponse, include_in_schema=False)
def page_region(
    request: Request,
    code: str,
    year: OptionalYear = None,
    db=Depends(deps.database),  # noqa: ANN001, B008
) -> HTMLResponse:
    return deps.render(request, "region.html", region_view(db, code, year, deps.lang(request)))
