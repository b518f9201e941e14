"""What values an indicator can take, read from its kind (name and unit), for any indicator."""

from __future__ import annotations

import pytest

from minsheng.data.catalogue import load_catalogue
from minsheng.domain.indicators import is_change, plausible_range, value_range
from minsheng.services.catalogue import plausible_bounds


@pytest.mark.parametrize(
    ("name", "percent", "expected"),
    [
        ("基本医疗保险参保率", True, (0.0, None)),  # a rate: above 100 only implausible
        ("养老机构护理型床位占比", True, (0.0, 100.0)),
        ("城镇常住人口比重", True, (0.0, 100.0)),
        ("义务教育学校专任教师本科以上学历比例", True, (0.0, 100.0)),
        ("高中阶段教育毛入学率", True, (0.0, None)),  # gross: pupils of any age
        ("规划目标完成率", True, (0.0, None)),  # achievement may pass the plan
        ("病床使用率", True, (0.0, None)),  # use against capacity
        ("每千人口拥有注册护士数", False, (0.0, None)),  # per capita
        ("养老服务床位总量", False, (0.0, None)),  # a count
        ("人均体育场地面积", False, (0.0, None)),  # an area
        ("城镇新增就业人数", False, (0.0, None)),  # 新增 counts new jobs: not a net change
        ("居民人均可支配收入增长", True, (None, None)),  # changes may be negative
        ("一般公共预算收入年均增速", True, (None, None)),
        ("单位GDP能耗下降", True, (None, None)),
        ("人口净流入", False, (None, None)),
    ],
)
def test_value_range_follows_the_kind(
    name: str, percent: bool, expected: tuple[float | None, float | None]
) -> None:
    assert value_range(name, percent=percent) == expected
    assert is_change(name) == (expected[0] is None)


def test_the_catalogue_bounds_come_from_the_same_rule() -> None:
    """Every shipped catalogue indicator: no negative level, shares ≤ 100 (gross ones open)."""
    for indicator in load_catalogue():
        lower, upper = plausible_bounds(indicator)
        assert (lower, upper) == plausible_range(indicator.name, percent=indicator.unit == "%")
        assert lower == 0.0, indicator.name  # the shipped catalogue holds levels only
        if indicator.unit == "%":
            assert upper == (None if "毛" in indicator.name else 100.0), indicator.name


@pytest.mark.parametrize(
    ("name", "hard", "plausible"),
    [("九年义务教育巩固率", (0.0, None), (0.0, 100.0)),  # in-migration passes 100: asked, not refused
     ("养老机构护理型床位占比", (0.0, 100.0), (0.0, 100.0)),
     ("高中阶段教育毛入学率", (0.0, None), (0.0, None))],
)  # fmt: skip
def test_a_rate_above_100_is_implausible_a_share_impossible(
    name: str, hard: tuple, plausible: tuple
) -> None:
    assert value_range(name, percent=True) == hard
    assert plausible_range(name, percent=True) == plausible
