"""Drafting the next plan (issue 13): a plan's draft for 2030, the rule per row, the cascade.

Thin over :func:`minsheng.services.drafting.draft_plan`, the cascade check and the
draft export. The rule for every row (``rule``) and for one row (``rules=SEQ=RULE``,
repeatable, as ``minsheng draft --rule``) come as GET query parameters, so a drafted
page can be linked and reloaded.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, Response

from minsheng.domain.drafting_rules import RULES
from minsheng.domain.errors import InvalidData
from minsheng.reports.draft_pdf import DRAFT_SUFFIXES, write_draft
from minsheng.services.draft_export import draft_sheet
from minsheng.services.drafting import draft_plan
from minsheng.services.drafting_cascade import cascade_check
from minsheng.services.plans import list_plans
from minsheng.web import deps
from minsheng.web.routers.reports import MEDIA_TYPES, attachment
from minsheng.web.schemas import ERRORS, RowId

router = APIRouter()

RULE_HELP = "pace (the plan's own pace), higher (the higher plan's target) or peers (the peers' best quarter)"
EXPORT_MEDIA = {**MEDIA_TYPES, "json": "application/json"}


def per_row_rules(items: list[str]) -> dict[int, str]:
    """``SEQ=RULE`` pairs (an empty rule: the rule for every row) — the request's syntax only;
    which rules exist is the service's business."""
    out: dict[int, str] = {}
    for item in items:
        seq, sep, rule = item.partition("=")
        if not sep or not seq.strip().isdigit():
            raise InvalidData(f"rules takes SEQ=RULE (e.g. 17=higher), not {item!r}")
        if rule.strip():
            out[int(seq)] = rule.strip()
    return out


