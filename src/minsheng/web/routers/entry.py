"""Data entry in the browser: one form per plan × region × year, last year's value beside each field.

A value stored by mistake (the wrong region or year) is withdrawn from the same page, with a
reason, under the rules of correcting it (:mod:`minsheng.services.withdrawals`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from minsheng.domain.errors import InvalidData, MinshengError, PermissionDenied
from minsheng.services import permissions
from minsheng.services.observations import make_template
from minsheng.services.plans import get_plan
from minsheng.services.regions import get_region
from minsheng.services.reporting import enter_values, import_file, move_value, plan_values
from minsheng.services.users import User
from minsheng.services.withdrawals import withdraw_value
from minsheng.web import deps
from minsheng.web.auth import check_csrf, page_user, sign_in_first
from minsheng.web.i18n import translator

router = APIRouter(include_in_schema=False)


def _form(db: Any, user: User, plan_id: int, region: str, year: int) -> dict[str, Any]:  # noqa: ANN401
    stored = get_plan(db, plan_id)
    place = get_region(db, region)  # an unknown region is refused here, never shown as typed
    try:  # an account that may not enter here sees why, not a form that refuses on saving
        permissions.check_enter(user.actor, [place.code])
        refused = None
    except PermissionDenied as exc:
        refused = exc
    now = {v.indicator: v for v in plan_values(db, user, plan_id, region=region, year=year)}
    before = {v.indicator: v for v in plan_values(db, user, plan_id, region=region, year=year - 1)}
    rows = [
        {
            "name": ind.name,
            "unit": ind.unit,
            "last": before.get(ind.name),
            "current": now.get(ind.name),
        }
        for ind in stored.plan.indicators
    ]
    return {"plan": stored, "region": region, "region_name": place.name, "year": year,
            "rows": rows, "refused": refused}  # fmt: skip


def _signed_in(request: Request) -> User | None:
    return page_user(request)


def _posted(request: Request, form: FormData) -> tuple[User, int, str, int] | None:
    """The user, plan, region and year of a posted entry form whose CSRF token holds
    (None: nobody is signed in)."""
    check_csrf(request, str(form.get("csrf_token", "")))
    user = _signed_in(request)
    if user is None:
        return None
    return user, int(str(form["plan"])), str(form["region"]), int(str(form["year"]))


def _page(
    request: Request,
    db: Any,  # noqa: ANN401
    user: User,
    plan: int,
    region: str,
    year: int,
    context: dict[str, Any],
) -> Response:
    """The form again, with what the post did (200: a page to correct, not a failed load)."""
    return deps.render(request, "entry.html", {**_form(db, user, plan, region, year), **context})


@router.get("/entry", response_class=HTMLResponse)
def entry_page(
    request: Request,
    plan: int,
    region: str,
    year: int,
    db=Depends(deps.database),  # noqa: ANN001, B008
) -> Response:
    user = _signed_in(request)
    if user is None:
        return sign_in_first(request)
    return deps.render(request, "entry.html", _form(db, user, plan, region, year))


@router.post("/entry", response_class=HTMLResponse)
async def entry_post(request: Request, db=Depends(deps.database)) -> Response:  # noqa: ANN001, B008
    form = await request.form()
    posted = _posted(request, form)
    if posted is None:
        return RedirectResponse("/login", status_code=303)
    user, plan, region, year = posted
    action = str(form.get("action", "save"))
    context: dict[str, Any] = {}
    try:
        if action == "submit":
            drafts = plan_values(db, user, plan, region=region, year=year, status="draft")
            for v in drafts:
                move_value(db, user, "submit", v.indicator, region, year, plan=plan)
            context["message"] = f"{len(drafts)}"
        else:
            values = {k[2:]: str(v) for k, v in form.items() if k.startswith("v:")}
            context["message"] = str(enter_values(db, user, plan, region, year, values))
    except InvalidData as exc:
        context["error"] = deps.message_for(request, exc)
        context["typed"] = {k[2:]: str(v) for k, v in form.items() if k.startswith("v:")}
        context["problems"] = exc.problems
    except (
        MinshengError
    ) as exc:  # refused as a whole (a permission, a conflict): keep what was typed
        context["error"] = deps.message_for(request, exc)
        context["typed"] = {k[2:]: str(v) for k, v in form.items() if k.startswith("v:")}
    return _page(request, db, user, plan, region, year, context)


@router.post("/entry/withdraw", response_class=HTMLResponse)
async def entry_withdraw(request: Request, db=Depends(deps.database)) -> Response:  # noqa: ANN001, B008
    """Withdraw one value of the form: the page again, saying so or why not."""
    form = await request.form()
    posted = _posted(request, form)
    if posted is None:
        return RedirectResponse("/login", status_code=303)
    user, plan, region, year = posted
    context: dict[str, Any] = {}
    indicator, reason = str(form.get("indicator", "")), str(form.get("reason", ""))
    try:
        withdraw_value(db, user, indicator, region, year, reason=reason, plan=plan)
        context["withdrawn"] = indicator
    except MinshengError as exc:
        context["error"] = deps.message_for(request, exc)
    return _page(request, db, user, plan, region, year, context)


@router.get("/entry/template")
def entry_template(request: Request, plan: int, region: str, db=Depends(deps.database)) -> Response:  # noqa: ANN001, B008
    """The plan's fill-in workbook for a region (its indicators, units and years)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = make_template(db, plan, [region], None, Path(tmp) / f"plan-{plan}-{region}.xlsx")
        content = path.read_bytes()
    return Response(
        content,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="plan-{plan}-{region}.xlsx"'},
    )


@router.post("/entry/upload", response_class=HTMLResponse)
async def entry_upload(request: Request, db=Depends(deps.database)) -> Response:  # noqa: ANN001, B008
    """An uploaded template: the row-numbered report on the page; nothing stored unless all is valid."""
    form = await request.form()
    posted = _posted(request, form)
    if posted is None:
        return RedirectResponse("/login", status_code=303)
    user, plan, region, year = posted
    upload = form.get("file")
    context: dict[str, Any] = {}
    if not isinstance(upload, UploadFile) or not upload.filename:
        context["error"] = translator(deps.lang(request))("choose_file")
    else:
        suffix = Path(upload.filename).suffix.lower()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"upload{suffix}"
            path.write_bytes(await upload.read())
            try:
                result = import_file(db, user, plan, path)
                context["message"] = f"{upload.filename}: {result.stored}"
                context["warnings"] = result.warnings  # stored, but worth a look (skipped cells…)
            except InvalidData as exc:
                # the message names the file as stored here; the user knows it by its own name
                context["error"] = deps.message_for(request, exc).replace(
                    path.name, upload.filename
                )
                context["problems"] = exc.problems
            except MinshengError as exc:
                context["error"] = deps.message_for(request, exc)
    return _page(request, db, user, plan, region, year, context)
