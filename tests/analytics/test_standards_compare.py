"""Comparing a local list with a reference: hand-built lists whose answers are worked out by hand."""

from __future__ import annotations

from rapidfuzz import fuzz

from minsheng.analytics.standards_compare import compare_items, similarity
from minsheng.domain.standards import StandardItem


def _item(name: str, standard: str | None = None) -> StandardItem:
    return StandardItem("幼有所育", name, standard=standard)


REFERENCE = [
    _item("农村免费孕前优生健康检查", "免费"),
    _item("基本避孕服务", "免费"),
    _item("城乡居民基本养老保险", "每人每月不低于93元"),
    _item("儿童健康管理", "每年至少1次"),
]
LOCAL = [
    _item("基本避孕服务", "免费"),  # same name
    _item("免费孕前优生健康检查", "免费"),  # renamed: 10 of 12 characters shared
    _item("城乡居民基本养老保险", "每人每月80元"),  # lower: 80 < 93 a month
    _item("社区嵌入式托育服务", "每月300元"),  # added locally
]


def test_missing_added_renamed_and_lower() -> None:
    # Indel ratio of a 10-character name inside a 12-character one: 2·10/(10+12) = 90.9
    assert round(similarity("免费孕前优生健康检查", "农村免费孕前优生健康检查"), 1) == 90.9
    result = compare_items(LOCAL, REFERENCE, threshold=90)
    pairs = {(m.local.item, m.reference.item, m.how) for m in result.matched}
    assert pairs == {
        ("基本避孕服务", "基本避孕服务", "same name"),
        ("免费孕前优生健康检查", "农村免费孕前优生健康检查", "fuzzy"),
        ("城乡居民基本养老保险", "城乡居民基本养老保险", "same name"),
    }
    assert [i.item for i in result.missing] == ["儿童健康管理"]
    assert [i.item for i in result.added] == ["社区嵌入式托育服务"]
    [lower] = result.lower
    assert lower.local.item == "城乡居民基本养老保险"
    assert (lower.local_quantity.yearly_amount, lower.reference_quantity.yearly_amount) == (
        960,
        1116,
    )
    assert result.unparsed_standards == 0


def test_a_near_miss_stays_a_suggestion_until_confirmed() -> None:
    result = compare_items(LOCAL, REFERENCE, threshold=95)
    assert "免费孕前优生健康检查" in [i.item for i in result.added]
    assert "农村免费孕前优生健康检查" in [i.item for i in result.missing]
    [suggestion] = [s for s in result.suggestions if s.local.item == "免费孕前优生健康检查"]
    assert suggestion.reference.item == "农村免费孕前优生健康检查"
    assert suggestion.score < 95
    confirmed = compare_items(
        LOCAL, REFERENCE, {("免费孕前优生健康检查", "农村免费孕前优生健康检查"): True}, threshold=95
    )
    assert ("免费孕前优生健康检查", "confirmed") in {
        (m.local.item, m.how) for m in confirmed.matched
    }
    assert "农村免费孕前优生健康检查" not in [i.item for i in confirmed.missing]


def test_a_rejected_pair_never_matches_even_above_the_threshold() -> None:
    rejected = compare_items(
        LOCAL,
        REFERENCE,
        {("免费孕前优生健康检查", "农村免费孕前优生健康检查"): False},
        threshold=80,
    )
    assert "免费孕前优生健康检查" in [i.item for i in rejected.added]


def test_unparsed_standards_are_counted_and_not_compared() -> None:
    local = [_item("基本避孕服务", "按国家规定执行"), _item("儿童健康管理", "每年至少1次")]
    result = compare_items(local, REFERENCE)
    assert result.unparsed_standards == 1
    assert result.lower == []


def test_similarity_is_rapidfuzz_ratio_on_folded_names() -> None:
    assert similarity("基本 避孕服务。", "基本避孕服务") == 100
    assert similarity("甲乙", "丙丁") == fuzz.ratio("甲乙", "丙丁") == 0


def test_each_pair_is_below_at_above_or_not_comparable() -> None:
    reference = [
        _item("甲", "每人每月100元"),  # 1,200 a year
        _item("乙", "每人每年1200元"),
        _item("丙", "不低于90%"),
        _item("丁", "免费"),
        _item("戊", "每年至少2次"),
    ]
    local = [
        _item("甲", "每人每年1200元"),  # 1,200 = 100 × 12: at
        _item("乙", "每人每月90元"),  # 1,080 < 1,200: below
        _item("丙", "不低于95%"),  # 95 > 90: above
        _item("丁", "每人每年50元"),  # money against 免费: not comparable
        _item("戊", "全覆盖"),  # coverage against a count: not comparable
    ]
    result = compare_items(local, reference)
    assert [p.local.item for p in result.equal] == ["甲"]
    assert [p.local.item for p in result.lower] == ["乙"]
    assert [p.local.item for p in result.higher] == ["丙"]
    assert [m.local.item for m in result.not_comparable] == ["丁", "戊"]
