"""Alignment: a plan against its higher-level plan (and its region's history), flag by flag."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from minsheng.services.evaluation import align_plan
from minsheng.web import deps
from minsheng.web.schemas import ERRORS, AlignmentOut, RowId
from minsheng.web.views import plan_out, summary_of

router = APIRouter()


def alignment_view(db: Any, plan_id: int) -> dict[str, Any]:  # noqa: ANN401
    summary = summary_of(db, plan_id)
    outcome = align_plan(db, plan_id)
    return {
        "plan": plan_out(summary),
        "higher": outcome.higher.metadata.title if outcome.higher else None,
        "flags": outcome.flags.to_dicts(),
        "notes": outcome.notes,
        "notes_zh": outcome.notes_zh,
    }


@router.get(
    "/api/plans/{plan_id}/alignment", response_model=AlignmentOut, responses=ERRORS, tags=["plans"]
)
def api_alignment(plan_id: RowId, db=Depends(deps.database)) -> dict[str, Any]:  # noqa: ANN001, B008
    """§6 flags: the plan's targets against its higher-level plan's and its region's history."""
    return alignment_view(db, plan_id)


@router.get("/plans/{plan_id}/alignment", response_class=HTMLResponse, include_in_schema=False)
def page_alignment(request: Request, plan_id: RowId, db=Depends(deps.database)) -> HTMLResponse:  # noqa: ANN001, B008
    return deps.render(request, "alignment.html", alignment_view(db, plan_id))
