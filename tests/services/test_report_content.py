"""A report's table of the values it used is the evaluation's reading, value for value.

The appendix of a report lists each value with its source and version. It once ran a
query of its own with the evaluation's rules copied in; two readers agree only until
one of them changes. Here a city's plan holds every case those rules decide: a mapped
row whose region still has its own series left over (a conflict kept aside when it was
mapped), values entered in 万张 for a row in 张, a corrected value, a value of another
quantity in a shared series, a neighbour's value and one for a year after the report's.
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl
import pytest
from sqlalchemy import select

from minsheng.domain.indicators import Nature
from minsheng.services.observations import CATALOGUE, add_observation
from minsheng.services.plans import confirm_mapping, load_plan_observations, save_extracted_plan
from minsheng.services.report_content import report_content
from minsheng.store.models import ObservationVersionRow, RegionRow

BEDS = "养老服务床位总量"  # catalogue EL04, in 万张
RATE = "学前教育毛入园率"  # catalogue ED01, in %
YEAR = 2024


@pytest.fixture
def city(seeded_db, plan_factory, indicator_factory):  # noqa: ANN001, ANN201 - (db, stored city plan)
    db = seeded_db

    def with_beds(region: str, title: str, unit: str, first_unmapped: bool):  # noqa: ANN202
        plan = plan_factory(region, title)
        beds = indicator_factory(
            5, BEDS, unit, "1", "2", Nature.ANTICIPATORY, domain="五、老有所养",
            canonical_code="EL04",
        )  # fmt: skip
        rows = list(plan.indicators)
        if first_unmapped:
            rows[0] = replace(rows[0], canonical_code=None, match_score=None)
        return replace(plan, indicators=[*rows, beds])

    province = save_extracted_plan(db, with_beds("510000", "示例省规划", "万张", False))
    city = save_extracted_plan(db, with_beds("510100", "示例市规划", "张", True))
    names = [i.name for i in city.plan.indicators]
    assert names[0] == RATE and city.plan.indicators[0].canonical_code is None
    enrolment, places = names[1], names[2]  # ED02 (mapped) and a row of the plan's own

    # the rate, entered in the plan's own series, then mapped: 2021 moves into ED01's
    # series, 2022 conflicts with the catalogue's value and stays behind, left over
    add_observation(db, RATE, "510100", 2021, 85.0, "wang", plan=city.id, source="市教育局")
    add_observation(db, RATE, "510100", 2022, 88.0, "wang", plan=city.id, source="市教育局")
    add_observation(db, "ED01", "510100", 2022, 90.5, "stat", plan=CATALOGUE, source="统计年鉴")
    mapped = confirm_mapping(db, city.indicator_ids[0], "ED01")
    assert (mapped.count("conflict"), len(mapped.moves)) == (1, 2)

    # a mapped row: a correction, a neighbour's value, a year after the report's
    add_observation(db, enrolment, "510100", 2022, 95.0, "wang", plan=city.id)
    add_observation(db, enrolment, "510100", 2023, 95.5, "wang", plan=city.id)
    add_observation(db, enrolment, "510100", 2023, 95.8, "wang", plan=city.id, note="更正")
    add_observation(db, enrolment, "510100", 2025, 96.0, "wang", plan=city.id)
    add_observation(db, enrolment, "510000", 2023, 94.0, "li", plan=province.id)
    # a row of the plan's own
    add_observation(db, places, "510100", 2022, 2.1, "wang", plan=city.id)
    add_observation(db, places, "510100", 2023, 2.6, "wang", plan=city.id, synthetic=True)

    # beds: entered in 万张 through the province's plan and through the city's own
    add_observation(db, BEDS, "510100", 2022, 0.6897, "li", plan=province.id)
    add_observation(db, BEDS, "510100", 2023, 0.7123, "wang", plan=city.id, unit="万张")
    with db.session() as session:  # a % in the series of beds, as an older release stored it
        region_id = session.scalars(select(RegionRow.id).where(RegionRow.code == "510100")).one()
        canonical_id = session.scalars(
            select(ObservationVersionRow.canonical_id).where(
                ObservationVersionRow.region_id == region_id,
                ObservationVersionRow.year == 2022,
                ObservationVersionRow.unit == "万张",
            )
        ).one()
        session.add(
            ObservationVersionRow(
                plan_indicator_id=None, canonical_id=canonical_id, region_id=region_id,
                year=2024, value=3.2, unit="%", version=1, status="submitted", synthetic=False,
            )
        )  # fmt: skip
    return db, city


def _by_key(frame: pl.DataFrame) -> dict[tuple[int, int], float]:
    return {(p, y): v for p, y, v in frame.select("plan_indicator_id", "year", "value").rows()}


def test_the_reports_values_are_the_evaluations(city) -> None:  # noqa: ANN001
    db, stored = city
    content = report_content(db, stored.id, YEAR, "annual")
    assert content.region == "510100"
    used = content.values
    _, frame, set_aside = load_plan_observations(db, stored.id)
    evaluated = frame.filter((pl.col("region") == "510100") & (pl.col("year") <= YEAR))

    # every (indicator, year) of the plan and region: the same value, no more, no fewer
    assert _by_key(used) == _by_key(evaluated)
    assert used.height == evaluated.height == len(_by_key(used))

    # and the cases themselves, so that agreeing on nothing cannot pass
    rate, enrolment, places, beds = (stored.indicator_ids[i] for i in (0, 1, 2, 4))
    values = _by_key(used)
    assert values[(rate, 2021)] == 85.0  # moved into the catalogue's series when mapped
    assert values[(rate, 2022)] == 90.5  # the catalogue's, not the 88.0 left over
    assert values[(enrolment, 2023)] == 95.8  # the correction
    assert (enrolment, 2025) not in values  # after the report's year
    assert values[(beds, 2022)] == pytest.approx(6897.0, rel=1e-12)  # 万张 read in 张
    assert values[(beds, 2023)] == pytest.approx(7123.0, rel=1e-12)
    assert (beds, 2024) not in values  # another quantity: set aside by both
    assert set_aside.select("plan_indicator_id", "region", "year", "unit").rows() == [
        (beds, "510100", 2024, "%")
    ]
    assert values[(places, 2023)] == 2.6

    # the rest of each row comes from the same versions
    rows = {(r["plan_indicator_id"], r["year"]): r for r in used.iter_rows(named=True)}
    assert (rows[(rate, 2022)]["source"], rows[(rate, 2022)]["version"]) == ("统计年鉴", 1)
    assert rows[(rate, 2021)]["source"] == "市教育局"
    assert rows[(enrolment, 2023)]["version"] == 2
    assert rows[(places, 2023)]["synthetic"] and not rows[(places, 2022)]["synthetic"]
    assert all(r["entered_at"] is not None and r["status"] for r in rows.values())
    assert used.columns == ["indicator", "plan_indicator_id", "year", "value", "version",
                            "source", "status", "synthetic", "entered_at"]  # fmt: skip

    # the values the verdicts were judged on are among them
    judged = content.results.filter(pl.col("value").is_not_null())
    assert judged.height
    names = dict(zip([i.name for i in stored.plan.indicators], stored.indicator_ids, strict=True))
    for r in judged.iter_rows(named=True):
        assert values[(names[r["indicator"]], r["data_year"])] == r["value"], r
