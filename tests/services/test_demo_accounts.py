"""The demo accounts: created once with the given password, kept on a second run."""

from __future__ import annotations

from minsheng.domain.users import Role
from minsheng.services.demo_accounts import ensure_demo_accounts
from minsheng.services.users import authenticate


def test_demo_accounts_are_created_once(seeded_db) -> None:  # noqa: ANN001
    created, password = ensure_demo_accounts(seeded_db, "demo-pass-1")
    assert created == ["admin", "analyst-500000", "reporter-500118", "reporter-500116"]
    assert password == "demo-pass-1"
    reporter = authenticate(seeded_db, "reporter-500118", "demo-pass-1")
    assert reporter.role is Role.REPORTER and reporter.region_code == "500118"
    assert authenticate(seeded_db, "analyst-500000", "demo-pass-1").region_code == "500000"
    again, password = ensure_demo_accounts(seeded_db, "other")
    assert again == [] and password is None
    assert authenticate(seeded_db, "admin", "demo-pass-1").role is Role.ADMIN


def test_a_password_is_generated_when_none_is_given(seeded_db) -> None:  # noqa: ANN001
    created, password = ensure_demo_accounts(seeded_db, None)
    assert created and password and len(password) >= 12
    assert authenticate(seeded_db, "reporter-500116", password).region_code == "500116"
