"""The years a plan's monitoring reports on: one range for every page that names them."""

from minsheng.domain.plans import Plan, PlanMetadata


def test_the_monitored_years_start_after_the_baseline() -> None:
    stated = Plan(PlanMetadata(period_start=2021, period_end=2025), baseline_year=2020)
    assert stated.monitored_years(2023) == [2021, 2022, 2023]
    assert stated.monitored_years(2030) == [2021, 2022, 2023, 2024, 2025]  # the period ends
    assert stated.monitored_years(2019) == [2021]  # nothing reported yet: the first year
    # no period stated: the year after the baseline to the target year
    baseline_only = Plan(PlanMetadata(), baseline_year=2015, target_year=2020)
    assert baseline_only.monitored_years(2030) == [2016, 2017, 2018, 2019, 2020]
