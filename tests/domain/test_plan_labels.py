"""A plan whose document states no title is listed by a label that says so, never a made-up title."""

from __future__ import annotations

import pytest

from minsheng.domain.plans import PlanMetadata


def test_a_stated_title_is_the_label() -> None:
    meta = PlanMetadata(title="示例省“十四五”公共服务规划", region_name="示例省")
    assert meta.label("plan.txt") == "示例省“十四五”公共服务规划"


@pytest.mark.parametrize(
    ("meta", "region", "expected"),
    [
        (
            PlanMetadata(region_name="四川省", period_start=2021, period_end=2025),
            None,
            "四川省2021–2025年规划（原文无标题：plan.txt）",
        ),
        (
            PlanMetadata(period_start=2021, period_end=2025),
            "永川区",
            "永川区2021–2025年规划（原文无标题：plan.txt）",
        ),
        (PlanMetadata(), None, "地区未明规划（原文无标题：plan.txt）"),
    ],
    ids=["region-and-period", "the-stored-region", "nothing-known"],
)
def test_no_title_gives_a_label_of_what_is_known(
    meta: PlanMetadata, region: str | None, expected: str
) -> None:
    assert meta.label("plan.txt", region) == expected


def test_no_title_and_no_file_still_says_so() -> None:
    assert PlanMetadata(region_name="四川省").label(None) == "四川省规划（原文无标题：来源未记）"
