"""People and roles: create users, check passwords, list them (the web face builds on these)."""

from __future__ import annotations

from dataclasses import dataclass

from minsheng.domain.errors import PermissionDenied
from minsheng.domain.users import Role
from minsheng.services.regions import region_index
from minsheng.store.database import Database
from minsheng.store.models import RegionRow, UserRow
from minsheng.store.repositories import audit as audit_repo
from minsheng.store.repositories import regions as regions_repo
from minsheng.store.repositories import users as users_repo


@dataclass(frozen=True)
class User:
    username: str
    display_name: str | None
    role: Role
    region_code: str | None
    active: bool


def _user(session, row: UserRow) -> User:  # noqa: ANN001
    region = session.get(RegionRow, row.region_id) if row.region_id else None
    return User(
        row.username, row.display_name, Role(row.role), region.code if region else None, row.active
    )


def create_user(
    db: Database,
    username: str,
    password: str,
    role: Role | str,
    display_name: str | None = None,
    region: str | None = None,
    *,
    by: str | None = None,
) -> User:
    """Add a user; only a salted scrypt hash of the password is stored (and never audited)."""
    with db.session() as session:
        region_id = (
            regions_repo.region_row(session, region_index(session).resolve(region).code).id
            if region
            else None
        )
        row = users_repo.add_user(session, username, password, Role(role), display_name, region_id)
        user = _user(session, row)
        audit_repo.record(
            session, by, "user.add", user.username, region=user.region_code,
            after={"role": user.role.value, "region": user.region_code,
                   "display_name": user.display_name},
        )  # fmt: skip
        return user


def authenticate(db: Database, username: str, password: str) -> User:
    """The user, if the password is right and the account active; PermissionDenied otherwise."""
    with db.session() as session:
        try:
            row = users_repo.user_row(session, username)
        except Exception:  # the same answer for unknown users and wrong passwords
            row = None
        if (
            row is None
            or not row.active
            or not users_repo.verify_password(password, row.password_hash)
        ):
            raise PermissionDenied("wrong username or password")
        return _user(session, row)


def get_user(db: Database, username: str) -> User:
    with db.session() as session:
        return _user(session, users_repo.user_row(session, username))


def list_users(db: Database) -> list[User]:
    with db.session() as session:
        return [_user(session, r) for r in users_repo.list_users(session)]
