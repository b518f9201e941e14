"""People and roles: create users, check passwords, list them (the web face builds on these)."""

from __future__ import annotations

from dataclasses import dataclass

from minsheng.domain.errors import InvalidData, PermissionDenied
from minsheng.domain.users import Actor, Grant, Role
from minsheng.services.regions import region_index
from minsheng.store.database import Database
from minsheng.store.models import RegionRow, UserRow
from minsheng.store.repositories import audit as audit_repo
from minsheng.store.repositories import regions as regions_repo
from minsheng.store.repositories import users as users_repo


@dataclass(frozen=True)
class User:
    """An account: its own role and region, and every grant it holds (its own first)."""

    username: str
    display_name: str | None
    role: Role
    region_code: str | None
    active: bool
    grants: tuple[Grant, ...] = ()

    @property
    def actor(self) -> Actor:
        """The account as the permission rules see it."""
        return Actor(self.username, self.grants or (Grant(self.role, self.region_code),))

    def holds(self, *roles: Role) -> bool:
        """Whether any grant is one of ``roles`` (what a page shows, e.g. the review link)."""
        return self.actor.has(roles)


def _user(session, row: UserRow) -> User:  # noqa: ANN001
    region = session.get(RegionRow, row.region_id) if row.region_id else None
    return User(
        row.username, row.display_name, Role(row.role), region.code if region else None,
        row.active, users_repo.grants_of(session, row),
    )  # fmt: skip


def grant_role(
    db: Database, username: str, role: Role | str, region: str | None, by: str | None
) -> User:
    """Give an account a further role in a region (an analyst of a province who also reports
    for a county); recorded in the audit trail. A reporter's grant needs a region."""
    chosen = Role(role)
    if chosen is Role.REPORTER and not region:
        raise InvalidData("a reporter's grant needs a region: the region reported for")
    with db.session() as session:
        row = users_repo.user_row(session, username)
        code = region_index(session).resolve(region).code if region else None
        region_id = regions_repo.region_row(session, code).id if code else None
        if users_repo.add_grant(session, row, chosen, region_id, by):
            audit_repo.record(
                session, by, "user.grant", row.username, region=code,
                after={"role": chosen.value, "region": code},
            )  # fmt: skip
        return _user(session, row)


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
