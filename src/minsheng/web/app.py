"""``create_app(settings)``: the FastAPI app of pages and the JSON API.

One database per app (opened at creation); every router asks :func:`deps.database`
for it. Errors a user can cause (``minsheng.domain.errors``) become one JSON shape
under /api and an error page elsewhere — mapped here, in one place.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from minsheng.domain.audit import acting_from
from minsheng.domain.errors import InvalidData, MinshengError
from minsheng.services.sessions import LoginLimiter
from minsheng.services.setup import open_database
from minsheng.settings import Settings
from minsheng.web import deps
from minsheng.web.routers import (
    access,
    account,
    alignment,
    cycle,
    drafting,
    entry,
    equity,
    home,
    indicators,
    maps,
    observations,
    plans,
    quality,
    regions,
    reports,
    review,
    search,
    standards,
    standards_edit,
)

HERE = Path(__file__).parent


def error_body(status: int, kind: str, message: str, problems: list[dict] | None = None) -> dict:
    """The API's one error shape."""
    return {
        "error": {"status": status, "type": kind, "message": message, "problems": problems or []}
    }


class _Origin:
    """Writes made while answering a request are audited with the client's address.

    A plain ASGI middleware (not BaseHTTPMiddleware): it only sets a context variable
    the store reads when it writes, around the whole request.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client") if scope["type"] == "http" else None
        with acting_from(client[0] if client else None):
            await self.app(scope, receive, send)


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.db.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="minsheng 民生",
        description="Monitoring and evaluation of public service plans: the JSON API behind the pages.",
        version="0.1.0",
        docs_url="/api/docs",
        redoc_url=None,
        # the JSON API refuses query parameters a route does not read (one check, every route)
        dependencies=[Depends(deps.declared_query_only)],
    )
    app.state.settings = settings
    app.state.db = open_database(settings)
    # tokens are signed with the configured key; without one, a random key for this process
    # (tokens then end with the process) — never a default key shared by every install
    app.state.secret = (settings.secret_key or secrets.token_hex(32)).encode()
    app.state.login_limiter = LoginLimiter()
    app.add_middleware(_Origin)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (
        home,
        plans,
        indicators,
        regions,
        maps,
        equity,
        alignment,
        quality,
        access,
        search,
        observations,
        account,
        entry,
        review,
        cycle,
        reports,
        standards,
        standards_edit,
        drafting,
    ):
        app.include_router(module.router)

    def _respond(
        request: Request,
        status: int,
        kind: str,
        message: str,
        problems: list[dict],
        message_zh: str | None = None,
    ) -> Response:
        if request.url.path.startswith("/api") or "text/html" not in request.headers.get(
            "accept", ""
        ):
            return JSONResponse(error_body(status, kind, message, problems), status_code=status)
        return deps.render(
            request,
            "error.html",
            {
                "status": status,
                "kind": kind,
                "message": message,
                "message_zh": message_zh,
                "problems": problems,
            },
            status=status,
        )

    @app.exception_handler(MinshengError)
    async def domain_error(request: Request, exc: MinshengError) -> Response:
        problems = (
            [
                {
                    "row": p.row,
                    "sheet": p.sheet,
                    "field": p.field,
                    "message": p.message,
                    "message_zh": p.message_zh,
                }  # fmt: skip
                for p in exc.problems
            ]
            if isinstance(exc, InvalidData)
            else []
        )
        return _respond(
            request, exc.status, type(exc).__name__, exc.message, problems, exc.message_zh
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {
                "row": None,
                "field": ".".join(str(p) for p in e["loc"][1:]) or None,
                "message": e["msg"],
                "message_zh": (
                    "必须填写"
                    if e.get("type") == "missing"
                    else "超出允许范围"
                    if str(e.get("type", "")).startswith(("greater", "less"))
                    else "格式不正确"
                ),  # fmt: skip
            }
            for e in exc.errors()
        ]
        return _respond(request, 422, "InvalidData", "invalid request", problems, "请求参数有误")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        kind = "NotFound" if exc.status_code == 404 else "HTTPError"
        zh = "没有这个页面" if exc.status_code == 404 else None
        return _respond(request, exc.status_code, kind, str(exc.detail), [], zh)

    return app


def app_from_env() -> FastAPI:
    """The app on the database the MINSHENG_* variables name (uvicorn's factory for ``minsheng serve``)."""
    return create_app(Settings.from_env())
