"""Who may do what, in one place: every role check of the services (and so of every face).

The rules (issue 10): an admin does everything everywhere; an analyst reads
everything in its region subtree, enters, approves, returns and publishes there;
a reporter enters, corrects and submits values of its own subtree only and sees
its subtree's drafts; the public and evaluators enter nothing and read published
values only. An analyst or reporter holding no region works nowhere (a missing
region is not 全国), except that an analyst without a region is a national one.
"""

from __future__ import annotations

from collections.abc import Iterable

from minsheng.domain.errors import PermissionDenied
from minsheng.domain.observations import ObservationStatus
from minsheng.domain.users import Role
from minsheng.store.repositories.regions import code_prefix

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


def check_review(
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
