"""What every router needs: the database, the language, and rendering a page."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from minsheng.domain.errors import MinshengError
from minsheng.settings import Settings
from minsheng.web import formatting
from minsheng.web.i18n import COOKIE, field_label, pick_lang, source_label, translator

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.filters["num"] = formatting.number
templates.env.filters["rho"] = formatting.ratio
templates.env.filters["share"] = formatting.share
templates.env.filters["month"] = formatting.month
templates.env.filters["moment"] = formatting.moment
templates.env.filters["source"] = source_label
templates.env.globals["field_label"] = field_label


def database(request: Request) -> Any:  # noqa: ANN401 - a store Database, opened by services
    return request.app.state.db


def viewer(request: Request) -> Any:  # noqa: ANN401 - a services User or None
    """Who reads a page or a GET: a valid bearer token's or session cookie's user, else None.

    Reads never fail on a stale credential; they fall back to what the public sees.
    """
    from minsheng.domain.errors import NotAuthenticated
    from minsheng.services.sessions import user_from_token
    from minsheng.web.auth import SESSION_COOKIE

    header = request.headers.get("authorization", "")
    token = (
        header[7:] if header.lower().startswith("bearer ") else request.cookies.get(SESSION_COOKIE)
    )
    if not token:
        return None
    try:
        return user_from_token(request.app.state.db, token, request.app.state.secret)
    except NotAuthenticated:
        return None


def settings(request: Request) -> Settings:
    return request.app.state.settings


def lang(request: Request) -> str:
    return pick_lang(request.query_params.get("lang"), request.cookies.get(COOKIE))


def message_for(request: Request, exc: MinshengError) -> str:
    """A user's mistake in the page's language (the English when no Chinese was given)."""
    return exc.message_zh if lang(request) == "zh" and exc.message_zh else exc.message


def render(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    """A page in the visitor's language; ``?lang=`` is remembered in a cookie."""
    chosen = lang(request)
    other = "en" if chosen == "zh" else "zh"
    query = dict(request.query_params)
    query["lang"] = other
    switch = f"{request.url.path}?{urlencode(query)}"
    from minsheng.web.auth import CSRF_COOKIE, csrf_seed, csrf_token, page_user

    seed, new_seed = csrf_seed(request)
    response = templates.TemplateResponse(
        request,
        template,
        {
            **context,
            "lang": chosen,
            "t": translator(chosen),
            "switch_url": switch,
            "user": page_user(request),
            "csrf_token": csrf_token(request, seed),
        },
        status_code=status,
    )
    if new_seed:
        response.set_cookie(
            CSRF_COOKIE, seed, httponly=True, samesite="lax", secure=request.url.scheme == "https"
        )
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie(COOKIE, chosen, max_age=365 * 86400, samesite="lax", httponly=True)
    return response
