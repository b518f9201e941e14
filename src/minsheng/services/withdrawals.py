"""Withdrawing a stored value: a value stored under the wrong region, indicator or year is taken back.

Nothing is deleted: the withdrawal is a new version of the value, carrying who, when and
why (the reason is required), so the history shows what was stored and that it was taken
back. From then on every reader finds no value for the key (the scan leaves withdrawn
values out: :mod:`minsheng.store.repositories.withdrawals`), and a value entered again
later is an ordinary new version that becomes current. Whoever may correct a value may
withdraw it, under the same rules: :func:`withdraw_observation` those of
:func:`~minsheng.services.observations.correct_observation` (a reviewed value is a
reviewer's), :func:`withdraw_value` those of the reporting cycle's
:func:`~minsheng.services.reporting.correct_value` (a reporter's own drafts only). The
withdrawal keeps the value's status, as a correction does, so a published value's
withdrawal reaches the published view at once.
"""

from __future__ import annotations

from dataclasses import replace

from minsheng.domain.errors import Conflict, NotFound
from minsheng.domain.observations import ObservationStatus
from minsheng.domain.years import check_year
from minsheng.services import permissions
from minsheng.services.observations import value_versions
from minsheng.services.reporting import ReportedValue, _current
from minsheng.services.users import User
from minsheng.store.database import Database
from minsheng.store.repositories import observations as repo
from minsheng.store.repositories.observations import NewValue, StoredValue


def withdraw_observation(
    db: Database,
    indicator: str,
    region: str,
    year: int,
    user: str | None,
    plan: int | str | None = None,
    reason: str | None = None,
) -> StoredValue:
    """Withdraw the current value of (indicator, region, year): returns the withdrawal's version.

    NotFound when the key holds no value (never stored, or withdrawn already).
    """
    year = check_year(year, "year")
    with db.session() as session:
        probe, key, versions = value_versions(session, plan, indicator, region, year)
        if not versions or versions[-1].withdrawn:
            raise NotFound(
                f"no value of {indicator} for {probe.region_code} in {year} to withdraw",
                message_zh=f"{probe.region_code}{year}年没有“{indicator}”的数值可撤回",
            )
        last = versions[-1]
        permissions.check_entry(session, user, {probe.region_code}, last.status)
        why = permissions.check_withdrawal(reason)
        repo.append_versions(
            session,
            [
                NewValue(
                    key=key,
                    value=last.value,  # what was taken back, for the history
                    unit=last.unit,
                    source=last.source,
                    note=why,
                    synthetic=last.synthetic,
                    status=last.status,
                    bound=last.bound,
                    withdrawn=True,
                )
            ],
            user,
        )
        return repo.history(session, key)[-1]


def withdraw_value(
    db: Database,
    user: User,
    indicator: str,
    region: str,
    year: int,
    *,
    reason: str | None = None,
    plan: int | None = None,
) -> ReportedValue:
    """The reporting cycle's withdrawal (API and pages): the rules of correcting a value there.

    A reporter withdraws its own region's drafts; a submitted, approved or published
    value is withdrawn by an analyst above it (or an administrator), or returned first.
    """
    current = _current(db, user, indicator, region, year, plan)
    permissions.check_enter(user.actor, [current.region])
    if (
        not user.actor.may(permissions.REVIEWERS, current.region)
        and current.status != ObservationStatus.DRAFT.value
    ):
        raise Conflict(
            f"a {current.status} value is withdrawn by an analyst, or returned first",
            message_zh="已提交、审核或发布的数据由上级分析人员撤回，或先退回再撤回",
        )
    stored = withdraw_observation(
        db, current.indicator, current.region, year, user.username, plan=current.plan_id,
        reason=reason,
    )  # fmt: skip
    return replace(
        current,
        id=stored.id,
        version=stored.version,
        entered_by=stored.entered_by,
        entered_at=stored.entered_at,
        note=stored.note,
        withdrawn=True,
    )
