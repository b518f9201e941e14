"""The JSON API's shapes (they make /openapi.json describe every answer)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field

#: Bounds of numbers a request may carry: a row id the store can hold (SQLite and PostgreSQL
#: BIGINT), a year of the republic's statistics. Checked at the door, so a number no row can
#: have is a 422 naming the field, not a database overflow.
MAX_ID = 2**63 - 1
FIRST_YEAR, LAST_YEAR = 1949, 2100
RowId = Annotated[int, Path(ge=1, le=MAX_ID)]
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
OptionalYear = Annotated[int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR)]
Year = Annotated[int, Query(ge=FIRST_YEAR, le=LAST_YEAR)]


class Body(BaseModel):
    """A request body: a field the route does not read is refused (422), as an unknown query
    parameter is — ``reason`` where ``comment`` is meant must not be dropped in silence."""

    model_config = ConfigDict(extra="forbid")


class ErrorDetail(BaseModel):
    status: int
    type: str
    message: str
    problems: list[dict[str, Any]]


class ErrorOut(BaseModel):
    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "Not found"},
    422: {"model": ErrorOut, "description": "Invalid input"},
}


class PlanOut(BaseModel):
    id: int
    title: str
    region_code: str | None
    region_name: str | None
    level: str | None
    period_start: int | None
    period_end: int | None
    indicators: int
    mapped: int
    higher_plan_id: int | None
    warnings: int | None  # binding warnings of the plan's own region at its default year


class ResultOut(BaseModel):
    plan_indicator_id: int
    indicator: str
    part: int | None
    unit: str | None
    value_unit: str | None = (
        None  # region pages: the unit the value was entered in, where not the plan's
    )
    nature: str | None
    domain: str | None
    region: str
    region_name: str
    year: int
    status: str
    status_label: str
    warning: bool
    notice: bool
    reason: str
    rho: float | None
    expected: float | None
    baseline: float | None
    target: float | None
    value: float | None
    value_year: int | None
    grade: str | None
    target_kind: str | None


class DomainSummary(BaseModel):
    code: str | None
    name: str
    counts: dict[str, int]
    warnings: int


class DashboardOut(BaseModel):
    plan: PlanOut
    year: int
    years: list[int]
    region: str | None = Field(description="the region judged: the one asked for, else the plan's")
    region_name: str | None
    rows: list[ResultOut]
    domains: list[DomainSummary]
    counts: dict[str, int]


class Point(BaseModel):
    year: int
    value: float | None


class ObservedVersion(BaseModel):
    year: int
    value: float  # in the plan row's unit (the target path's)
    unit: str | None = None  # the plan row's unit, else the unit the value was entered in
    entered_value: float  # the value as entered
    entered_unit: str | None = None  # the unit it was entered in, where that is another
    version: int
    status: str
    source: str | None
    synthetic: bool
    entered_by: str | None
    entered_at: str | None


class IndicatorOut(BaseModel):
    plan_id: int
    plan_title: str
    plan_indicator_id: int
    name: str
    unit: str | None
    nature: str | None
    baseline_raw: str | None
    target_raw: str | None
    canonical_code: str | None
    region: str
    region_name: str
    year: int
    observed: list[ObservedVersion]
    trajectory: list[Point]
    projections: list[Point]  # the linear trend from the last value to the target year
    required: list[Point]  # the path from the last value that reaches the target
    record: list[dict[str, Any]]
    children: list[ResultOut]


class RegionBrief(BaseModel):
    code: str
    name: str
    level: str


class PlanValues(BaseModel):
    plan: PlanOut
    rows: list[ResultOut]


class RegionOut(BaseModel):
    region: RegionBrief
    chain: list[RegionBrief]
    children: list[RegionBrief]
    year: int
    plans: list[PlanValues]


class MapItem(BaseModel):
    code: str
    name: str
    value: float | None
    status: str | None
    status_label: str | None


class MapOut(BaseModel):
    plan_id: int
    plan_indicator_id: int
    indicator: str
    unit: str | None
    under: RegionBrief
    year: int
    boundaries: str  # URL of the vendored boundary file
    source: str  # the data source line shown on the map
    items: list[MapItem]


class SpreadOut(BaseModel):
    indicator: str  # the catalogue code
    indicator_name: str | None = None
    unit: str | None = None
    under: RegionBrief
    year: int
    rows: list[dict[str, Any]]
    trend: list[dict[str, Any]]
    notes: list[str]
    notes_zh: list[str]  # the same notes in Chinese, one for one
    level: str | None


class AlignmentOut(BaseModel):
    plan: PlanOut
    higher: str | None
    flags: list[dict[str, Any]]
    notes: list[str]


class QualityOut(BaseModel):
    plan: PlanOut
    years: list[int]
    by_region: list[dict[str, Any]]
    by_indicator: list[dict[str, Any]]
    outliers: list[dict[str, Any]]
    other_units: list[dict[str, Any]]


class AccessOut(BaseModel):
    indicator: str | None  # the catalogue code (or a plan's own wording)
    indicator_name: str | None = None
    unit: str | None = None
    under: RegionBrief
    year: int | None
    indicators: list[dict[str, Any]]
    items: list[MapItem]
    boundaries: str
    source: str


class SearchHit(BaseModel):
    kind: str  # plan | indicator | region
    label: str
    detail: str
    url: str


class SearchOut(BaseModel):
    query: str
    hits: list[SearchHit]
