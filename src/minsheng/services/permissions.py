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

An account holds *grants* — a role in a region: its own, and any added with
``minsheng users grant`` (issue 10: an analyst of a province may also report for one
county). Every rule takes the acting :class:`~minsheng.domain.users.Actor` and asks
whether any of its grants allows the act; the CLI (by name, through :func:`actor`)
and the web app (the signed-in account's ``actor``) meet the same rules.

Two cases have no account behind them. ``username=None`` is the system itself (the
demo builder, derived values a command stores for the operator it already checked);
faces never pass None — the CLI always names the operator. And a database with no
users at all is a single-user installation: the operator named is its administrator,
until the first account is added with ``minsheng users add``.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.domain.errors import InvalidData, NotFound, PermissionDenied
from minsheng.domain.observations import ObservationStatus
from minsheng.domain.regions import NATIONAL_CODE
from minsheng.domain.users import Actor, Grant, Role
from minsheng.store.database import Database
from minsheng.store.models import UserRow
from minsheng.store.repositories import users as users_repo

__all__ = ["Actor", "Grant"]  # re-exported: the rules' vocabulary

REVIEWED = (ObservationStatus.APPROVED, ObservationStatus.PUBLISHED)
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
    return Actor(name, users_repo.grants_of(session, row))


def _roles(who: Actor) -> str:
    return ", ".join(sorted({g.role.value for g in who.grants}))


def _scope(who: Actor, roles: Iterable[Role]) -> str:
    wanted = set(roles)
    return ", ".join(g.region_code or "全国" for g in who.grants if g.role in wanted)


def _listed(codes: list[str]) -> str:
    return ", ".join(codes[:5]) + (" …" if len(codes) > 5 else "")


def in_scope(who: Actor, target: str) -> bool:
    """Whether ``who`` works on region ``target`` (enters, reviews or reads its drafts)."""
    return who.may(READERS_OF_DRAFTS, target)


def entry_status(who: Actor, targets: Iterable[str] = ()) -> ObservationStatus:
    """A reporter's values arrive as drafts; an analyst's or admin's (for regions it reviews) as
    submitted."""
    codes = list(targets)
    if who.has(REVIEWERS) and all(who.may(REVIEWERS, c) for c in codes):
        return ObservationStatus.SUBMITTED
    return ObservationStatus.DRAFT


def check_enter(
    who: Actor, targets: Iterable[str], status: ObservationStatus | None = None
) -> None:
    """Refuse entering (or correcting, or submitting) values of ``targets`` outside the rules;
    entering at a reviewed status (approved, published) is reviewing."""
    codes = sorted(set(targets))
    if status in REVIEWED:
        check_review_role(who, codes)
        return
    if not who.has(WRITERS):
        raise PermissionDenied(
            f"{who.name} ({_roles(who)}) may not enter values",
            message_zh=f"{who.name}（{_roles(who)}）无权填报数据",
        )
    outside = [c for c in codes if not who.may(WRITERS, c)]
    if outside:
        raise PermissionDenied(
            f"{who.name} enters values for {_scope(who, WRITERS)} and the regions under it "
            f"only, not for {_listed(outside)}",
            message_zh=f"{who.name}只能填报{_scope(who, WRITERS)}及其下辖地区的数据，"
            f"不能填报{_listed(outside)}",
        )


def check_review_role(who: Actor, targets: Iterable[str] = ()) -> None:
    """Refuse approving, returning or publishing unless an analyst above every region concerned,
    or an administrator."""
    if not who.has(REVIEWERS):
        raise PermissionDenied(
            f"{who.name} ({_roles(who)}) may not approve or publish values",
            message_zh=f"{who.name}（{_roles(who)}）无权审核或发布数据",
        )
    outside = [c for c in sorted(set(targets)) if not who.may(REVIEWERS, c)]
    if outside:
        raise PermissionDenied(
            f"{who.name} may approve or publish values of the regions under their own only, "
            f"not of {_listed(outside)}",
            message_zh=f"{who.name}只能审核或发布本地区及下辖地区的数据，不能审核{_listed(outside)}",
        )


def check_action(who: Actor, action: str, target: str | None) -> None:
    """Refuse a status change of a value of region ``target`` (None: any) ``who`` may not make."""
    roles = ACTIONS[action][0]
    if not who.has(roles):
        raise PermissionDenied(
            f"{who.name} ({_roles(who)}) may not {action} values",
            message_zh=f"{who.name}（{_roles(who)}）无权执行此操作（{action}）",
        )
    if target is not None and not who.may(roles, target):
        raise PermissionDenied(
            f"{who.name} may not change values of region {target}",
            message_zh=f"{who.name}无权更改地区{target}的数据",
        )


def check_entry(
    session: Session,
    username: str | None,
    region_codes: Iterable[str],
    status: ObservationStatus | None = None,
) -> Actor:
    """May the account named ``username`` enter values for these regions, at this status?"""
    who = actor(session, username)
    check_enter(who, region_codes, status)
    return who


def check_review(session: Session, username: str | None, region_codes: Iterable[str]) -> Actor:
    """May the account named ``username`` approve and publish values of these regions?"""
    who = actor(session, username)
    check_review_role(who, region_codes)
    return who


def check_correction(reason: str | None) -> str:
    """A correction says why: the reason is kept with the new version."""
    text = (reason or "").strip()
    if not text:
        raise InvalidData("a correction needs a reason (--reason): why is the stored value wrong?")
    return text


def check_withdrawal(reason: str | None) -> str:
    """A withdrawal says why (a wrong region, indicator or year): the reason is kept with it."""
    text = (reason or "").strip()
    if not text:
        raise InvalidData(
            "a withdrawal needs a reason (--reason): why should the stored value not count?",
            message_zh="撤回数据须说明理由：为什么这个数值不应计入？",
        )
    return text


def sees_drafts_of(who: Actor | None) -> list[str] | None:
    """The code prefixes under which a reader sees every status ("" everywhere; None: published
    values only)."""
    if who is None:
        return None
    return who.prefixes(READERS_OF_DRAFTS) or None


def check_audit_reader(who: Actor, target: str | None) -> None:
    """The audit trail is for admins, and for an analyst within its subtree."""
    if who.has([Role.ADMIN]):
        return
    if not who.has([Role.ANALYST]):
        raise PermissionDenied(
            f"{who.name} ({_roles(who)}) may not read the audit trail",
            message_zh=f"{who.name}（{_roles(who)}）无权查看操作记录",
        )
    if target is None or not who.may([Role.ANALYST], target):
        raise PermissionDenied(
            f"{who.name} reads the audit trail of its own region only",
            message_zh=f"{who.name}只能查看本地区的操作记录",
        )


def judges_on_every_value(who: Actor | None, plan_region: str | None) -> bool:
    """Whether a reader sees a plan judged on every stored value (drafts included) rather than
    the public's evaluation on published values: an admin, and an analyst or reporter whose
    subtree holds the plan's region (so no draft of another subtree shows through)."""
    if who is None:
        return False
    if who.has([Role.ADMIN]):
        return True
    return plan_region is not None and who.may(READERS_OF_DRAFTS, plan_region)


def check_operator(db: Database, username: str | None) -> None:
    """Refuse a named operator who is not an account (as every write would), before any work."""
    with db.session() as session:
        actor(session, username)


def check_admin(db: Database, username: str | None) -> None:
    """Refuse managing accounts unless ``username`` is an admin (or the installation has none)."""
    with db.session() as session:
        who = actor(session, username)
    if not who.has([Role.ADMIN]):
        raise PermissionDenied(
            f"{who.name} ({_roles(who)}) may not manage accounts",
            message_zh=f"{who.name}（{_roles(who)}）无权管理账户",
        )


def check_list_editor(who: Actor, region_code: str | None) -> None:
    """Revising a basic public service list: an analyst above the list's region, or an admin
    (the national standard and lists of no region: an admin only)."""
    if region_code is None or region_code == NATIONAL_CODE:
        if not who.has([Role.ADMIN]):
            raise PermissionDenied(
                f"{who.name} may not revise a national list (admins only)",
                message_zh=f"{who.name}无权修订全国性清单（仅限管理员）",
            )
        return
    check_review_role(who, [region_code])
