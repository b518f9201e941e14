"""Times on the pages: one instant reads the same whichever zone it was stored in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng.web.formatting import moment, month, number


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


@given(
    st.floats(min_value=1e-6, max_value=0.9999, allow_nan=False), st.sampled_from(["万张", "人"])
)
def test_a_value_below_one_keeps_four_significant_digits(value: float, unit: str) -> None:
    """5,368 张 read in 万张 is 0.5368: two decimals wrote 0.54, three figures fewer."""
    shown = number(value, unit).removesuffix(unit)
    assert float(shown) == pytest.approx(value, rel=5e-4)


@pytest.mark.parametrize(("value", "shown"), [(0.5368, "0.5368万张"), (0.398, "0.398万张"),
                                              (2.4988, "2.5万张"), (6897.0, "6,897万张")])  # fmt: skip
def test_numbers_as_pages_write_them(value: float, shown: str) -> None:
    assert number(value, "万张") == shown
