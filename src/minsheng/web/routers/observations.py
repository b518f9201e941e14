"""The reporting API: tokens for clients, entering values, reading the values one may see."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi import Path as PathParam
from pydantic import BaseModel, Field

from minsheng.services.reporting import (
    ReportedValue,
    correct_value,
    enter_value,
    move_value,
    publish_year,
    visible_values,
)
from minsheng.services.sessions import issue_token, login
from minsheng.services.users import User
from minsheng.services.withdrawals import withdraw_value
from minsheng.web import deps
from minsheng.web.auth import optional_user, required_user, secret
from minsheng.web.schemas import FIRST_YEAR, LAST_YEAR, MAX_ID, Body, ErrorOut, RowId

router = APIRouter(tags=["observations"])
AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "Not signed in, or a token that does not hold"},
    403: {"model": ErrorOut, "description": "Outside the caller's role or region"},
    409: {"model": ErrorOut, "description": "Not possible from the value's current status"},
    404: {"model": ErrorOut, "description": "Unknown indicator or region"},
    422: {"model": ErrorOut, "description": "Invalid input, the field named"},
}


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"


class ObservationIn(Body):
    indicator: str = Field(
        min_length=1, description="catalogue code or name (a plan's wording with plan)"
    )
    region: str = Field(min_length=1, description="GB/T 2260 code")
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    value: float
    unit: str | None = None
    source: str | None = None
    plan: int | None = Field(
        None, ge=1, le=MAX_ID, description="plan id, when indicator is the plan's own wording"
    )


class ObservationOut(BaseModel):
    id: int
    indicator: str
    plan_id: int | None
    region: str
    region_name: str
    year: int
    value: float
    unit: str | None
    source: str | None
    status: str
    version: int
    entered_by: str | None
    entered_at: datetime | None
    note: str | None
    withdrawn: bool = False


def _out(v: ReportedValue) -> dict[str, Any]:
    return {k: getattr(v, k) for k in ObservationOut.model_fields}


@router.post(
    "/api/auth/token",
    response_model=TokenOut,
    responses={
        401: AUTH_ERRORS[401],
        429: {"model": ErrorOut, "description": "Too many failed logins"},
    },
)
def token(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    db=Depends(deps.database),  # noqa: ANN001, B008
) -> dict[str, str]:
    """OAuth2 password flow: a bearer token for API clients (401 on a wrong password)."""
    address = request.client.host if request.client else "?"
    user = login(db, username, password, address, request.app.state.login_limiter)
    return {"access_token": issue_token(user, secret(request)), "token_type": "bearer"}


@router.post(
    "/api/observations", status_code=201, response_model=ObservationOut, responses=AUTH_ERRORS
)
def post_observation(
    body: ObservationIn,
    user: User = Depends(required_user),  # noqa: B008
    db=Depends(deps.database),  # noqa: ANN001, B008
) -> dict[str, Any]:
    """Enter one value: a reporter's is stored as a draft, within its own region subtree only."""
    stored = enter_value(
        db, user, body.indicator, body.region, body.year, body.value,
        unit=body.unit, source=body.source, plan=body.plan,
    )  # fmt: skip
    return _out(stored)


@router.get("/api/observations", response_model=list[ObservationOut], responses=AUTH_ERRORS)
def get_observations(
    indicator: str | None = Query(
        None, description="catalogue code, name or alias, or a plan's wording"
    ),
    region: str | None = Query(None, description="region code or name"),
    year: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR),
    status: str | None = Query(None, pattern="^(draft|submitted|approved|published)$"),
    limit: int = Query(1000, ge=1, le=10000),
    user: User | None = Depends(optional_user),  # noqa: B008
    db=Depends(deps.database),  # noqa: ANN001, B008
) -> list[dict[str, Any]]:
    """The current values the caller may see (anonymous: published values only)."""
    found = visible_values(
        db, user, indicator=indicator, region=region, year=year, status=status, limit=limit
    )
    return [_out(v) for v in found]


class ValueRef(Body):
    indicator: str = Field(min_length=1)
    region: str = Field(min_length=1)
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    plan: int | None = Field(None, ge=1, le=MAX_ID)
    comment: str | None = Field(None, description="required to return a value")


class Correction(ValueRef):
    value: float


@router.post(
    "/api/observations/{action}",
    response_model=ObservationOut,
    responses=AUTH_ERRORS,
    openapi_extra={"x-actions": ["submit", "approve", "return", "publish"]},
)
def change_observation(
    action: Annotated[str, PathParam(pattern="^(submit|approve|return|publish)$")],
    body: ValueRef,
    user: User = Depends(required_user),  # noqa: B008
    db=Depends(deps.database),  # noqa: ANN001, B008
) -> dict[str, Any]:
    """Move a value along draft → submitted → approved → published, or return it with a comment."""
    moved = move_value(
        db,
        user,
        action,
        body.indicator,
        body.region,
        body.year,
        comment=body.comment,
        plan=body.plan,
    )
    return _out(moved)


@router.post("/api/corrections", response_model=ObservationOut, responses=AUTH_ERRORS)
def post_correction(
    body: Correction,
    user: User = Depends(required_user),  # noqa: B008
    db=Depends(deps.database),  # noqa: ANN001, B008
) -> dict[str, Any]:
    """Correct a value: a new version, the old one kept."""
    fixed = correct_value(
        db,
        user,
        body.indicator,
        body.region,
        body.year,
        body.value,
        comment=body.comment,
        plan=body.plan,
    )
    return _out(fixed)


class Withdrawal(ValueRef):
    reason: str = Field(min_length=1, description="why the value should not count (required)")


@router.post("/api/withdrawals", response_model=ObservationOut, responses=AUTH_ERRORS)
def post_withdrawal(
    body: Withdrawal,
    user: User = Depends(required_user),  # noqa: B008
    db=Depends(deps.database),  # noqa: ANN001, B008
) -> dict[str, Any]:
    """Withdraw a value (e.g. stored under the wrong region): a new version, read by no one since.

    The same rules as a correction; the withdrawal's version is returned (``withdrawn``).
    """
    gone = withdraw_value(
        db, user, body.indicator, body.region, body.year, reason=body.reason, plan=body.plan
    )
    return _out(gone)


class YearRef(Body):
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)


class PublishedYearOut(BaseModel):
    plan_id: int
    year: int
    published: int
    records: int


@router.post(
    "/api/plans/{plan_id}/publish",
    response_model=PublishedYearOut,
    responses=AUTH_ERRORS,
    tags=["observations"],
)
def post_publish_year(
    plan_id: RowId,
    body: YearRef,
    user: User = Depends(required_user),  # noqa: B008
    db=Depends(deps.database),  # noqa: ANN001, B008
) -> dict[str, Any]:
    """Publish a plan's year: the approved values in the caller's subtree and the year's evaluation."""
    done = publish_year(db, user, plan_id, body.year)
    return {"plan_id": done.plan_id, "year": done.year, "published": done.published,
            "records": done.records}  # fmt: skip
