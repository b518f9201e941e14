"""The reporting cycle's API and the audit trail: due dates, who has reported, every write."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from minsheng.domain.audit import AuditEntry
from minsheng.domain.errors import MinshengError
from minsheng.services.audit import audit_trail
from minsheng.services.reporting_cycle import (
    CycleStatus,
    cycle_status,
    set_due_date,
    set_reported_below,
)
from minsheng.services.users import User
from minsheng.web import deps
from minsheng.web.auth import page_user, required_user, sign_in_first
from minsheng.web.routers.observations import AUTH_ERRORS
from minsheng.web.schemas import FIRST_YEAR, LAST_YEAR, MAX_ID, Body, RowId, Year

router = APIRouter(tags=["reporting cycle"])


class DeadlineIn(Body):
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    due: date = Field(description="when the year's values are due, e.g. 2026-03-31")


class DeadlineOut(BaseModel):
    plan_id: int
    year: int
    due: date


class ReportedBelowIn(Body):
    indicators: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        max_length=10_000,
        description="the plan's indicator ids (`plan_indicator_id`, as listed in "
        "`GET /api/plans/{plan_id}/cycle` under `indicators`) that the regions below the "
        "plan's own region report; the others only the plan's own region reports. "
        "[] says that only the plan's own region reports. An id not of this plan is refused "
        "(422, naming its place in the list) and nothing is changed.",
    )


class ReportedBelowOut(BaseModel):
    plan_id: int
    reported_below: list[int]


class RegionProgressOut(BaseModel):
    region: str
    region_name: str
    reporters: list[str]
    expected: int | None = Field(
        description="indicators the region owes: all of the plan's for the plan's own region, "
        "those reported below for a region under it; null: not set (nobody has said which "
        "indicators the regions below report)"
    )
    counts: dict[str, int]
    missing: int | None = Field(description="owed indicators not handed in; null: not set")
    state: str
    late: bool | None = Field(description="past the due date with values missing; null: not set")


class ScopeIndicatorOut(BaseModel):
    plan_indicator_id: int
    seq: int | None
    name: str
    reported_below: bool | None = Field(
        description="whether the regions below the plan's own region report it; null: not said"
    )


class CycleOut(BaseModel):
    plan_id: int
    plan_title: str
    plan_region: str | None
    year: int
    due: date | None
    today: date
    late: int
    waiting: int
    reported_below: list[int] | None = Field(
        description="the plan's indicator ids the regions below its own region report "
        "(set with `PUT /api/plans/{plan_id}/reported-below`); null: not set yet"
    )
    indicators: list[ScopeIndicatorOut]
    regions: list[RegionProgressOut]


class AuditEntryOut(BaseModel):
    at: datetime
    actor: str | None
    origin: str | None
    action: str
    subject: str
    region: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def cycle_out(status: CycleStatus) -> dict[str, Any]:
    return {
        "plan_id": status.plan_id, "plan_title": status.plan_title,
        "plan_region": status.plan_region, "year": status.year,
        "due": status.due, "today": status.today, "late": len(status.late),
        "waiting": status.waiting,
        "reported_below": None if status.reported_below is None else list(status.reported_below),
        "indicators": [
            {"plan_indicator_id": i.id, "seq": i.seq, "name": i.name, "reported_below": i.below}
            for i in status.scope
        ],
        "regions": [
            {"region": r.region, "region_name": r.region_name, "reporters": list(r.reporters),
             "expected": r.expected, "counts": r.counts, "missing": r.missing,
             "state": r.state, "late": r.late}
            for r in status.regions
        ],
    }  # fmt: skip


def entry_out(e: AuditEntry) -> dict[str, Any]:
    return {
        "at": e.at, "actor": e.actor, "origin": e.origin, "action": e.action,
        "subject": e.subject, "region": e.region, "before": e.before, "after": e.after,
    }  # fmt: skip


@router.put("/api/plans/{plan_id}/deadlines", response_model=DeadlineOut, responses=AUTH_ERRORS)
def put_deadline(
    plan_id: RowId,
    body: DeadlineIn,
    user: User = Depends(required_user),  # noqa: B008
    db=Depends(deps.database),  # noqa: ANN001, B008
) -> dict[str, Any]:
    """Set when a plan's values of a year are due (an admin, or an analyst above the plan's region)."""
    due = set_due_date(db, user, plan_id, body.year, body.due)
    return {"plan_id": plan_id, "year": body.year, "due": due}


@router.put(
    "/api/plans/{plan_id}/reported-below", response_model=ReportedBelowOut, responses=AUTH_ERRORS
)
def put_reported_below(
    plan_id: RowId,
    body: ReportedBelowIn,
    user: User = Depends(required_user),  # noqa: B008
    db=Depends(deps.database),  # noqa: ANN001, B008
) -> dict[str, Any]:
    """Say which of the plan's indicators the regions below its own region report (the plan's
    own region reports all of them); until said, the cycle shows them as not set. Who: as for
    due dates (an admin, or an analyst above the plan's region)."""
    chosen = set_reported_below(db, user, plan_id, body.indicators)
    return {"plan_id": plan_id, "reported_below": list(chosen)}


@router.get("/api/plans/{plan_id}/cycle", response_model=CycleOut, responses=AUTH_ERRORS)
def get_cycle(
    plan_id: RowId,
    year: Year,
    user: User = Depends(required_user),  # noqa: B008
    db=Depends(deps.database),  # noqa: ANN001, B008
) -> dict[str, Any]:
    """Who in the caller's subtree has reported the year's values, what waits, who is late."""
    return cycle_out(cycle_status(db, user, plan_id, year))


@router.get("/api/audit", response_model=list[AuditEntryOut], responses=AUTH_ERRORS)
def get_audit(
    region: str | None = Query(None, max_length=12, description="region code (default: yours)"),
    since: datetime | None = Query(None, description="only writes from this time on"),  # noqa: B008
    limit: int = Query(200, ge=1, le=5000),
    user: User = Depends(required_user),  # noqa: B008
    db=Depends(deps.database),  # noqa: ANN001, B008
) -> list[dict[str, Any]]:
    """Every write, newest first: admins everywhere, an analyst in its own subtree."""
    return [entry_out(e) for e in audit_trail(db, user, region, since=since, limit=limit)]


@router.get("/audit", response_class=HTMLResponse, include_in_schema=False)
def audit_page(
    request: Request,
    region: str | None = Query(None, max_length=12),
    limit: int = Query(200, ge=1, le=5000),
    db=Depends(deps.database),  # noqa: ANN001, B008
) -> Response:
    user = page_user(request)
    if user is None:
        return sign_in_first(request)
    context: dict[str, Any] = {"region": region or "", "limit": limit}
    try:
        context["entries"] = audit_trail(db, user, region or None, limit=limit)
    except MinshengError as exc:
        context["entries"], context["error"] = [], deps.message_for(request, exc)
        return deps.render(request, "audit.html", context, status=exc.status)
    return deps.render(request, "audit.html", context)
