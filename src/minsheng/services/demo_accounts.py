"""The demo's accounts (issue 10): an admin, the 重庆市 analyst and two county reporters.

The password comes from ``MINSHENG_DEMO_PASSWORD`` when set, else one is generated
and printed once; accounts already there are kept (their passwords untouched).
"""

from __future__ import annotations

import secrets

from minsheng.domain.errors import NotFound
from minsheng.domain.users import Role
from minsheng.services.users import create_user, get_user
from minsheng.store.database import Database

DEMO_ACCOUNTS = (
    ("admin", Role.ADMIN, None),
    ("analyst-500000", Role.ANALYST, "500000"),
    ("reporter-500118", Role.REPORTER, "500118"),
    ("reporter-500116", Role.REPORTER, "500116"),
)


def ensure_demo_accounts(db: Database, password: str | None) -> tuple[list[str], str | None]:
    """Create the demo accounts that are missing; returns (new usernames, the password used)."""
    chosen = password or secrets.token_urlsafe(9)
    created = []
    for username, role, region in DEMO_ACCOUNTS:
        try:
            get_user(db, username)
        except NotFound:
            create_user(db, username, chosen, role, region=region)
            created.append(username)
    return created, (chosen if created else None)
