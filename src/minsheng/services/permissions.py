"""Who may do what with observations: the one place the rules live.

The CLI and the web app call these (through the observation services); tests call
them directly. The rules (issue 8):

* an unknown or inactive user is refused — a name is an account, not a label;
* a reporter enters draft or submitted values for its own region and the regions
  under it, never approved or published ones;
* only an analyst whose region contains the value's region (a national analyst
  contains every region), or an administrator, approves and publishes;
* evaluators and the public read, and enter nothing;
* a correction says why (a reason) and where the new value comes from.

An account holds *grants* — a role in a region — so one account can later hold roles
in several regions (issue 10) without changing a rule: a rule asks whether any grant
allows the act.

Two cases have no account behind them. ``username=None`` is the system itself (the
demo builder, derived values a command stores for the operator it already checked);
faces never pass None — the CLI always names the operator. And a database with no
users at all is a single-user installation: the operator named is its administrator,
until the first account is added with ``minsheng users add``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.domain.errors import InvalidData, NotFound, PermissionDenied
from minsheng.domain.observations import ObservationStatus
from minsheng.domain.users import Role
from minsheng.store.database import Database
from minsheng.store.models import RegionRow, UserRow
from minsheng.store.repositories import regions as regions_repo
from minsheng.store.repositories import users as users_repo
from minsheng.store.repositories.regions import code_prefix

REVIEWED = (ObservationStatus.APPROVED, ObservationStatus.PUBLISHED)


@dataclass(frozen=True)
class Grant:
    """One role in one region (``region_code`` None: every region)."""

    role: Role
    region_code: str | None = None

    def covers(self, region_code: str) -> bool:
        if self.region_code is None:
            return True
        return region_code.startswith(regions_repo.code_prefix(self.region_code))


@dataclass(frozen=True)
class Actor:
    """Who is acting, with every grant they hold."""

    username: str | None
    grants: tuple[Grant, ...]

    @property
    def is_system(self) -> bool:
        return self.username is None

    def may(self, roles: Iterable[Role], region_code: str) -> bool:
        wanted = set(roles)
        return any(g.role in wanted and g.covers(region_code) for g in self.grants)


SYSTEM = Actor(None, (Grant(Role.ADMIN),))


def actor(session: Session, username: str | None) -> Actor:
    """The acting account and its grants; PermissionDenied for an unknown or inactive name."""
    if username is None:
        return SYSTEM
    name = username.strip()
    if not name:
        raise PermissionDenied("name the user who acts (--user)")
    try:
        row = users_repo.user_row(session, name)
    except NotFound:
        if not session.scalar(select(func.count()).select_from(UserRow)):
            return Actor(name, (Grant(Role.ADMIN),))  # single-user installation
        raise PermissionDenied(
            f"unknown user {name!r}; `minsheng users list` shows the accounts"
        ) from None
    if not row.active:
        raise PermissionDenied(f"{name}'s account is not active")
    region = session.get(RegionRow, row.region_id) if row.region_id else None
    return Actor(name, (Grant(Role(row.role), region.code if region else None),))


def check_entry(
    session: Session,
    username: str | None,
    region_codes: Iterable[str],
    status: ObservationStatus | None = None,
) -> Actor:
    """May ``username`` enter values for these regions, at this status? Returns the actor."""
    who = actor(session, username)
    codes = sorted(set(region_codes))
    if status in REVIEWED:
        check_review(session, username, codes)
        return who
    writers = (Role.ADMIN, Role.ANALYST, Role.REPORTER)
    if not any(g.role in writers for g in who.grants):
        roles = ", ".join(g.role.value for g in who.grants)
        raise PermissionDenied(f"{username} ({roles}) may not enter observations")
    outside = [c for c in codes if not who.may(writers, c)]
    if outside:
        scope = ", ".join(g.region_code or "全国" for g in who.grants)
        raise PermissionDenied(
            f"{username} enters values for {scope} and the regions under it only, "
            f"not for {', '.join(outside[:5])}{' …' if len(outside) > 5 else ''}"
        )
    return who


def check_review(session: Session, username: str | None, region_codes: Iterable[str]) -> Actor:
    """Approving and publishing: an analyst above every region concerned, or an administrator."""
    who = actor(session, username)
    reviewers = (Role.ADMIN, Role.ANALYST)
    codes = sorted(set(region_codes))
    if not any(g.role in reviewers for g in who.grants):
        roles = ", ".join(g.role.value for g in who.grants)
        raise PermissionDenied(f"{username} ({roles}) may not approve or publish values")
    outside = [c for c in codes if not who.may(reviewers, c)]
    if outside:
        raise PermissionDenied(
            f"{username} may approve or publish values of the regions under their own only, "
            f"not of {', '.join(outside[:5])}"
        )
    return who


def check_correction(reason: str | None) -> str:
    """A correction says why: the reason is kept with the new version."""
    text = (reason or "").strip()
    if not text:
        raise InvalidData("a correction needs a reason (--reason): why is the stored value wrong?")
    return text


# --- the account-level rules of the web app's reporting cycle (one role, one region) ---

WRITERS = (Role.ADMIN, Role.ANALYST, Role.REPORTER)
REVIEWERS = (Role.ADMIN, Role.ANALYST)
READERS_OF_DRAFTS = (Role.ADMIN, Role.ANALYST, Role.REPORTER)

#: action → (roles allowed, statuses it moves from, status it moves to)
ACTIONS: dict[str, tuple[tuple[Role, ...], tuple[ObservationStatus, ...], ObservationStatus]] = {
    "submit": (WRITERS, (ObservationStatus.DRAFT,), ObservationStatus.SUBMITTED),
    "approve": (REVIEWERS, (ObservationStatus.SUBMITTED,), ObservationStatus.APPROVED),
    "return": (
        REVIEWERS,
        (ObservationStatus.SUBMITTED, ObservationStatus.APPROVED),
        ObservationStatus.DRAFT,
    ),
    "publish": (REVIEWERS, (ObservationStatus.APPROVED,), ObservationStatus.PUBLISHED),
}


def scope_prefix(role: Role, region_code: str | None) -> str | None:
    """The code prefix of the subtree a role works in ("" everywhere, None nowhere)."""
    if role is Role.ADMIN or (role is Role.ANALYST and region_code is None):
        return ""
    if role not in READERS_OF_DRAFTS or region_code is None:
        return None
    return code_prefix(region_code)


def in_scope(role: Role, region_code: str | None, target: str) -> bool:
    """Whether an account of ``role`` holding ``region_code`` works on region ``target``."""
    prefix = scope_prefix(role, region_code)
    return prefix is not None and target.startswith(prefix)


def entry_status(role: Role) -> ObservationStatus:
    """A reporter's values arrive as drafts; an analyst's or admin's as submitted."""
    return ObservationStatus.DRAFT if role is Role.REPORTER else ObservationStatus.SUBMITTED


