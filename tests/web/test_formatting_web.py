"""Times on the pages: one instant reads the same whichever zone it was stored in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from minsheng.web.formatting import moment, month


def test_an_instant_is_written_in_beijing_time() -> None:
    assert moment(datetime(2026, 11, 30, 17, 5, 9, tzinfo=UTC)) == "2026-12-01 01:05:09"
    assert month(datetime(2026, 11, 30, 17, 5, tzinfo=UTC)) == "2026年12月"
    assert moment(None) == "—"


@given(
    instant=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                         timezones=st.just(UTC)),
    hours=st.integers(-12, 14),
)  # fmt: skip
def test_the_zone_it_was_stored_in_does_not_change_what_is_shown(instant, hours) -> None:  # noqa: ANN001
    elsewhere = instant.astimezone(timezone(timedelta(hours=hours)))
    assert moment(elsewhere) == moment(instant)
