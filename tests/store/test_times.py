"""Moments are stored as UTC and read back aware, whichever write path stored them.

SQLite keeps no offset: the ORM's default stamp and the bulk insert once wrote different
wall clocks (UTC and local time), eight hours apart on a server in UTC+8. The clock here
is set to UTC+8 so that a mix would show.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from minsheng.domain.observations import Observation
from minsheng.services.observations import add_observations, history
from minsheng.services.plans import save_extracted_plan
from minsheng.store.repositories import audit as audit_repo


@pytest.fixture
def east_eight(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_every_write_path_stores_the_same_moment(seeded_db, plan_factory, east_eight) -> None:  # noqa: ANN001
    assert datetime.now().astimezone().utcoffset() == timedelta(hours=8)
    stored = save_extracted_plan(seeded_db, plan_factory())
    name = stored.plan.indicators[0].name
    before = datetime.now(UTC)
    add_observations(seeded_db, stored.id, [Observation(name, "510100", 2022, 81.0)], "li")
    with seeded_db.session() as session:
        audit_repo.record(session, "li", "test.mark", "a mark")
    after = datetime.now(UTC)

    entered = history(seeded_db, name, "510100", 2022)[0].entered_at
    with seeded_db.session() as session:
        marked = next(
            e.at for e in audit_repo.events(session, None, None, 20) if e.action == "test.mark"
        )
    for moment in (entered, marked):
        assert moment is not None and moment.utcoffset() == timedelta(0)
        assert before - timedelta(seconds=1) <= moment <= after + timedelta(seconds=1)


def test_a_time_given_without_offset_is_this_machines_local_time(
    seeded_db, plan_factory, east_eight
) -> None:  # noqa: ANN001
    """Back-filled history: 9 o'clock written by a person in UTC+8 is 1 o'clock UTC."""
    stored = save_extracted_plan(seeded_db, plan_factory())
    name = stored.plan.indicators[0].name
    from minsheng.services.observations import add_observations as add

    obs = Observation(name, "510100", 2021, 80.0, entered_at=datetime(2022, 3, 1, 9, 0))
    add(seeded_db, stored.id, [obs], "li")
    entered = history(seeded_db, name, "510100", 2021)[0].entered_at
    assert entered == datetime(2022, 3, 1, 1, 0, tzinfo=UTC)
