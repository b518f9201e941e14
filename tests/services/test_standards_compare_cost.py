"""Comparison with the national and higher-level seeded_db, remembered confirmations, and cost."""

from __future__ import annotations

from pathlib import Path

import pytest

from minsheng.domain.errors import InvalidData, NotFound
from minsheng.domain.standards import StandardItem, StandardList
from minsheng.services.regions import set_populations
from minsheng.services.standards import list_summaries, record_list
from minsheng.services.standards_compare import compare_list, confirm_match
from minsheng.services.standards_cost import cost_list
from minsheng.store.database import Database
from minsheng.store.repositories.populations import Population


def _list(db: Database, region: str, name: str, *items: tuple[str, str | None]) -> int:
    standard = StandardList(
        name,
        "1",
        region,
        [StandardItem("老有所养", n, standard=s) for n, s in items],
        author="wang",
        reason="首版",
    )
    return record_list(db, standard).id


def test_compare_with_the_higher_level_list(seeded_db) -> None:
    _list(
        seeded_db,
        "500000",
        "市级清单",
        ("城乡居民基本养老保险", "每人每月不低于100元"),
        ("老年人健康管理", "每年1次"),
        ("高龄津贴", "每人每月50元"),
    )
    county = _list(
        seeded_db,
        "500118",
        "区级清单",
        ("城乡居民基本养老保险", "每人每月90元"),  # lower than 100
        ("老年人健康管理服务", "每年2次"),  # reworded, not lower
        ("助餐服务", None),  # added
    )
    result = compare_list(seeded_db, county, "higher", threshold=85)
    assert result.reference.name == "市级清单"
    c = result.comparison
    assert {(m.local.item, m.reference.item) for m in c.matched} == {
        ("城乡居民基本养老保险", "城乡居民基本养老保险"),
        ("老年人健康管理服务", "老年人健康管理"),  # 2·7/(7+9) = 87.5
    }
    assert [i.item for i in c.missing] == ["高龄津贴"]
    assert [i.item for i in c.added] == ["助餐服务"]
    assert [low.local.item for low in c.lower] == ["城乡居民基本养老保险"]


def test_a_confirmation_is_remembered_across_a_restart(seeded_db) -> None:
    _list(seeded_db, "500000", "市级清单", ("老年人健康管理", "每年1次"))
    county = _list(seeded_db, "500118", "区级清单", ("老年人健康管理服务", "每年1次"))
    before = compare_list(seeded_db, county, "higher", threshold=95)
    [suggestion] = before.comparison.suggestions
    assert (suggestion.local.item, suggestion.reference.item) == (
        "老年人健康管理服务",
        "老年人健康管理",
    )
    assert before.comparison.matched == []
    confirm_match(seeded_db, "老年人健康管理服务", "老年人健康管理", "li")
    url = seeded_db.url
    seeded_db.dispose()
    reopened = Database(url)
    try:
        after = compare_list(reopened, county, "higher", threshold=95)
        [match] = after.comparison.matched
        assert match.how == "confirmed" and after.comparison.missing == []
    finally:
        reopened.dispose()


def test_compare_with_the_shipped_national_standard(seeded_db) -> None:
    county = _list(seeded_db, "500118", "区级清单", ("免费孕前优生健康检查", "免费"))
    result = compare_list(seeded_db, county, "national")
    assert result.reference.version == "2"
    assert result.note is not None and str(len(result.reference.items)) in result.note
    [match] = result.comparison.matched
    assert match.reference.item == "农村免费孕前优生健康检查" and match.how == "fuzzy"
    assert "增补叶酸预防神经管缺陷服务" in [i.item for i in result.comparison.missing]
    older = compare_list(seeded_db, county, "national", national_version="1")
    assert "增补叶酸预防神经管缺陷服务" not in [i.item for i in older.comparison.missing]


def test_no_higher_list_is_a_clear_error(seeded_db) -> None:
    county = _list(seeded_db, "500118", "区级清单", ("甲", None))
    with pytest.raises(NotFound):
        compare_list(seeded_db, county, "higher")
    with pytest.raises(InvalidData):
        compare_list(seeded_db, county, "sideways")


