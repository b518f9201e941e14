"""`minsheng demo` run a second time, on a database that holds accounts by then."""

from __future__ import annotations


def test_the_demo_builds_again_once_accounts_exist(demo_settings, accounts) -> None:  # noqa: ANN001
    from minsheng.services.demo import build_demo, find_shared_dir
    from minsheng.services.plans import list_plans
    from minsheng.store.database import Database

    db = Database(demo_settings.database_url)
    try:
        before = {p.id for p in list_plans(db)}
        build = build_demo(db, find_shared_dir())  # the accounts fixture has added users
        assert {p.id for p in list_plans(db)} == before  # plans kept, not stored twice
        assert build.real_observations == 0  # the statistics are in already
    finally:
        db.dispose()
