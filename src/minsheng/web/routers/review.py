"""The analyst's review: what waits for approval in its subtree, approve or return with a comment."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from minsheng.domain.errors import InvalidData, MinshengError
from minsheng.services.plans import get_plan
from minsheng.services.reporting import move_value, publish_year
from minsheng.services.reporting_cycle import (
    cycle_status,
    may_set_cycle,
    plans_to_review,
    set_due_date,
    set_reported_below,
)
from minsheng.services.users import User
from minsheng.web import deps
from minsheng.web.auth import check_csrf, page_user, sign_in_first
from minsheng.web.views import default_year, plan_years

router = APIRouter(include_in_schema=False)


def _review(db: Any, user: User, plan_id: int, year: int) -> dict[str, Any]:  # noqa: ANN401
    cycle = cycle_status(db, user, plan_id, year)  # checks the role; reads the values once
    stored = get_plan(db, plan_id)
    # by code (two regions may share a name), in code order like the progress table above
    counts: dict[tuple[str, str], Counter] = {}
    for v in cycle.values:
        counts.setdefault((v.region, v.region_name), Counter())[v.status] += 1
    return {
        "plan": stored,
        "year": year,
        "waiting": [v for v in cycle.values if v.status == "submitted"],
        "by_region": sorted(counts.items()),
        "cycle": cycle,
        "may_set": may_set_cycle(user, stored),
    }


@router.get("/review", response_class=HTMLResponse)
def review_page(
    request: Request,
    plan: int | None = Query(None, ge=1, le=2**63 - 1),  # noqa: B008
    year: int | None = None,
    db=Depends(deps.database),  # noqa: ANN001, B008
) -> Response:
    """One plan's year under review; without a plan, the plans the user reviews to choose from
    (a link or a bookmark to /review alone is no mistake); without a year, the plan's last."""
    user = page_user(request)
    if user is None:
        return sign_in_first(request)
    if plan is None:
        plans = plans_to_review(db, user)
        choices = [(p, plan_years(p)) for p in plans]
        return deps.render(request, "review_choose.html", {"choices": choices})
    if year is None:
        year = default_year(get_plan(db, plan))
    return deps.render(request, "review.html", _review(db, user, plan, year))


@router.post("/review", response_class=HTMLResponse)
async def review_post(request: Request, db=Depends(deps.database)) -> Response:  # noqa: ANN001, B008
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token", "")))
    user = page_user(request)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    plan, year = int(str(form["plan"])), int(str(form["year"]))
    context: dict[str, Any] = {}
    try:
        if form["action"] == "publish_year":  # the year's approved values and its evaluation
            context["message"] = str(publish_year(db, user, plan, year).published)
        elif form["action"] == "set_due":
            try:
                due = date.fromisoformat(str(form.get("due") or "").strip())
            except ValueError:
                raise InvalidData(f"{form.get('due')!r} is not a date (YYYY-MM-DD)") from None
            context["message"] = str(set_due_date(db, user, plan, year, due))
        elif form["action"] == "set_below":  # the ticked plan indicator ids; none ticked: none
            ticked = [str(v) for v in form.getlist("below")]
            if not all(v.isdigit() for v in ticked):
                raise InvalidData(f"not indicator ids: {ticked!r}", message_zh="指标编号有误")
            context["message"] = str(set_reported_below(db, user, plan, [int(v) for v in ticked]))
        else:
            move_value(
                db, user, str(form["action"]), str(form["indicator"]), str(form["region"]), year,
                comment=str(form.get("comment") or "") or None, plan=plan,
            )  # fmt: skip
            context["message"] = str(form["action"])
    except MinshengError as exc:
        context["error"] = deps.message_for(request, exc)
    return deps.render(request, "review.html", {**_review(db, user, plan, year), **context})