def check_enter(username: str, role: Role, region_code: str | None, targets: Iterable[str]) -> None:
    """Refuse entering (or correcting, or submitting) values of ``targets`` outside the rules."""
    if role not in WRITERS:
        raise PermissionDenied(f"{username} ({role.value}) may not enter values")
    outside = sorted(t for t in set(targets) if not in_scope(role, region_code, t))
    if outside:
        raise PermissionDenied(f"{username} may not enter values for {', '.join(outside[:5])}")


def check_review_role(
    username: str, role: Role, region_code: str | None, targets: Iterable[str] = ()
) -> None:
    """Refuse approving, returning or publishing unless an analyst of the subtree or an admin."""
    if role not in REVIEWERS:
        raise PermissionDenied(f"{username} ({role.value}) may not approve or publish values")
    outside = sorted(t for t in set(targets) if not in_scope(role, region_code, t))
    if outside:
        raise PermissionDenied(f"{username} may not review values of {', '.join(outside[:5])}")


def check_action(
    username: str, role: Role, region_code: str | None, action: str, target: str | None
) -> None:
    """Refuse a status change of a value of region ``target`` (None: any) the role may not make."""
    if role not in ACTIONS[action][0]:
        raise PermissionDenied(f"{username} ({role.value}) may not {action} values")
    if target is not None and not in_scope(role, region_code, target):
        raise PermissionDenied(f"{username} may not change values of region {target}")


def sees_drafts_of(role: Role | None, region_code: str | None) -> str | None:
    """The code prefix under which a reader sees every status (None: published values only)."""
    if role is None:
        return None
    return scope_prefix(role, region_code)


def check_audit_reader(
    username: str, role: Role, region_code: str | None, target: str | None
) -> None:
    """The audit trail is for admins, and for an analyst within its subtree."""
    if role is Role.ADMIN:
        return
    if role is not Role.ANALYST:
        raise PermissionDenied(f"{username} ({role.value}) may not read the audit trail")
    if target is None or not in_scope(role, region_code, target):
        raise PermissionDenied(f"{username} reads the audit trail of its own region only")


def judges_on_every_value(
    role: Role | None, region_code: str | None, plan_region: str | None
) -> bool:
    """Whether a reader sees a plan judged on every stored value (drafts included) rather than
    the public's evaluation on published values: an admin, and an analyst or reporter whose
    subtree holds the plan's region (so no draft of another subtree shows through)."""
    if role is None:
        return False
    if role is Role.ADMIN:
        return True
    return (
        plan_region is not None
        and role in READERS_OF_DRAFTS
        and in_scope(role, region_code, plan_region)
    )


def check_operator(db: Database, username: str | None) -> None:
    """Refuse a named operator who is not an account (as every write would), before any work."""
    with db.session() as session:
        actor(session, username)
