"""Revising a basic public service list by hand: a form for people, PUT for API clients.

Thin over :func:`minsheng.services.standards_edit.edit_list`, which checks who may
revise and keeps every version (issue 12: lists as versioned data, edited in the web app).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from minsheng.domain.errors import MinshengError
from minsheng.domain.standards import StandardItem
from minsheng.services.standards import find_list
from minsheng.services.standards_edit import FIELD_LIMITS, ITEMS_LIMIT, REASON_LIMIT, edit_list
from minsheng.services.users import User
from minsheng.web import deps
from minsheng.web.auth import check_csrf, page_user, required_user, sign_in_first
from minsheng.web.routers.observations import AUTH_ERRORS
from minsheng.web.schemas import Body, RowId

router = APIRouter(tags=["standards"])

#: the fields a person edits, in the order of the form's columns
EDITED = ("domain", "category", "item", "served", "content", "standard",
          "spending_responsibility", "lead_department")  # fmt: skip
BLANK_ROWS = 5


class ItemIn(BaseModel):
    domain: str = Field(min_length=1, max_length=FIELD_LIMITS["domain"])
    item: str = Field(min_length=1, max_length=FIELD_LIMITS["item"])
    category: str | None = Field(None, max_length=FIELD_LIMITS["category"])
    served: str | None = Field(None, max_length=FIELD_LIMITS["served"])
    content: str | None = Field(None, max_length=FIELD_LIMITS["content"])
    standard: str | None = Field(None, max_length=FIELD_LIMITS["standard"])
    spending_responsibility: str | None = Field(
        None, max_length=FIELD_LIMITS["spending_responsibility"]
    )
    lead_department: str | None = Field(None, max_length=FIELD_LIMITS["lead_department"])


class RevisionIn(Body):
    reason: str = Field(min_length=1, max_length=REASON_LIMIT, description="why the list changes")
    items: list[ItemIn] = Field(max_length=ITEMS_LIMIT, description="every item of the new version")


class RevisionOut(BaseModel):
    id: int
    name: str
    version: str
    items: int
    created: bool  # False: the list equalled its latest version, nothing was stored


@router.put("/api/standards/{list_id}", response_model=RevisionOut, responses=AUTH_ERRORS)
def put_list(
    list_id: RowId,
    body: RevisionIn,
    user: User = Depends(required_user),  # noqa: B008
    db=Depends(deps.database),  # noqa: ANN001, B008
) -> dict[str, Any]:
    """A new version of a list with these items (an analyst above its region, or an admin)."""
    items = [StandardItem(**i.model_dump()) for i in body.items]
    stored = edit_list(db, user.actor, list_id, items, body.reason)
    return {"id": stored.id, "name": stored.list.name, "version": stored.list.version,
            "items": len(stored.list.items), "created": stored.created}  # fmt: skip


def _form_view(db: Any, list_id: int, rows: list[dict] | None = None) -> dict[str, Any]:  # noqa: ANN401
    stored = find_list(db, list_id)
    if rows is None:
        rows = [{f: asdict(i).get(f) or "" for f in EDITED} for i in stored.list.items]
        rows += [dict.fromkeys(EDITED, "") for _ in range(BLANK_ROWS)]
    return {"id": stored.id, "name": stored.list.name, "version": stored.list.version,
            "region_code": stored.list.region_code, "rows": rows, "columns": EDITED}  # fmt: skip


def _signed_in(request: Request) -> User | Response:
    user = page_user(request)
    return sign_in_first(request) if user is None else user


@router.get("/standards/{list_id}/edit", response_class=HTMLResponse, include_in_schema=False)
def edit_page(request: Request, list_id: RowId, db=Depends(deps.database)) -> Response:  # noqa: ANN001, B008
    user = _signed_in(request)
    if isinstance(user, Response):
        return user
    return deps.render(request, "standard_edit.html", _form_view(db, list_id))


@router.post("/standards/{list_id}/edit", response_class=HTMLResponse, include_in_schema=False)
async def edit_post(request: Request, list_id: RowId, db=Depends(deps.database)) -> Response:  # noqa: ANN001, B008
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token", "")))
    user = _signed_in(request)
    if isinstance(user, Response):
        return user
    columns = {f: [str(v) for v in form.getlist(f)] for f in EDITED}
    removed = {str(v) for v in form.getlist("remove")}
    count = max((len(v) for v in columns.values()), default=0)
    rows = [{f: (columns[f][n] if n < len(columns[f]) else "").strip() for f in EDITED}
            for n in range(count)]  # fmt: skip
    kept = [r for n, r in enumerate(rows) if str(n) not in removed and any(r.values())]
    items = [
        StandardItem(  # the name and domain are checked by the service; the rest may be empty
            domain=r["domain"], item=r["item"], category=r["category"] or None,
            served=r["served"] or None, content=r["content"] or None,
            standard=r["standard"] or None,
            spending_responsibility=r["spending_responsibility"] or None,
            lead_department=r["lead_department"] or None,
        )
        for r in kept
    ]  # fmt: skip
    try:
        stored = edit_list(db, user.actor, list_id, items, str(form.get("reason") or ""))
    except MinshengError as exc:
        context = _form_view(db, list_id, kept + [dict.fromkeys(EDITED, "")])
        context |= {"error": deps.message_for(request, exc), "reason": form.get("reason") or "",
                    "problems": getattr(exc, "problems", [])}  # fmt: skip
        return deps.render(request, "standard_edit.html", context, status=exc.status)
    return RedirectResponse(f"/standards/{stored.id}", status_code=303)
