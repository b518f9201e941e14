"""A shared series holds values in several units; every reader reads them in its own.

Two plans map one canonical indicator (养老服务床位总量, catalogue unit 万张): a
province states it in 万张, a city in 张. Each value keeps the unit it was entered
in; evaluation, the spread across regions, imports and corrections read it in theirs.
A unit of another quantity never shares the series (matching and mapping refuse it),
and a value of another quantity already there is set aside, not judged.
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl
import pytest
from sqlalchemy import select

from minsheng.domain.errors import InvalidData
from minsheng.domain.indicators import Nature
from minsheng.domain.observations import Observation
from minsheng.ingest.documents.catalogue_matching import match_indicators
from minsheng.services.evaluation import evaluate_plan
from minsheng.services.observations import add_observation, add_observations, correct_observation
from minsheng.services.plans import (
    confirm_mapping,
    load_plan_for_evaluation,
    load_plan_observations,
    save_extracted_plan,
)
from minsheng.services.spread import indicator_spread
from minsheng.store.models import CanonicalIndicatorRow, ObservationVersionRow

BEDS = "养老服务床位总量"


@pytest.fixture
def beds_plan(plan_factory, indicator_factory):  # noqa: ANN001, ANN201
    """``beds_plan(region, title, unit, baseline, target)``: the sample plan with a row of beds."""

    def make(region: str, title: str, unit: str, baseline: str, target: str):  # noqa: ANN202
        plan = plan_factory(region, title)
        beds = indicator_factory(
            5, BEDS, unit, baseline, target, Nature.ANTICIPATORY, domain="五、老有所养",
            canonical_code="EL04",
        )  # fmt: skip
        return replace(plan, indicators=[*plan.indicators, beds])

    return make


@pytest.fixture
def beds(seeded_db, beds_plan):  # noqa: ANN001, ANN201
    """(db, province plan in 万张, city plan in 张), both rows mapped to EL04."""
    with seeded_db.session() as session:
        unit = session.scalars(
            select(CanonicalIndicatorRow.unit).where(CanonicalIndicatorRow.code == "EL04")
        ).one()
    assert unit == "万张", "the catalogue's unit of EL04 this test is built on"
    province = save_extracted_plan(seeded_db, beds_plan("510000", "示例省规划", "万张", "30", "40"))
    city = save_extracted_plan(seeded_db, beds_plan("510100", "示例市规划", "张", "5000", "9000"))
    return seeded_db, province, city


def _value(frame, region: str, year: int) -> float:  # noqa: ANN001
    row = frame.filter((frame["indicator"] == BEDS) & (frame["region"] == region))
    return row.filter(row["year"] == year)["value"].item()


def test_each_plan_reads_the_shared_series_in_its_own_unit(beds) -> None:  # noqa: ANN001
    db, province, city = beds
    add_observation(db, BEDS, "510100", 2022, 6897, "wang", plan=city.id)
    add_observation(db, BEDS, "510000", 2022, 35.5, "li", plan=province.id)
    _, seen_by_city = load_plan_for_evaluation(db, city.id)
    _, seen_by_province = load_plan_for_evaluation(db, province.id)
    assert _value(seen_by_city, "510100", 2022) == 6897.0
    assert _value(seen_by_province, "510100", 2022) == pytest.approx(0.6897, rel=1e-15)
    assert _value(seen_by_province, "510000", 2022) == 35.5
    assert _value(seen_by_city, "510000", 2022) == pytest.approx(355_000.0, rel=1e-15)
    # judged against its own target in its own unit: 6897 of 9000 张, not 6897 of 40 万张
    _, judged = evaluate_plan(db, province.id, 2022)
    city_row = judged.filter((judged["indicator"] == BEDS) & (judged["region"] == "510100"))
    assert city_row["value"].item() == pytest.approx(0.6897, rel=1e-15)
    # and a report's table of the values used says the same
    from minsheng.services.report_content import current_values

    used = current_values(db, province, "510100", 2022).filter(pl.col("indicator") == BEDS)
    assert used.select("year", "value", "version").rows() == [(2022, pytest.approx(0.6897), 1)]


def test_an_equal_value_in_another_unit_is_no_correction(beds) -> None:  # noqa: ANN001
    db, province, city = beds
    add_observation(db, BEDS, "510100", 2022, 6897, "wang", plan=city.id)
    added, corrected, unchanged = add_observations(
        db, province.id, [Observation(BEDS, "510100", 2022, 0.6897)], "li"
    )
    assert (added, corrected, unchanged) == (0, 0, 1)
    same = correct_observation(db, BEDS, "510100", 2022, 0.6897, "li", plan=province.id, note="x")
    assert (same.version, same.value, same.unit) == (1, 6897.0, "张")
    newer = correct_observation(db, BEDS, "510100", 2022, 0.7, "li", plan=province.id, note="x")
    assert (newer.version, newer.value, newer.unit) == (2, 0.7, "万张")
    _, seen_by_city = load_plan_for_evaluation(db, city.id)
    assert _value(seen_by_city, "510100", 2022) == pytest.approx(7000.0, rel=1e-15)


def test_the_spread_across_regions_reads_the_catalogue_unit(beds) -> None:  # noqa: ANN001
    db, province, city = beds
    add_observation(db, BEDS, "510100", 2022, 6000, "wang", plan=city.id)
    add_observation(db, BEDS, "510300", 2022, 1.2, "li", plan=province.id)
    spread, _, _ = indicator_spread(db, "EL04", "510000", 2022)
    row = spread.filter(spread["year"] == 2022).row(0, named=True)
    values = [v for v in row.values() if isinstance(v, float)]
    # 0.6 and 1.2 万张: max/min is 2, not 6000/1.2 = 5000
    assert any(v == pytest.approx(2.0) for v in values), row
    assert not any(v > 1000 for v in values), row


def test_mapping_refuses_a_unit_of_another_quantity(
    seeded_db, beds_plan, indicator_factory
) -> None:  # noqa: ANN001
    plan = beds_plan("510000", "示例省规划", "万平方米", "30", "40")
    stored = save_extracted_plan(seeded_db, replace(
        plan, indicators=[replace(i, canonical_code=None) for i in plan.indicators]
    ))  # fmt: skip
    row_id = stored.indicator_ids[-1]
    with pytest.raises(InvalidData) as refused:
        confirm_mapping(seeded_db, row_id, "EL04")
    assert "万平方米" in refused.value.message and "万张" in refused.value.message
    assert refused.value.message_zh and "不是同一计量" in refused.value.message_zh
    # a prefix of the same quantity maps
    city = save_extracted_plan(seeded_db, replace(
        beds_plan("510100", "示例市规划", "张", "1", "2"),
        indicators=[indicator_factory(1, BEDS, "张", "1", "2")],
    ))  # fmt: skip
    assert confirm_mapping(seeded_db, city.indicator_ids[0], "EL04").indicator.canonical_code == (
        "EL04"
    )


@pytest.mark.parametrize(("unit", "matched"), [("张", True), ("万张", True), (None, True),
                                               ("%", False), ("万平方米", False)])  # fmt: skip
def test_matching_takes_no_indicator_of_another_quantity_unasked(unit, matched: bool) -> None:  # noqa: ANN001
    from minsheng.data.catalogue import load_catalogue

    (match,) = match_indicators([BEDS], load_catalogue(), units=[unit])
    assert (match.code == "EL04") is matched
    if not matched:  # still offered, for a person who corrects the unit
        assert "EL04" in [c for c, _, _ in match.candidates]


def test_a_value_of_another_quantity_is_set_aside_not_judged(beds) -> None:  # noqa: ANN001
    db, province, city = beds
    add_observation(db, BEDS, "510100", 2022, 6897, "wang", plan=city.id)
    with db.session() as session:  # as an older release stored it: a % in a series of beds
        row = session.scalars(select(ObservationVersionRow)).one()
        session.add(
            ObservationVersionRow(
                plan_indicator_id=None, canonical_id=row.canonical_id, region_id=row.region_id,
                year=2023, value=3.2, unit="%", version=1, status=row.status,
                synthetic=False, entered_at=row.entered_at,
            )
        )  # fmt: skip
    _, frame, set_aside = load_plan_observations(db, city.id)
    assert frame.filter(frame["indicator"] == BEDS)["year"].to_list() == [2022]
    assert set_aside.select("year", "value", "unit", "wanted_unit").rows() == [
        (2023, 3.2, "%", "张")
    ]
    # and the data-quality report names it, so a person can correct it
    from minsheng.services.quality import plan_quality

    odd = plan_quality(db, city.id).other_units
    assert odd.select("region", "year", "unit", "wanted_unit").rows() == [
        ("510100", 2023, "%", "张")
    ]


def test_a_drafted_row_added_from_the_catalogue_reads_in_its_own_unit(beds, plan_factory) -> None:  # noqa: ANN001
    """The region's beds, entered in 张 through one plan, are the added row's 万张."""
    from minsheng.services.drafting import draft_plan

    db, _, city = beds
    for year, value in ((2024, 6500), (2025, 6897)):
        add_observation(db, BEDS, "510100", year, value, "wang", plan=city.id)
    other = save_extracted_plan(db, plan_factory("510100", "示例市另一规划"))
    draft = draft_plan(db, other.id, to_year=2030, add=["EL04"])
    row = draft.table.filter(pl.col("indicator") == BEDS).row(0, named=True)
    assert row["value"] == pytest.approx(0.6897, rel=1e-12), row
    (added,) = [i for i in draft.plan.indicators if i.name == BEDS]
    assert added.unit == "万张"


@pytest.mark.parametrize(
    "units",
    [
        [(None, "%"), (None, "张"), ("%", "%")],  # nothing to convert: the quick look says so
        [("张", "张"), ("张", None), (None, None)],
        [("万张", "张"), ("张", "张"), (None, "张")],
        [("张", "万张"), ("%", "万次"), ("万张", "万张")],
        [
            (" ", "张"),
            ("张 ", "张"),
            ("％", "%"),
        ],  # blank and spelled-apart units: unit_ratio's word
    ],
    ids=["all-plain", "blank-wanted", "to-smaller", "set-aside", "spellings"],
)
def test_values_read_in_units_equal_each_rows_own_ratio(units) -> None:  # noqa: ANN001
    from minsheng.services.series_units import in_units
    from minsheng.units import unit_ratio

    frame = pl.DataFrame(
        {
            "row": list(range(len(units))),
            "value": [12.5 * (k + 1) for k in range(len(units))],
            "unit": [u for u, _ in units],
            "wanted_unit": [w for _, w in units],
        },
        schema={"row": pl.Int64, "value": pl.Float64, "unit": pl.Utf8, "wanted_unit": pl.Utf8},
    )
    converted, set_aside = in_units(frame)
    expected, aside = {}, []
    for k, (given, wanted) in enumerate(units):
        ratio = unit_ratio(given, wanted)
        if ratio is None:
            aside.append(k)
        else:
            v = 12.5 * (k + 1)
            expected[k] = v if ratio[0] == ratio[1] else v * ratio[0] / ratio[1]
    assert dict(zip(converted["row"], converted["value"], strict=True)) == expected
    assert converted.columns == ["row", "value"]
    assert set_aside["row"].to_list() == aside
