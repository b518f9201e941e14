"""The five-year plans' numbering, both ways: a period's name and a name's period agree."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng.domain.five_year_plans import (
    five_year_name,
    five_year_number,
    five_year_period,
    write_chinese_number,
)


@pytest.mark.parametrize(
    ("number", "period", "name"),
    [
        (1, (1953, 1957), "一五"),
        (2, (1958, 1962), "二五"),
        (3, (1966, 1970), "三五"),
        (10, (2001, 2005), "十五"),
        (11, (2006, 2010), "十一五"),
        (14, (2021, 2025), "十四五"),
        (15, (2026, 2030), "十五五"),
        (20, (2051, 2055), "二十五"),
    ],
)
def test_known_plans(number: int, period: tuple[int, int], name: str) -> None:
    assert five_year_period(number) == period
    assert five_year_number(*period) == number
    assert five_year_name(*period) == name


@given(st.integers(1, 40))
def test_a_plans_period_names_that_plan(number: int) -> None:
    start, end = five_year_period(number)
    assert five_year_number(start, end) == number
    assert five_year_name(start, end) == f"{write_chinese_number(number)}五"


@given(st.integers(1949, 2100), st.integers(0, 10))
def test_a_span_that_is_no_plans_has_no_name(start: int, length: int) -> None:
    number = five_year_number(start, start + length)
    if number is None:
        assert five_year_name(start, start + length) is None
    else:
        assert five_year_period(number) == (start, start + length)


@given(st.integers(1, 99))
def test_a_written_number_reads_back_as_documents_are_read(number: int) -> None:
    from minsheng.ingest.documents.text import chinese_number

    assert chinese_number(write_chinese_number(number)) == number


def test_a_missing_period_has_no_name() -> None:
    assert five_year_name(None, 2030) is None and five_year_name(2026, None) is None
