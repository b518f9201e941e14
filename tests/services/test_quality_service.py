"""Reporting completeness, timeliness (first version counts) and outliers of a stored plan's data."""

from dataclasses import replace
from datetime import datetime

import polars as pl
import pytest

from minsheng.domain.errors import InvalidData
from minsheng.domain.observations import Observation
from minsheng.services.observations import add_observations
from minsheng.services.plans import save_extracted_plan
from minsheng.services.quality import parse_due, plan_quality
from minsheng.services.withdrawals import withdraw_observation

COUNTIES = ["510104", "510105", "510106", "510107", "510108"]


def _obs(region: str, year: int, value: float, reported: datetime) -> Observation:
    return Observation("学前教育毛入园率", region, year, value, entered_at=reported)


def test_completeness_timeliness_and_outliers(seeded_db, plan_factory) -> None:
    stored = save_extracted_plan(seeded_db, plan_factory())
    on_time, late = datetime(2022, 3, 1), datetime(2022, 6, 1)
    figures = [_obs(c, 2021, 91.0 + i * 0.2, on_time) for i, c in enumerate(COUNTIES)]
    figures[-1] = replace(figures[-1], value=40.0)  # one county's figure stands far apart
    figures.append(_obs("510000", 2021, 91.5, late))
    add_observations(seeded_db, stored.id, figures, user="test")
    # a correction in 2023 does not make an on-time report late
    add_observations(
        seeded_db, stored.id, [_obs(COUNTIES[0], 2021, 91.1, datetime(2023, 1, 1))], user="test"
    )

    report = plan_quality(seeded_db, stored.id, years=[2021])
    by_region = {r["region"]: r for r in report.by_region.iter_rows(named=True)}
    indicators = report.cells.get_column("indicator").n_unique()
    assert indicators == len(plan_factory().indicators)  # every measurable indicator is expected
    assert by_region[COUNTIES[0]]["reported"] == 1 and by_region[COUNTIES[0]]["on_time"] == 1
    assert by_region["510000"]["reported"] == 1 and by_region["510000"]["on_time"] == 0
    assert by_region[COUNTIES[0]]["reporting_rate"] == pytest.approx(1 / indicators)
    flagged = report.outliers.filter(pl.col("indicator") == "学前教育毛入园率")
    assert flagged.get_column("region").to_list() == [COUNTIES[-1]]


def test_a_withdrawal_starts_the_key_afresh(seeded_db, plan_factory) -> None:
    """What a withdrawal took back was never the report: the first value entered after it
    counts, and a key withdrawn and not entered again has not reported."""
    stored = save_extracted_plan(seeded_db, plan_factory())
    on_time, late = datetime(2022, 3, 1), datetime(2022, 6, 1)
    add_observations(
        seeded_db, stored.id, [_obs(c, 2021, 91.0, on_time) for c in COUNTIES[:3]], user="test"
    )
    for county in COUNTIES[1:3]:  # both stored under the wrong year, say, on time
        withdraw_observation(
            seeded_db, "学前教育毛入园率", county, 2021, "test", plan=stored.id, reason="wrong year"
        )
    # entered again after the due date; the other stays withdrawn
    add_observations(seeded_db, stored.id, [_obs(COUNTIES[1], 2021, 92.0, late)], user="test")

    report = plan_quality(seeded_db, stored.id, years=[2021], regions=COUNTIES[:3])
    by_region = {r["region"]: r for r in report.by_region.iter_rows(named=True)}
    assert (by_region[COUNTIES[0]]["reported"], by_region[COUNTIES[0]]["on_time"]) == (1, 1)
    assert (by_region[COUNTIES[1]]["reported"], by_region[COUNTIES[1]]["on_time"]) == (1, 0)
    assert (by_region[COUNTIES[2]]["reported"], by_region[COUNTIES[2]]["on_time"]) == (0, 0)


def test_due_date_is_checked() -> None:
    assert parse_due("03-31") == (3, 31)
    with pytest.raises(InvalidData, match="MM-DD"):
        parse_due("31/03")
    with pytest.raises(InvalidData, match="MM-DD"):
        parse_due("02-30")


def test_regions_outside_the_plans_region_are_not_expected_to_report(
    seeded_db, plan_factory
) -> None:
    """A province's figures in a shared series are no report the prefecture's plan awaits."""
    city = save_extracted_plan(seeded_db, plan_factory("510100", "示例市规划"))
    reported = datetime(2022, 3, 1)
    add_observations(
        seeded_db,
        "catalogue",
        [
            Observation("ED01", code, 2021, 90.0, entered_at=reported)
            for code in ("510104", "520000", "110000")
        ],  # fmt: skip
        user="test",
    )
    report = plan_quality(seeded_db, city.id, years=[2021])
    assert report.regions == ["510100", "510104"]


def test_outliers_are_the_plans_regions_each_among_its_own_level(seeded_db, plan_factory) -> None:
    """A prefecture's plan listed outliers in provinces it does not contain (they share the
    catalogue series), and scored a county against the nation and the provinces."""
    city = save_extracted_plan(seeded_db, plan_factory("510100", "示例市规划"))
    reported = datetime(2022, 3, 1)
    counties = [Observation("ED01", c, 2021, 91.0 + i * 0.2, entered_at=reported)
                for i, c in enumerate(COUNTIES)]  # fmt: skip
    # far away: five provinces, one of them far from the rest
    provinces = [Observation("ED01", p, 2021, v, entered_at=reported)
                 for p, v in zip(("110000", "120000", "130000", "140000", "150000"),
                                 (90.0, 90.5, 91.0, 91.5, 40.0), strict=True)]  # fmt: skip
    # the city itself far below its counties: a prefecture is no peer of its counties
    city_value = Observation("ED01", "510100", 2021, 60.0, entered_at=reported)
    add_observations(seeded_db, "catalogue", [*counties, *provinces, city_value], user="test")

    far_county = Observation("ED01", COUNTIES[-1], 2022, 40.0, entered_at=reported)
    near = [Observation("ED01", c, 2022, 91.0, entered_at=reported) for c in COUNTIES[:-1]]
    add_observations(seeded_db, "catalogue", [far_county, *near], user="test")

    report = plan_quality(seeded_db, city.id, years=[2021, 2022])
    flagged = report.outliers.select("region", "year").rows()
    assert flagged == [(COUNTIES[-1], 2022)]  # a county far from its peers still stands out


def test_the_outlier_screen_reads_the_years_the_report_names(seeded_db, plan_factory) -> None:
    """The page's header named 2021–2025 while its outliers listed a 2020 figure: the
    baseline year is the plan's starting point, not a monitored value."""
    stored = save_extracted_plan(seeded_db, plan_factory())
    assert stored.plan.baseline_year == 2020 and stored.plan.metadata.period_start == 2021
    reported = datetime(2022, 3, 1)
    baseline = [_obs(c, 2020, 90.0 + i * 0.2, reported) for i, c in enumerate(COUNTIES)]
    baseline[-1] = replace(baseline[-1], value=30.0)  # far from its peers, but a baseline
    monitored = [_obs(c, 2021, 91.0 + i * 0.2, reported) for i, c in enumerate(COUNTIES)]
    monitored[0] = replace(monitored[0], value=40.0)  # far from its peers in a monitored year
    add_observations(seeded_db, stored.id, [*baseline, *monitored], user="test")

    report = plan_quality(seeded_db, stored.id)
    assert report.years == [2021]  # the period's first year up to the latest reported
    flagged = report.outliers.select("region", "year").rows()
    assert flagged == [(COUNTIES[0], 2021)]
    assert set(report.outliers.get_column("year")) <= set(report.years)
