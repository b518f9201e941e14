"""Signing in and out in the browser (session cookie, CSRF-checked forms)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from minsheng.domain.errors import MinshengError
from minsheng.services.sessions import login
from minsheng.web import deps
from minsheng.web.auth import check_csrf, end_session, start_session

router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:  # noqa: A002 - the usual name
    return deps.render(request, "login.html", {"next": next if next.startswith("/") else "/"})


@router.post("/login")
def login_form(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",  # noqa: A002
    db=Depends(deps.database),  # noqa: ANN001, B008
) -> Response:
    check_csrf(request, csrf_token)
    address = request.client.host if request.client else "?"
    try:
        user = login(db, username, password, address, request.app.state.login_limiter)
    except MinshengError as exc:
        context = {"next": next, "error": deps.message_for(request, exc), "username": username}
        return deps.render(request, "login.html", context, status=exc.status)
    response = RedirectResponse(next if next.startswith("/") else "/", status_code=303)
    start_session(request, response, user)
    return response


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf_token)
    response = RedirectResponse("/", status_code=303)
    end_session(response)
    return response
