"""Logging in and bearer tokens for API clients (issue 10: accounts and the reporting cycle).

A token is ``payload.signature``: the payload (username, expiry) in URL-safe base64 and
an HMAC-SHA256 of it under the app's secret key. The standard library does this
fully; no session table is needed for API clients, and a token stops working when
it expires or when its account is deactivated. Failed logins are counted per
account and per address in a sliding window (:class:`LoginLimiter`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections import defaultdict, deque

from minsheng.domain.errors import NotAuthenticated, PermissionDenied, TooManyAttempts
from minsheng.services.users import User, authenticate, get_user
from minsheng.store.database import Database

TOKEN_TTL = 8 * 3600  # seconds: one working day


class LoginLimiter:
    """At most ``limit`` failed logins per account and per address within ``window`` seconds."""

    def __init__(self, limit: int = 5, window: float = 900.0) -> None:
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures[key]
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def check(self, username: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in (f"user:{username}", f"addr:{address}"):
                if len(self._recent(key, now)) >= self.limit:
                    raise TooManyAttempts(
                        "too many failed logins; try again in a few minutes",
                        message_zh="登录失败次数过多，请几分钟后再试",
                    )

    def failed(self, username: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in (f"user:{username}", f"addr:{address}"):
                self._recent(key, now).append(now)


def login(db: Database, username: str, password: str, address: str, limiter: LoginLimiter) -> User:
    """The user whose password this is; NotAuthenticated when wrong, TooManyAttempts when limited."""
    limiter.check(username, address)
    try:
        return authenticate(db, username, password)
    except PermissionDenied:
        limiter.failed(username, address)
        raise NotAuthenticated(
            "wrong username or password", message_zh="用户名或密码不正确"
        ) from None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue_token(user: User, secret: bytes, ttl: int = TOKEN_TTL) -> str:
    payload = _b64(json.dumps({"sub": user.username, "exp": int(time.time()) + ttl}).encode())
    signature = _b64(hmac.new(secret, payload.encode(), hashlib.sha256).digest())
    return f"{payload}.{signature}"


def user_from_token(db: Database, token: str, secret: bytes) -> User:
    """The active user a token names; NotAuthenticated for a forged, expired or orphaned token."""
    try:
        payload, signature = token.split(".")
        expected = _b64(hmac.new(secret, payload.encode(), hashlib.sha256).digest())
        if not hmac.compare_digest(expected, signature):
            raise ValueError("signature")
        claims = json.loads(_unb64(payload))
        if int(claims["exp"]) < time.time():
            raise ValueError("expired")
        user = get_user(db, str(claims["sub"]))
    except Exception:  # every way a token fails reads the same to the caller
        raise NotAuthenticated("invalid or expired token") from None
    if not user.active:
        raise NotAuthenticated("invalid or expired token")
    return user