def _clean(value: Any) -> Any:  # noqa: ANN401
    """NaN and infinities are no JSON numbers: they read as missing."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _draft(db: Any, plan_id: int, to_year: int, rule: str, rules: list[str]) -> Any:  # noqa: ANN401
    return draft_plan(db, plan_id, to_year=to_year, rule=rule, rules=per_row_rules(rules))


def draft_view(db: Any, plan_id: int, to_year: int, rule: str, rules: list[str]) -> dict[str, Any]:  # noqa: ANN401
    draft = _draft(db, plan_id, to_year, rule, rules)
    body = draft.to_dict()
    body["table_note"] = draft_sheet(draft).note  # what 【】 and * mean, as the files say it
    for ind in body["indicators"]:
        ind["evidence"] = {k: _clean(v) for k, v in ind["evidence"].items()}
    return jsonable_encoder({**body, "to_year": to_year, "rule": rule, "rules": rules})


def cascade_view(db: Any, plan_id: int, to_year: int, rule: str) -> dict[str, Any]:  # noqa: ANN401
    result = cascade_check(db, plan_id, to_year=to_year, rule=rule)
    return jsonable_encoder(
        {
            "parent_plan_id": result.parent_plan_id,
            "to_year": to_year,
            "rule": rule,
            "children": [{"plan_id": p, "region": r} for p, r in result.children],
            "indicators": [
                {k: _clean(v) for k, v in row.items()} for row in result.table.iter_rows(named=True)
            ],
            "notes": result.notes,
            "notes_zh": result.notes_zh,
        }
    )


@router.get("/api/plans/{plan_id}/draft", responses=ERRORS, tags=["drafting"])
def api_draft(
    plan_id: RowId,
    to_year: int = Query(2030, description="the new plan's target year"),
    rule: str = Query("pace", description=RULE_HELP),
    rules: list[str] = Query([], description="SEQ=RULE for one row (序号), repeatable"),  # noqa: B008
    db: Any = Depends(deps.database),  # noqa: ANN401, B008
) -> dict[str, Any]:
    """The successor plan drafted from a stored plan: per indicator the evidence, the rule and its sentence."""
    return draft_view(db, plan_id, to_year, rule, rules)


@router.get("/api/plans/{plan_id}/draft/cascade", responses=ERRORS, tags=["drafting"])
def api_cascade(
    plan_id: RowId,
    to_year: int = Query(2030, description="the target year checked"),
    rule: str = Query("pace", description=RULE_HELP),
    db: Any = Depends(deps.database),  # noqa: ANN401, B008
) -> dict[str, Any]:
    """Do the targets of the plans under this plan together reach its own?"""
    return cascade_view(db, plan_id, to_year, rule)


@router.get(
    "/api/plans/{plan_id}/draft/export",
    response_class=Response,
    responses={
        **ERRORS,
        200: {
            "description": "the draft as a file",
            "content": {EXPORT_MEDIA[s.lstrip(".")]: {} for s in DRAFT_SUFFIXES},
        },
    },
    tags=["drafting"],
)
def api_export(
    plan_id: RowId,
    format: str = Query("docx", description="docx, xlsx, json or pdf"),  # noqa: A002
    to_year: int = Query(2030, description="the new plan's target year"),
    rule: str = Query("pace", description=RULE_HELP),
    rules: list[str] = Query([], description="SEQ=RULE for one row (序号), repeatable"),  # noqa: B008
    db: Any = Depends(deps.database),  # noqa: ANN401, B008
) -> Response:
    """The draft as Word or PDF (the plans' own table), Excel (imports back) or JSON."""
    if f".{format}" not in DRAFT_SUFFIXES:
        raise InvalidData(
            f"unknown export format {format!r}: one of "
            + ", ".join(s.lstrip(".") for s in DRAFT_SUFFIXES)
        )
    draft = _draft(db, plan_id, to_year, rule, rules)
    with tempfile.TemporaryDirectory() as folder:
        data = write_draft(draft, Path(folder) / f"draft.{format}").read_bytes()
    title = draft.plan.metadata.title or f"{to_year}年规划（草案）"  # the title says 草案 already
    return Response(
        data,
        media_type=EXPORT_MEDIA[format],
        headers={
            "Content-Disposition": attachment(
                f"{title}.{format}", f"draft_{plan_id}_{to_year}.{format}"
            )
        },
    )


@router.get("/plans/{plan_id}/draft", response_class=HTMLResponse, include_in_schema=False)
def page_draft(
    request: Request,
    plan_id: RowId,
    to_year: int = 2030,
    rule: str = "pace",
    rules: list[str] = Query([]),  # noqa: B008
    db: Any = Depends(deps.database),  # noqa: ANN401, B008
) -> HTMLResponse:
    data = draft_view(db, plan_id, to_year, rule, rules)
    titles = _titles(db)
    # the cascade link only where plans below name this one as their higher plan (else a 404)
    data["has_lower"] = any(s.higher_plan_id == plan_id for s in list_plans(db))
    data["source_title"] = titles.get(plan_id)
    data["higher_title"] = titles.get(data["higher_plan_id"])
    chosen = per_row_rules(rules)
    # the export reads the draft's own parameters; the page's others (lang) it would refuse
    export_query = urlencode([("to_year", to_year), ("rule", rule), *(("rules", r) for r in rules)])
    return deps.render(
        request,
        "draft.html",
        {**data, "all_rules": RULES, "chosen": chosen, "export_query": export_query},
    )


@router.get("/plans/{plan_id}/draft/cascade", response_class=HTMLResponse, include_in_schema=False)
def page_cascade(
    request: Request,
    plan_id: RowId,
    to_year: int = 2030,
    rule: str = "pace",
    db: Any = Depends(deps.database),  # noqa: ANN401, B008
) -> HTMLResponse:
    data = cascade_view(db, plan_id, to_year, rule)
    data["source_title"] = _titles(db).get(plan_id)
    return deps.render(request, "draft_cascade.html", {**data, "all_rules": RULES})


def _titles(db: Any) -> dict[int, str]:  # noqa: ANN401
    """Plans by title on the pages: a reader knows 永川区's plan, not row 1."""
    return {s.id: s.title for s in list_plans(db)}
