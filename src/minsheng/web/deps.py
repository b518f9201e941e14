"""What every router needs: the database, the language, and rendering a page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from minsheng.domain.errors import InvalidData, MinshengError, Problem
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


def api_lang(
    request: Request,
    lang: Annotated[
        Literal["zh", "en"] | None,
        Query(description="language of labels and reasons: zh (default) or en"),
    ] = None,
) -> str:
    """:func:`lang` for the API, where ``lang`` is a declared parameter (so it is documented
    where it words labels and reasons; every route accepts it for its refusals)."""
    return pick_lang(lang, request.cookies.get(COOKIE))


def _declared(dependant: Any) -> set[str]:  # noqa: ANN401 - a FastAPI Dependant
    names = {f.alias for f in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _declared(sub)
    return names


_DECLARED: dict[int, frozenset[str]] = {}


def declared_query_only(request: Request) -> None:
    """Refuse an API request naming a query parameter its route does not read.

    FastAPI drops undeclared parameters silently, so ``?region=永川`` on a route that
    knows no region answered for another region as if asked; a parameter the route
    cannot honour is a mistake to say, never a default to fall back on. Pages keep
    their tolerance (links may carry a stray parameter); the JSON API is exact.
    """
    route = request.scope.get("route")
    if route is None or not request.url.path.startswith("/api"):
        return
    known = _DECLARED.get(id(route))
    if known is None:
        known = _DECLARED[id(route)] = frozenset(_declared(route.dependant))
    # every route words its refusals, so every route reads ``lang`` (zh or en, checked here
    # where the route does not declare it)
    asked = request.query_params.get("lang")
    if "lang" not in known and asked is not None and asked not in ("zh", "en"):
        raise InvalidData(
            f"lang is zh or en, not {asked!r}",
            [Problem(None, "lang", f"zh or en, not {asked!r}", message_zh="lang 只能是 zh 或 en")],
            message_zh=f"lang 只能是 zh 或 en，而不是“{asked}”",
        )
    unknown = [
        k for k in dict.fromkeys(request.query_params.keys()) if k not in known and k != "lang"
    ]
    if unknown:
        accepted = ", ".join(sorted(known)) or "none"
        raise InvalidData(
            f"unknown query parameter{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(unknown)}; this route reads: {accepted}",
            [
                Problem(
                    None,
                    k,
                    f"not a parameter of this route (it reads: {accepted})",
                    message_zh=f"本接口没有“{k}”参数（可用参数：{accepted}）",
                )
                for k in unknown
            ],
            message_zh=f"未知的查询参数：{'、'.join(unknown)}（本接口可用参数：{accepted}）",
        )


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
            "colon": "：" if chosen == "zh" else ": ",  # after a label, in the page's typography
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
