"""The audit trail as admins and analysts read it: every write, newest first.

Values are never overwritten — each change is a version with who, when and from
where — so the trail of values is read from the versions themselves, each beside
the version it followed (before → after). Every other write (accounts, plans,
mappings, due dates, publishing) is an event recorded in the same transaction as
the write. Both meet here, in one list.
"""

from __future__ import annotations

from datetime import datetime

from minsheng.domain.audit import AuditEntry
from minsheng.domain.regions import NATIONAL_CODE
from minsheng.domain.users import Role
from minsheng.services import permissions
from minsheng.services.regions import region_index
from minsheng.services.users import User
from minsheng.store.database import Database
from minsheng.store.repositories import audit as audit_repo
from minsheng.store.repositories.regions import code_prefix


def audit_trail(
    db: Database,
    user: User,
    region: str | None = None,
    *,
    since: datetime | None = None,
    limit: int = 200,
) -> list[AuditEntry]:
    """The newest ``limit`` writes under ``region`` (default: the reader's own region) that ``user`` may read.

    An admin reads everything (with ``region`` None, events that concern no region too);
    an analyst its own subtree only; nobody else reads the trail.
    """
    with db.session() as session:
        code = region_index(session).resolve(region).code if region else None
        if code is not None:
            permissions.check_audit_reader(user.actor, code)
        elif not user.holds(Role.ADMIN):  # an analyst's own region (a national one: the country)
            own = [g.region_code for g in user.actor.grants if g.role is Role.ANALYST]
            permissions.check_audit_reader(user.actor, (own[0] if own else None) or NATIONAL_CODE)
        if code is None and user.holds(Role.ADMIN):
            prefixes = [""]  # everything, events of no region included
        elif code is not None:
            prefixes = [code_prefix(code)]
        else:  # an analyst's own subtrees
            prefixes = user.actor.prefixes([Role.ANALYST])
        entries = [
            e
            for prefix in prefixes
            for e in audit_repo.events(session, prefix or None, since, limit)
            + audit_repo.value_versions(session, prefix or None, since, limit)
        ]
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]