def test_cost_with_stored_population_a_user_table_a_budget_and_what_if(
    seeded_db, tmp_path: Path
) -> None:
    county = record_list(
        seeded_db,
        StandardList(
            "区级清单",
            "1",
            "500118",
            [
                StandardItem(
                    "病有所医",
                    "基本公共卫生服务",
                    served="城乡居民",
                    standard="每人每年不低于89元",
                    spending_responsibility="中央财政承担80%，地方承担20%",
                ),
                StandardItem(
                    "老有所养",
                    "高龄津贴",
                    served="80周岁以上老年人",
                    standard="每人每月50元",
                    spending_responsibility="区县财政负责",
                ),
                StandardItem(
                    "弱有所扶", "困难残疾人生活补贴", served="困难残疾人", standard="每人每月100元"
                ),
            ],
            author="wang",
        ),
    ).id
    set_populations(seeded_db, [Population("500118", 2023, 1_000_000, "统计年鉴")])
    table = tmp_path / "cost.csv"
    table.write_text("服务项目,受益人数,中央,省级,市县\n高龄津贴,30000,,,\n", encoding="utf-8")
    result = cost_list(
        seeded_db, county, "500118", 2023, budget=100_000_000, table=table, raises={"高龄津贴": 20}
    )
    # 1,000,000 × 89 = 89,000,000 (80/20); 30,000 × 50 × 12 = 18,000,000 (local)
    base = result.baseline
    assert [line.cost for line in base.lines] == [89_000_000, 18_000_000]
    assert base.by_level == pytest.approx(
        {"central": 71_200_000, "provincial": 0, "local": 17_800_000 + 18_000_000, "unsplit": 0}
    )
    assert base.over_budget is True  # 107,000,000 > 100,000,000
    assert [n.item for n in base.not_costed] == ["困难残疾人生活补贴"]
    # what-if: 高龄津贴 +20 % → 30,000 × 60 × 12 = 21,600,000
    assert result.scenario is not None
    assert result.scenario.total == pytest.approx(89_000_000 + 21_600_000)


def test_cost_needs_a_known_region_and_known_items(seeded_db, tmp_path: Path) -> None:
    county = _list(seeded_db, "500118", "区级清单", ("甲", "每人每年10元"))
    with pytest.raises(NotFound):
        cost_list(seeded_db, county, "999999", 2023)
    table = tmp_path / "cost.csv"
    table.write_text("服务项目,受益人数\n乙,10\n", encoding="utf-8")
    with pytest.raises(InvalidData):
        cost_list(seeded_db, county, "500118", 2023, table=table)
    with pytest.raises(NotFound):
        cost_list(seeded_db, county, "500118", 2023, raises={"乙": 5})


def test_higher_follows_the_plan_link_before_the_region_tree(seeded_db, plan_factory) -> None:
    from dataclasses import replace

    from minsheng.domain.plans import ServiceListEntry
    from minsheng.services.plans import save_extracted_plan, set_higher_plan

    province = plan_factory(region_code="510000", title="某省规划")
    province = replace(
        province, services=[ServiceListEntry("幼有所育", ["基本避孕服务", "儿童健康管理"], None, 2)]
    )
    county = plan_factory(region_code="510104", title="某区规划")
    county = replace(county, services=[ServiceListEntry("幼有所育", ["基本避孕服务"], None, 1)])
    higher = save_extracted_plan(seeded_db, province)
    lower = save_extracted_plan(seeded_db, county)
    # a list of the region in between (成都市) that the plan link must win over
    _list(seeded_db, "510100", "市级清单", ("别的项目", None))
    set_higher_plan(seeded_db, lower.id, higher.id)
    county_list = next(s for s in list_summaries(seeded_db) if s.name.startswith("某区规划"))
    result = compare_list(seeded_db, county_list.id, "higher")
    assert result.reference.name.startswith("某省规划")
    assert [i.item for i in result.comparison.missing] == ["儿童健康管理"]
    set_higher_plan(seeded_db, lower.id, None)
    assert compare_list(seeded_db, county_list.id, "higher").reference.name == "市级清单"
