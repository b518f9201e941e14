"""Users: usernames, roles, region scope and a salted scrypt hash of the password.

scrypt (hashlib, RFC 7914) needs no extra package and is memory-hard; the hash
string carries its parameters and salt, so they can be raised later without
breaking stored hashes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.domain.errors import Conflict, InvalidData, NotFound
from minsheng.domain.users import Grant, Role
from minsheng.store.models import RegionRow, UserGrantRow, UserRow

_N, _R, _P = 2**14, 8, 1


def hash_password(password: str) -> str:
    if not password:
        raise InvalidData("a password cannot be empty")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    expected = base64.b64decode(digest)
    actual = hashlib.scrypt(
        password.encode(),
        salt=base64.b64decode(salt),
        n=int(n),
        r=int(r),
        p=int(p),
        dklen=len(expected),
    )
    return hmac.compare_digest(actual, expected)


def add_user(
    session: Session,
    username: str,
    password: str,
    role: Role,
    display_name: str | None = None,
    region_id: int | None = None,
) -> UserRow:
    username = username.strip()
    if not username:
        raise InvalidData("a username cannot be empty")
    if session.scalar(select(UserRow).where(UserRow.username == username)) is not None:
        raise Conflict(f"user {username!r} already exists")
    row = UserRow(
        username=username,
        display_name=display_name,
        role=Role(role).value,
        region_id=region_id,
        password_hash=hash_password(password),
    )
    session.add(row)
    session.flush()
    return row


def user_row(session: Session, username: str) -> UserRow:
    row = session.scalar(select(UserRow).where(UserRow.username == username))
    if row is None:
        raise NotFound(f"no user {username!r}")
    return row


def list_users(session: Session) -> list[UserRow]:
    return list(session.scalars(select(UserRow).order_by(UserRow.username)))


def grants_of(session: Session, row: UserRow) -> tuple[Grant, ...]:
    """Every grant of an account: its own role and region first, then those added."""

    def code(region_id: int | None) -> str | None:
        region = session.get(RegionRow, region_id) if region_id else None
        return region.code if region is not None else None

    extra = session.scalars(
        select(UserGrantRow).where(UserGrantRow.user_id == row.id).order_by(UserGrantRow.id)
    )
    own = Grant(Role(row.role), code(row.region_id))
    return (own, *(g for g in (Grant(Role(x.role), code(x.region_id)) for x in extra) if g != own))


def add_grant(
    session: Session, row: UserRow, role: Role, region_id: int | None, by: str | None
) -> bool:
    """Give an account a further role in a region; False when it already holds it."""
    held = session.scalar(
        select(UserGrantRow).where(
            UserGrantRow.user_id == row.id,
            UserGrantRow.role == role.value,
            UserGrantRow.region_id.is_(None)
            if region_id is None
            else UserGrantRow.region_id == region_id,
        )
    )
    if held is not None or (row.role == role.value and row.region_id == region_id):
        return False
    session.add(UserGrantRow(user_id=row.id, role=role.value, region_id=region_id, granted_by=by))
    session.flush()
    return True
