"""Cost of a list by level of government, and what-if: figures worked out by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng.analytics.standards_cost import (
    CostInput,
    Shares,
    cost_items,
    raise_standard,
    shares_from_wording,
)
from minsheng.domain.standard_quantities import parse_standard


def _inputs() -> list[CostInput]:
    return [
        # 1,000 people × 89 元 a year, all local
        CostInput("甲", parse_standard("每人每年不低于89元"), 1000, Shares(local=1.0)),
        # 200 people × 300 元 × 12 months = 720,000, central 80 % / local 20 %
        CostInput(
            "乙",
            parse_standard("每人每月300元"),
            200,
            shares_from_wording("中央财政承担80%，地方承担20%"),
        ),
        # split not stated: unsplit
        CostInput(
            "丙", parse_standard("每生每年1000元"), 50, shares_from_wording("中央和地方共同承担")
        ),
        CostInput("丁", parse_standard("免费"), 1000, None),
        CostInput("戊", parse_standard("按规定执行"), 1000, None),
        CostInput("己", parse_standard("每人每年100元"), None, None),
    ]


def test_cost_by_level_and_budget() -> None:
    result = cost_items(_inputs(), budget=800_000)
    assert [line.cost for line in result.lines] == [89_000, 720_000, 50_000]
    assert result.total == 859_000
    assert result.by_level == pytest.approx(
        {"central": 576_000, "provincial": 0, "local": 89_000 + 144_000, "unsplit": 50_000}
    )
    assert result.over_budget is True
    assert [(n.item, n.why, n.why_zh) for n in result.not_costed] == [
        ("丁", "standard is not money (free)", "服务标准不是金额（免费）"),
        ("戊", "standard states no quantity", "服务标准未表述数量"),
        ("己", "no eligible population", "无受益人数"),
    ]
    unstated = cost_items([CostInput("辛", None, 10, None, stated=False)])
    assert [(n.item, n.why, n.why_zh) for n in unstated.not_costed] == [
        ("辛", "no standard given", "未列服务标准")
    ]


def test_what_if_raise_and_add() -> None:
    raised = raise_standard(_inputs(), "乙", 10)  # 330 元 a month: 200 × 330 × 12 = 792,000
    result = cost_items(raised)
    assert result.lines[1].cost == pytest.approx(792_000)
    assert result.by_level["central"] == pytest.approx(633_600)
    added = [
        *_inputs(),
        CostInput("庚", parse_standard("每人每年20元"), 500, Shares(provincial=1.0)),
    ]
    assert cost_items(added).by_level["provincial"] == 10_000
    with pytest.raises(KeyError):
        raise_standard(_inputs(), "不存在", 10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("地方人民政府负责", Shares(local=1.0)),
        ("中央财政承担", Shares(central=1.0)),
        ("中央与地方按8:2分担", Shares(central=0.8, local=0.2)),
        (
            "中央承担60%，省级承担30%，其余由市县承担",
            Shares(central=0.6, provincial=0.3, local=0.1),
        ),
        ("中央和地方共同承担", None),
        ("按现行政策执行", None),
        (None, None),
    ],
)
def test_shares_from_wording(text: str | None, expected: Shares | None) -> None:
    got = shares_from_wording(text)
    if expected is None:
        assert got is None
    else:
        assert got is not None
        assert (got.central, got.provincial, got.local) == pytest.approx(
            (expected.central, expected.provincial, expected.local)
        )


@given(central=st.integers(min_value=0, max_value=100))
def test_stated_percentages_read_back(central: int) -> None:
    got = shares_from_wording(f"中央财政承担{central}%，地方承担{100 - central}%")
    assert got is not None
    assert (got.central, got.provincial, got.local) == pytest.approx(
        (central / 100, 0, (100 - central) / 100)
    )


@given(
    population=st.integers(min_value=0, max_value=10**8),
    monthly=st.integers(min_value=1, max_value=10**4),
    central=st.integers(min_value=0, max_value=100),
    percent=st.floats(min_value=-50, max_value=200, allow_nan=False),
)
def test_cost_is_conserved_across_levels_and_scales_with_a_raise(
    population: int, monthly: int, central: int, percent: float
) -> None:
    shares = Shares(central=central / 100, local=1 - central / 100)
    inputs = [CostInput("甲", parse_standard(f"每人每月{monthly}元"), population, shares)]
    base = cost_items(inputs)
    assert base.total == population * monthly * 12
    assert sum(base.by_level.values()) == pytest.approx(base.total)
    raised = cost_items(raise_standard(inputs, "甲", percent))
    assert raised.total == pytest.approx(base.total * (1 + percent / 100))


def test_a_daily_amount_is_not_costed_as_365_days() -> None:
    """每生每天5元 (a school meal, paid on school days) was costed as 1,825 元 a year."""
    result = cost_items(
        [
            CostInput("营养改善", parse_standard("每生每天5元"), 25_000, Shares(central=1.0)),
            CostInput("补助", parse_standard("每人每月300元"), 10, Shares(local=1.0)),
        ]
    )
    assert [line.item for line in result.lines] == ["补助"]
    [skipped] = result.not_costed
    assert skipped.item == "营养改善" and "daily amount" in skipped.why
    assert "每年金额" in skipped.why_zh
