"""The indicator page: the series against its target path, the calculation record, child regions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from minsheng.domain.errors import MinshengError, NotFound
from minsheng.services.observations import series_history
from minsheng.services.plans import get_plan
from minsheng.services.results import plan_results
from minsheng.units import convert, normalise_unit
from minsheng.web import deps
from minsheng.web.geo import prefix
from minsheng.web.schemas import ERRORS, FIRST_YEAR, LAST_YEAR, IndicatorOut, OptionalYear, RowId
from minsheng.web.views import (
    covered_region,
    default_year,
    indicator_meta,
    published_view,
    result_out,
    shown_unit,
)

router = APIRouter()


def _observed(
    db: Any,
    plan_id: int,
    name: str,
    code: str | None,
    unit: str | None,
    region: str,
    years: range,
) -> list[dict]:  # noqa: ANN401
    """Every stored version of the region's values: the plan's own series, else the catalogue's.

    Each in the row's ``unit`` (the target path's), with the value as entered beside it
    where that was another unit; a version of another quantity is left out (the quality
    page lists it).
    """
    out: list[dict] = []
    for ref, plan in ((name, plan_id), (code, None)):
        if ref is None or out:
            continue
        try:
            by_year = series_history(db, ref, region, years, plan=plan)
        except MinshengError:
            by_year = {}
        for year, versions in by_year.items():
            out += [
                {
                    "year": year,
                    "value": shown,
                    "unit": unit or v.unit,
                    "entered_value": v.value,
                    "entered_unit": v.unit
                    if normalise_unit(v.unit) != normalise_unit(unit)
                    else None,
                    "version": v.version,
                    "status": str(v.status.value),
                    "source": v.source,
                    "synthetic": v.synthetic,
                    "entered_by": v.entered_by,
                    "entered_at": v.entered_at.isoformat() if v.entered_at else None,
                    "withdrawn": v.withdrawn,
                    "note": v.note if v.withdrawn else None,  # why it was withdrawn
                }
                for v in versions
                if (shown := convert(v.value, v.unit, unit)) is not None
            ]
    return out


def indicator_view(
    db: Any,
    plan_id: RowId,
    plan_indicator_id: RowId,
    region: str | None,
    year: int | None,
    lang: str,  # noqa: ANN401
    viewer: Any = None,  # noqa: ANN401
) -> dict[str, Any]:
    stored = get_plan(db, plan_id)
    meta = indicator_meta(stored)
    if plan_indicator_id not in meta:
        raise NotFound(
            f"plan {plan_id} has no indicator {plan_indicator_id}",
            message_zh=f"规划 {plan_id} 没有编号为 {plan_indicator_id} 的指标",
        )
    ind = meta[plan_indicator_id]
    asked = covered_region(db, stored, region, ind.name)  # a name or code, by the one resolver
    region = asked.code if asked else stored.region_code
    if region is None:
        raise NotFound(
            f"plan {plan_id} has no region: name one with ?region=",
            message_zh=f"规划 {plan_id} 未写明地区：请用 ?region= 指明地区",
        )
    year = year or default_year(stored)
    published = published_view(viewer, stored.region_code)
    results = plan_results(
        db, plan_id, year, plan_indicator_id=plan_indicator_id, published_only=published
    )
    own = [r for r in results if r.region == region]
    if not own:
        raise NotFound(
            f"no judgement of {ind.name} for region {region} in plan {plan_id}",
            message_zh=f"规划 {plan_id} 没有对地区 {region} 的“{ind.name}”的评估结果"
            "（该地区不在本规划的地区之内，或没有报送数据）",
        )
    first = own[0]
    y0 = first.baseline_year or stored.plan.baseline_year or year - 5
    yT = first.target_year or stored.plan.target_year or year
    # a target the plan sets for another region (a national total seen from a county) has no
    # path here: drawing one joined this region's baseline to that region's total
    assessable = first.status != "not_assessable"
    trajectory = []
    if assessable and first.baseline is not None and first.target is not None and yT > y0:
        step = (first.target - first.baseline) / (yT - y0)
        trajectory = [
            {"year": y, "value": first.baseline + step * (y - y0)} for y in range(y0, yT + 1)
        ]
    projections, required = [], []
    projected = first.inputs.get("projected_linear")
    if first.value is not None and first.value_year is not None:
        start = {"year": first.value_year, "value": first.value}
        if projected is not None:  # where the trend so far leads
            projections = [start, {"year": yT, "value": float(projected)}]
        if (
            assessable and first.target is not None and first.value_year < yT
        ):  # what reaching it needs
            required = [start, {"year": yT, "value": first.target}]
    children = [
        result_out(r, meta, lang)
        for r in results
        if r.region != region and r.region.startswith(prefix(region))
    ]
    observed = [
        o
        for o in _observed(
            db,
            stored.id,
            ind.name,
            ind.canonical_code,
            shown_unit(ind.unit, ind),
            region,
            range(y0, yT + 1),
        )  # fmt: skip
        if not published or o["status"] == "published"
    ]
    entered_in = {o["unit"] for o in observed if o["unit"]}
    return {
        "plan_id": stored.id,
        "plan_title": stored.plan.metadata.title or str(stored.id),
        "plan_indicator_id": plan_indicator_id,
        "name": ind.name,
        "unit": shown_unit(ind.unit, ind),
        # the record's nature: the plan's row, else the catalogue's (as the dashboard shows it)
        "nature": result_out(first, meta, lang)["nature"],
        "baseline_raw": ind.baseline_raw,
        "target_raw": ind.target_raw,
        "canonical_code": ind.canonical_code,
        "region": region,
        "region_name": first.region_name,
        "year": year,
        "observed": observed,
        # the chart's axis: the unit the values were entered in, when they all share one
        "chart_unit": entered_in.pop() if len(entered_in) == 1 else shown_unit(ind.unit, ind),
        "trajectory": trajectory,
        "projections": projections,
        "required": required,
        "record": [_record(r) for r in own],
        "children": children,
    }


def _record(r: Any) -> dict[str, Any]:  # noqa: ANN401
    fields = ("record_id", "status", "rho", "expected", "grade", "baseline", "target", "value",
              "baseline_year", "target_year", "value_year", "target_kind", "method", "computed_at")  # fmt: skip
    return {**{f: getattr(r, f) for f in fields}, **r.inputs}


@router.get(
    "/api/plans/{plan_id}/indicators/{plan_indicator_id}",
    response_model=IndicatorOut,
    responses=ERRORS,
    tags=["indicators"],
)
def api_indicator(
    request: Request,
    plan_id: RowId,
    plan_indicator_id: RowId,
    region: str | None = Query(
        None, max_length=60, description="region code or name (default: the plan's own)"
    ),
    year: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR, description="evaluation year"),
    db=Depends(deps.database),  # noqa: ANN001, B008
    lang: str = Depends(deps.api_lang),
) -> dict[str, Any]:
    """One indicator of a plan for one region: observed versions, target path, projection, record."""
    return indicator_view(db, plan_id, plan_indicator_id, region, year, lang, deps.viewer(request))


@router.get(
    "/plans/{plan_id}/indicators/{plan_indicator_id}",
    response_class=HTMLResponse,
    include_in_schema=False,
)
def page_indicator(
    request: Request,
    plan_id: RowId,
    plan_indicator_id: RowId,
    region: str | None = Query(None, max_length=60),
    year: OptionalYear = None,
    db=Depends(deps.database),  # noqa: ANN001, B008
) -> HTMLResponse:
    data = indicator_view(
        db,
        plan_id,
        plan_indicator_id,
        region or None,
        year,
        deps.lang(request),
        deps.viewer(request),
    )
    return deps.render(request, "indicator.html", data)
