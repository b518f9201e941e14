"""Derived values go only to an indicator meant for them, and never version over another source."""

from __future__ import annotations

import pytest

from minsheng.domain.errors import Conflict, InvalidData
from minsheng.domain.observations import Observation
from minsheng.services.derived_measures import ACCESS_SOURCE, store_derived
from minsheng.services.observations import add_observation, history
from minsheng.services.plans import save_extracted_plan

SOURCE = f"{ACCESS_SOURCE} coverage"


def shares(name: str, value: float = 62.5) -> list[Observation]:
    return [Observation(name, "510104", 2024, value, "%", SOURCE, note="r=1000 m")]


# (indicator named, new?, replace?, a reported value already there?) → error or the stored series
CASES = [
    pytest.param("ED01", False, False, False, Conflict, id="catalogue-statistic-refused"),
    pytest.param("ED01", False, True, False, "ED01", id="catalogue-statistic-with-replace"),
    pytest.param("学前教育毛入园率", True, False, False, Conflict, id="new-name-of-a-statistic"),
    pytest.param("15分钟托育服务覆盖率", True, False, False, "DM01", id="new-indicator-made"),
    pytest.param("ED01", False, True, True, "ED01", id="over-another-source-with-replace"),
    pytest.param("没有这个指标", False, False, False, Exception, id="unknown-indicator"),
]


@pytest.mark.parametrize(("name", "new", "replace", "reported", "expected"), CASES)
def test_derived_values_go_where_they_belong(
    seeded_db, name, new, replace, reported, expected
) -> None:
    if reported:
        add_observation(seeded_db, "ED01", "510104", 2024, 88.0, "stats", source="统计公报")
    if isinstance(expected, type):
        with pytest.raises(expected):
            store_derived(seeded_db, shares(name), user="wang", new=new, replace_values=replace)
        return
    stored = store_derived(seeded_db, shares(name), user="wang", new=new, replace_values=replace)
    assert stored.indicator == expected and stored.created == new
    latest = history(seeded_db, expected, "510104", 2024)[-1]
    assert (latest.value, latest.source, latest.entered_by, latest.note) == (
        62.5,
        SOURCE,
        "wang",
        "r=1000 m",
    )
    assert len(history(seeded_db, expected, "510104", 2024)) == (2 if reported else 1)


def test_a_new_indicator_is_found_again_and_versioned_by_its_own_source(seeded_db) -> None:
    first = store_derived(seeded_db, shares("15分钟托育服务覆盖率"), new=True)
    again = store_derived(seeded_db, shares("15分钟托育服务覆盖率", 70.0), new=True)
    assert (first.created, again.created, again.indicator) == (True, False, first.indicator)
    assert [v.value for v in history(seeded_db, first.indicator, "510104", 2024)] == [62.5, 70.0]


def test_a_plans_own_indicator_is_not_versioned_over_another_source(
    seeded_db, plan_factory
) -> None:
    stored = save_extracted_plan(seeded_db, plan_factory())
    name = stored.plan.indicators[2].name  # unmapped: the plan's own series
    add_observation(seeded_db, name, "510104", 2024, 1.9, "li", plan=stored.id, source="区卫健委")
    with pytest.raises(Conflict, match="区卫健委"):
        store_derived(seeded_db, shares(name), plan=stored.id)
    done = store_derived(seeded_db, shares(name), plan=stored.id, replace_values=True)
    assert (done.indicator, done.corrected) == (name, 1)


def test_a_new_indicator_needs_a_domain_it_can_name(seeded_db) -> None:
    with pytest.raises(InvalidData, match="--domain"):
        store_derived(seeded_db, shares("15分钟覆盖率"), new=True)
    done = store_derived(seeded_db, shares("15分钟覆盖率"), new=True, domain="幼有所育")
    assert done.created
