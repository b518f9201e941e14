"""Units: a magnitude prefix converts, another base never does; conversions round-trip."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng.units import PREFIXES, convert, same_quantity, unit_factor, unit_ratio

BASES = ["人", "张", "次", "平方米", "元", "个"]
PREFIX = st.sampled_from(["", *(p for p, _ in PREFIXES)])


@given(st.sampled_from(BASES), PREFIX, PREFIX, st.floats(-1e12, 1e12, allow_nan=False))
def test_a_prefix_converts_and_back(base: str, a: str, b: str, value: float) -> None:
    there = convert(value, a + base, b + base)
    assert there is not None
    back = convert(there, b + base, a + base)
    assert back == pytest.approx(value, rel=1e-15, abs=1e-300)


@given(st.sampled_from(BASES), st.sampled_from(BASES), PREFIX, PREFIX)
def test_another_base_never_converts(x: str, y: str, a: str, b: str) -> None:
    if x != y:
        assert unit_ratio(a + x, b + y) is None and not same_quantity(a + x, b + y)


@pytest.mark.parametrize(
    ("given_unit", "wanted", "factor"),
    [("万张", "张", 1e4), ("张", "万张", 1e-4), ("％", "%", 1.0), ("百分比", "%", 1.0),
     (None, "万次", 1.0), ("", "%", 1.0), ("%", "万次", None), ("万平方米", "万个", None)],
)  # fmt: skip
def test_unit_factor(given_unit: str | None, wanted: str, factor: float | None) -> None:
    assert unit_factor(given_unit, wanted) == factor


def test_a_conversion_is_the_nearest_double_to_the_typed_digits() -> None:
    # 6897 × 1e-4 is not 0.6897 in binary; 6897 / 1e4 is
    assert convert(6897.0, "张", "万张") == 0.6897
    assert convert(0.6897, "万张", "张") == 6897.0
