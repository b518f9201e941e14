"""Who is calling: an API client's bearer token (OAuth2 password flow), a browser's session
cookie, or nobody; and the CSRF check every form post passes.

The API takes bearer tokens only, so a browser's cookie never authorises an API
call; pages take the session cookie only (HttpOnly, SameSite=Lax, Secure over
HTTPS). Forms carry a CSRF token: an HMAC under the app's key of a random value
kept in its own cookie (a double submit an attacker can neither read nor forge).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets as _secrets
from typing import Any
from urllib.parse import quote

from fastapi import Depends, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.security import OAuth2PasswordBearer

from minsheng.domain.errors import NotAuthenticated, PermissionDenied
from minsheng.services.sessions import TOKEN_TTL, issue_token, user_from_token
from minsheng.services.users import User
from minsheng.web import deps

bearer = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)


def secret(request: Request) -> bytes:
    return request.app.state.secret


def optional_user(
    request: Request,
    token: str | None = Depends(bearer),  # noqa: B008
    db: Any = Depends(deps.database),  # noqa: ANN401, B008
) -> User | None:
    """The caller, or None for the public; a token that does not hold is refused, not ignored."""
    if token is None:
        return None
    return user_from_token(db, token, secret(request))


def required_user(user: User | None = Depends(optional_user)) -> User:  # noqa: B008
    if user is None:
        raise NotAuthenticated("sign in: send a bearer token from POST /api/auth/token")
    return user


SESSION_COOKIE = "session"
CSRF_COOKIE = "csrf"


def page_user(request: Request) -> User | None:
    """The signed-in visitor of a page, or None (an expired session reads as signed out)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        return user_from_token(request.app.state.db, token, secret(request))
    except NotAuthenticated:
        return None


def sign_in_first(request: Request) -> RedirectResponse:
    """To the sign-in page, coming back to this page (and its query) afterwards."""
    target = quote(f"{request.url.path}?{request.url.query}", safe="")
    return RedirectResponse(f"/login?next={target}", status_code=303)


def start_session(request: Request, response: Response, user: User) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        issue_token(user, secret(request)),
        max_age=TOKEN_TTL,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE)


def csrf_seed(request: Request) -> tuple[str, bool]:
    """The visitor's CSRF seed and whether it is new (then the page sets its cookie)."""
    seed = request.cookies.get(CSRF_COOKIE)
    return (seed, False) if seed else (_secrets.token_urlsafe(16), True)


def csrf_token(request: Request, seed: str) -> str:
    return hmac.new(secret(request), f"csrf:{seed}".encode(), hashlib.sha256).hexdigest()


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuse a form post whose CSRF token does not match the visitor's cookie."""
    seed = request.cookies.get(CSRF_COOKIE)
    if not seed or not submitted or not hmac.compare_digest(csrf_token(request, seed), submitted):
        raise PermissionDenied(
            "the form has expired or did not come from this site; reload and try again"
        )
