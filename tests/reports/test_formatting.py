"""The one number formatter every renderer uses: what it writes reads back as the number."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from minsheng.reports.formatting import LABEL_CODES, cell, colours_of, number, percent

finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)


@given(finite, st.integers(min_value=0, max_value=4))
def test_a_number_reads_back_within_its_precision(value: float, digits: int) -> None:
    text = number(value, digits)
    assert not text.endswith(".") and ("." not in text or not text.endswith("0"))
    assert math.isclose(float(text.replace(",", "")), round(value, digits), abs_tol=10**-digits)


@given(st.floats(min_value=-10, max_value=10, allow_nan=False))
def test_a_share_is_a_percentage_with_one_decimal(share: float) -> None:
    text = percent(share)
    assert text.endswith("%")
    assert math.isclose(float(text[:-1].replace(",", "")), share * 100, abs_tol=0.05 + 1e-9)


def test_missing_values_are_a_dash_and_cells_follow_their_column() -> None:
    assert number(None) == percent(None) == cell(None) == cell(float("nan"), "number") == "—"
    assert cell(0.6, "percent", 1) == "60%"
    assert cell(2025.0, "year") == "2025"
    assert cell(7834.2854, "number", 2) == "7,834.29"
    assert cell("【12】", "text") == "【12】"


def test_every_status_and_grade_word_has_its_colour() -> None:
    assert set(LABEL_CODES) >= {
        "已实现",
        "进度正常",
        "进度滞后",
        "逆向变化",
        "缺数据",
        "完成",
        "未完成",
    }
    assert all(colours_of(label) for label in LABEL_CODES)
    assert colours_of("预期性") is None and colours_of(None) is None
