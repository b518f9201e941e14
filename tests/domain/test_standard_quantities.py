"""Reading quantities out of 服务标准 text: examples and hypothesis properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng.domain.standard_quantities import (
    PERIODS_PER_YEAR,
    Bound,
    Kind,
    is_lower,
    parse_standard,
)


@pytest.mark.parametrize(
    ("text", "kind", "amount", "period", "per", "bound"),
    [
        ("城乡居民每人每年不低于89元", Kind.MONEY, 89, "year", "人", Bound.AT_LEAST),
        ("每月300元", Kind.MONEY, 300, "month", None, Bound.EXACT),
        ("每生每年2000元", Kind.MONEY, 2000, "year", "生", Bound.EXACT),
        ("89元/人/年", Kind.MONEY, 89, "year", "人", Bound.EXACT),
        ("每人每月1,200元以上", Kind.MONEY, 1200, "month", "人", Bound.AT_LEAST),
        ("一次性补助0.5万元", Kind.MONEY, 5000, None, None, Bound.EXACT),
        ("不低于95%", Kind.SHARE, 95, None, None, Bound.AT_LEAST),
        ("每年至少1次", Kind.COUNT, 1, "year", None, Bound.AT_LEAST),
        ("免费", Kind.FREE, None, None, None, Bound.EXACT),
        ("全覆盖", Kind.COVERAGE, 100, None, None, Bound.EXACT),
    ],
)
def test_examples(text, kind, amount, period, per, bound) -> None:  # noqa: ANN001
    q = parse_standard(text)
    assert q is not None
    assert (q.kind, q.amount, q.period, q.per, q.bound, q.text) == (
        kind,
        amount,
        period,
        per,
        bound,
        text,
    )


def test_who_it_applies_to_and_text_kept() -> None:
    q = parse_standard("城乡居民每人每年不低于89元")
    assert q is not None and q.applies_to == "城乡居民" and q.yearly_amount == 89


@pytest.mark.parametrize("text", [None, "", "  ", "按国家规定执行", "逐步提高保障水平"])
def test_text_without_a_quantity_stays_text(text: str | None) -> None:
    assert parse_standard(text) is None


PERIOD_WORDS = {"年": "year", "月": "month", "季度": "quarter", "日": "day"}


@given(
    amount=st.integers(min_value=1, max_value=10**7),
    period=st.sampled_from(sorted(PERIOD_WORDS)),
    per=st.sampled_from(["人", "生", "户"]),
    at_least=st.booleans(),
)
def test_money_phrases_read_back(amount: int, period: str, per: str, at_least: bool) -> None:
    text = f"每{per}每{period}{'不低于' if at_least else ''}{amount}元"
    q = parse_standard(text)
    assert q is not None and q.kind is Kind.MONEY
    assert q.amount == amount and q.period == PERIOD_WORDS[period] and q.per == per
    assert q.bound is (Bound.AT_LEAST if at_least else Bound.EXACT)
    assert q.yearly_amount == amount * PERIODS_PER_YEAR[PERIOD_WORDS[period]]
    assert q.text == text


@given(st.text(max_size=60))
def test_never_crashes_and_keeps_the_text(text: str) -> None:
    q = parse_standard(text)
    assert q is None or q.text == text


@given(
    a=st.integers(min_value=1, max_value=10**6),
    b=st.integers(min_value=1, max_value=10**6),
)
def test_lower_is_a_strict_order_on_yearly_money(a: int, b: int) -> None:
    qa, qb = parse_standard(f"每人每月{a}元"), parse_standard(f"每人每年{b}元")
    assert qa is not None and qb is not None
    assert is_lower(qa, qb) == (a * 12 < b)
    assert not (is_lower(qa, qb) and is_lower(qb, qa))


def test_unlike_kinds_are_not_compared() -> None:
    money, share = parse_standard("每月300元"), parse_standard("不低于95%")
    assert money is not None and share is not None
    assert is_lower(money, share) is None
