"""Who is calling: the bearer token of an API client (OAuth2 password flow), or nobody."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from minsheng.domain.errors import NotAuthenticated
from minsheng.services.sessions import user_from_token
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
