"""Hand-computed cases for every target form, status and grade (evaluation method §1–§5).

Each case states B, T, V and the years; the expected numbers are worked out in
the comment beside them. Baseline year 2020 and target year 2025 unless said.
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl
import pytest
from evaluation_helpers import indicator, observations

from minsheng.analytics.evaluation import evaluate
from minsheng.analytics.specs import specs_frame
from minsheng.domain.errors import InvalidData
from minsheng.domain.indicators import Nature, Polarity
from minsheng.domain.targets import TargetKind

# --- reach, higher is better: B = 95.2 (2020), T = 96 (2025) -------------------------------


def test_reach_on_track(judge) -> None:
    r = judge("95.2%", "96%", {2021: 95.3, 2022: 95.7}, 2023)
    # t = 2022 (latest ≤ 2023); e = (2022-2020)/5 = 0.4; ρ = (95.7-95.2)/(96-95.2) = 0.5/0.8 = 0.625 ≥ 0.4
    assert r["data_year"] == 2022
    assert r["status"] == "on_track"
    assert r["elapsed"] == pytest.approx(0.4)
    assert r["rho"] == pytest.approx(0.625)
    # E_t = 95.2 + 0.4 × 0.8 = 95.52
    assert r["expected"] == pytest.approx(95.52)
    assert r["warning"] is False and r["notice"] is False
    assert r["grade"] is None


def test_reach_lagging_is_a_warning_when_binding(judge) -> None:
    r = judge("95.2%", "96%", {2023: 95.4}, 2023)
    # e = 0.6; ρ = 0.2/0.8 = 0.25 < 0.6
    assert (r["status"], r["rho"]) == ("lagging", pytest.approx(0.25))
    assert r["warning"] is True and r["notice"] is False


def test_reach_lagging_is_a_notice_when_anticipatory(judge) -> None:
    r = judge("95.2%", "96%", {2023: 95.4}, 2023, nature=Nature.ANTICIPATORY)
    assert r["status"] == "lagging"
    assert r["warning"] is False and r["notice"] is True


def test_reach_regressing(judge) -> None:
    r = judge("95.2%", "96%", {2022: 95.0}, 2022)
    # ρ = (95.0-95.2)/0.8 = -0.25 < 0
    assert (r["status"], r["rho"]) == ("regressing", pytest.approx(-0.25))
    assert r["warning"] is True


def test_reach_achieved(judge) -> None:
    r = judge("95.2%", "96%", {2023: 96.1}, 2023)
    assert r["status"] == "achieved"
    assert r["rho"] == pytest.approx(0.9 / 0.8)  # (96.1-95.2)/0.8 = 1.125
    assert r["sdg_progress"] == "target_achieved"


# --- comparators -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "value", "status"),
    [
        (">90%", 90.0, "on_track"),  # strictly above: 90 is not > 90; ρ = 4.8/4.8 = 1 ≥ e = 0.6
        (">90%", 90.1, "achieved"),
        ("≥90%", 90.0, "achieved"),  # at least: 90 ≥ 90
        ("≥90%", 86.0, "lagging"),  # ρ = 0.8/4.8 = 0.1667 < 0.6
    ],
)
def test_above_and_at_least(judge, target, value, status) -> None:
    assert judge("85.2%", target, {2023: value}, 2023)["status"] == status


@pytest.mark.parametrize(
    ("target", "value", "status", "rho"),
    [
        (
            "<5.5",
            5.5,
            "on_track",
            1.0,
        ),  # lower is better: ρ = -(5.5-6)/0.5 = 1 ≥ 0.6, but 5.5 is not < 5.5
        ("<5.5", 5.4, "achieved", 1.2),  # -(5.4-6)/0.5 = 1.2
        ("<5.5", 6.2, "regressing", -0.4),  # -(6.2-6)/0.5 = -0.4
        ("≤5.5", 5.5, "achieved", 1.0),
        ("≤5.5", 5.9, "lagging", 0.2),  # -(5.9-6)/0.5 = 0.2 < 0.6
    ],
)
def test_below_and_at_most(judge, target, value, status, rho) -> None:
    r = judge("6", target, {2023: value}, 2023)
    assert r["status"] == status
    assert r["rho"] == pytest.approx(rho)
    assert r["polarity"] == "lower"


# --- about (左右): band ±5 % of T by default ---------------------------------------------------


@pytest.mark.parametrize(
    ("value", "tolerance", "status"),
    [
        (4.76, 0.05, "achieved"),  # |4.76-5| = 0.24 ≤ 0.05 × 5 = 0.25
        (4.70, 0.05, "on_track"),  # 0.30 > 0.25; ρ = (4.7-4)/(5-4) = 0.7 ≥ e = 0.6
        (4.76, 0.01, "on_track"),  # band 0.05; ρ = 0.76 ≥ 0.6
        (4.40, 0.05, "lagging"),  # ρ = 0.4 < 0.6
        (5.60, 0.05, "achieved"),  # past the band in the good direction (higher-better) holds
    ],
)
def test_about(judge, value, tolerance, status) -> None:
    r = judge("4", "5左右", {2023: value}, 2023, about_tolerance=tolerance)
    assert r["status"] == status


def test_about_on_a_level_to_keep_overshoot_is_not_on_track(judge) -> None:
    r = judge("4", "5左右", {2023: 5.6}, 2023, polarity=Polarity.KEEP)
    # band 4.75–5.25; 5.6 is outside; ρ = (5.6-4)/1 = 1.6 > 1: an overshoot of a held level
    assert r["status"] == "lagging"


# --- polarity -----------------------------------------------------------------------------


def test_lower_is_better_reach(judge) -> None:
    r = judge("10", "8", {2022: 9.0}, 2022, polarity=Polarity.LOWER)
    # ρ = (9-10)/(8-10) = 0.5 ≥ e = 0.4; E = 10 + 0.4 × (8-10) = 9.2
    assert (r["status"], r["rho"], r["expected"]) == (
        "on_track",
        pytest.approx(0.5),
        pytest.approx(9.2),
    )
    assert r["polarity_inferred"] is False


def test_polarity_inferred_from_the_cells_is_marked(judge) -> None:
    r = judge("10", "8", {2022: 9.0}, 2022, name="某个目录里没有的指标")
    assert (r["polarity"], r["polarity_inferred"]) == ("lower", True)


def test_target_below_baseline_on_higher_is_better_is_not_corrected(judge) -> None:
    # an annual training figure planned to fall: B = 1800, T = 1500, higher is better
    ok = judge("1800", "1500", {2022: 1600}, 2022, polarity=Polarity.HIGHER)
    assert ok["polarity"] == "higher" and ok["target"] == 1500.0
    assert ok["status"] == "achieved"  # 1600 ≥ 1500
    low = judge("1800", "1500", {2022: 1400}, 2022, polarity=Polarity.HIGHER)
    # ρ = +(1400-1800)/|1500-1800| = -400/300 = -1.333: worse than the baseline
    assert (low["status"], low["rho"]) == ("regressing", pytest.approx(-4 / 3))


# --- target equals baseline -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "target", "value", "status"),
    [
        ("100%", "100%", 100.0, "achieved"),
        ("100%", "100%", 99.5, "regressing"),  # worse than B
        ("95%", ">95%", 95.0, "lagging"),  # not achieved (not > 95) and no worse than B
        ("95%", ">95%", 95.2, "achieved"),
        ("95%", ">95%", 94.0, "regressing"),
    ],
)
def test_target_equals_baseline_uses_the_condition_alone(
    judge, baseline, target, value, status
) -> None:
    r = judge(baseline, target, {2023: value}, 2023)
    assert r["status"] == status
    assert r["rho"] is None
    assert r["method"] == "condition_only"


# --- observations: single, missing years, later than Y, baseline year ------------------------


def test_single_observation(judge) -> None:
    r = judge("2.9", "3.2", {2021: 3.04}, 2021)
    # e = 0.2; ρ = 0.14/0.3 = 0.4667 ≥ 0.2
    assert (r["status"], r["rho"]) == ("on_track", pytest.approx(0.14 / 0.3))
    # line through (2020, 2.9) and (2021, 3.04): slope 0.14, at 2025: 2.9 + 5 × 0.14 = 3.6
    assert r["projected_linear"] == pytest.approx(3.6)
    # r_a = 3.04/2.9 - 1 = 0.048276; r_r = (3.2/2.9)^(1/5) - 1 = 0.019883; ratio = 2.42798
    assert r["actual_rate"] == pytest.approx(0.048276, abs=1e-6)
    assert r["required_rate"] == pytest.approx(0.019883, abs=1e-6)
    assert r["anticipated_ratio"] == pytest.approx(2.42798, abs=1e-5)
    assert r["likely"] is True


def test_single_observation_without_baseline_is_no_data(judge) -> None:
    r = judge("——", "3.4", {2022: 3.0}, 2022)
    assert r["status"] == "no_data"
    assert r["reason"] == "no 2020 value for this region and no baseline in the plan"
    assert r["projected_linear"] is None  # one point is no line


def test_baseline_taken_from_an_observation_of_the_baseline_year(judge) -> None:
    r = judge("——", "3.4", {2020: 2.8, 2022: 3.0}, 2022)
    # B = 2.8 observed; ρ = 0.2/0.6 = 0.333 < e = 0.4
    assert (r["status"], r["baseline"], r["baseline_source"]) == ("lagging", 2.8, "observed")


def test_missing_years_use_the_latest_observation_up_to_y(judge) -> None:
    values = {2021: 95.4, 2023: 95.8, 2025: 96.2}
    assert judge("95.2%", "96%", values, 2024)["data_year"] == 2023  # 2024 missing, 2025 after Y
    r = judge("95.2%", "96%", values, 2022)
    assert r["data_year"] == 2021  # 2022 missing
    assert r["rho"] == pytest.approx(0.25)  # (95.4-95.2)/0.8


def test_no_observation_in_the_plan_period_is_no_data(judge) -> None:
    r = judge("95.2%", "96%", {2019: 95.0, 2020: 95.2}, 2023)
    assert (r["status"], r["data_year"], r["years_observed"]) == ("no_data", None, 0)
    assert r["warning"] is False and r["grade"] is None


def test_baseline_data_year_from_a_footnote_moves_y0(judge) -> None:

    ind = indicator("77.3**", "78.3")
    ind.baseline = replace(ind.baseline, data_year=2019)  # the table's note: 带**的为2019年数据
    specs = specs_frame([ind])
    r = evaluate(specs, observations({2021: 78.2}), 2021).row(0, named=True)
    # y0 = 2019: e = (2021-2019)/(2025-2019) = 1/3; ρ = 0.9/1.0 = 0.9
    assert r["y0"] == 2019
    assert r["elapsed"] == pytest.approx(1 / 3)
    assert (r["status"], r["rho"]) == ("on_track", pytest.approx(0.9))


# --- cumulative (【】): ρ = Σ values y0+1..t ÷ T, expected share e -------------------------------


def test_cumulative_mid_period(judge) -> None:
    values = {2021: 2.0, 2022: 3.0, 2023: 2.0}
    r = judge("", "【12】", values, 2023)
    # Σ = 7; ρ = 7/12 = 0.5833 < e = 0.6; expected 0.6 × 12 = 7.2
    assert (r["status"], r["value"], r["rho"]) == ("lagging", 7.0, pytest.approx(7 / 12))
    assert r["expected"] == pytest.approx(7.2)
    # pace projection: 7 / 3 years × 5 = 11.667; ratio = ρ/e = 0.9722
    assert r["projected_linear"] == pytest.approx(35 / 3)
    assert r["anticipated_ratio"] == pytest.approx((7 / 12) / 0.6)
    r22 = judge("", "【12】", values, 2022)
    # Σ = 5; ρ = 0.4167 ≥ e = 0.4
    assert (r22["status"], r22["rho"]) == ("on_track", pytest.approx(5 / 12))


@pytest.mark.parametrize(
    ("last", "status", "grade"),
    [
        (5.5, "achieved", "completed"),  # Σ = 2+3+2+0+5.5 = 12.5 ≥ 12
        (4.0, "lagging", "basically_completed"),  # Σ = 11; ρ = 0.9167 ≥ 0.9
        (3.0, "lagging", "not_completed"),  # Σ = 10; ρ = 0.8333
    ],
)
def test_cumulative_final(judge, last, status, grade) -> None:
    r = judge("", "【12】", {2021: 2.0, 2022: 3.0, 2023: 2.0, 2024: 0.0, 2025: last}, 2025)
    assert (r["status"], r["grade"]) == (status, grade)


# --- annual average: the mean of the plan years observed vs T -------------------------------


def test_annual_average_achieved_and_regressing(judge) -> None:

    ind = indicator("1800", "1500", polarity=Polarity.HIGHER)
    ind.baseline = replace(ind.baseline, kind=TargetKind.ANNUAL_AVERAGE)
    ind.target = replace(ind.target, kind=TargetKind.ANNUAL_AVERAGE)
    specs = specs_frame([ind])
    r = evaluate(specs, observations({2021: 1600, 2022: 1450}), 2022).row(0, named=True)
    # mean = (1600 + 1450)/2 = 1525 ≥ 1500
    assert (r["target_kind"], r["value"], r["status"]) == ("annual_average", 1525.0, "achieved")
    r = evaluate(specs, observations({2021: 1400}), 2022).row(0, named=True)
    # mean 1400 < 1500; ρ = (1400-1800)/300 < 0
    assert (r["status"], r["rho"]) == ("regressing", pytest.approx(-4 / 3))


def test_annual_average_lagging(judge) -> None:

    ind = indicator("10", "12")
    ind.target = replace(ind.target, kind=TargetKind.ANNUAL_AVERAGE)
    specs = specs_frame([ind])
    r = evaluate(specs, observations({2021: 11.0, 2022: 11.5}), 2022).row(0, named=True)
    # mean 11.25 < 12; ρ = (11.25-10)/2 = 0.625: lagging (the mean is measured against T itself)
    assert (r["status"], r["rho"], r["expected"]) == ("lagging", pytest.approx(0.625), 12.0)
    final = evaluate(specs, observations(dict.fromkeys(range(2021, 2026), 12.5)), 2025).row(
        0, named=True
    )
    assert (final["status"], final["grade"]) == ("achieved", "completed")


# --- full coverage and keep zero: every year holds or not ----------------------------------


@pytest.mark.parametrize(
    ("values", "year", "status", "grade"),
    [
        ({2021: 100, 2022: 100}, 2022, "on_track", None),  # every observed year holds, not yet yT
        ({2021: 100, 2022: 100, 2023: 100, 2024: 100, 2025: 100}, 2025, "achieved", "completed"),
        ({2021: 100, 2022: 99, 2023: 100}, 2023, "lagging", None),  # 2022 did not hold
        ({2021: 100, 2022: 99, 2025: 100}, 2025, "lagging", "not_completed"),
    ],
)
def test_full_coverage(judge, values, year, status, grade) -> None:
    r = judge("——", "应保尽保", values, year)
    assert (r["target_kind"], r["status"], r["grade"]) == ("full_coverage", status, grade)
    assert r["years_held"] == sum(1 for v in values.values() if v >= 100)


def test_full_coverage_worse_than_a_numeric_baseline_is_regressing(judge) -> None:
    r = judge("100%", "应保尽保", {2022: 98.0}, 2022)
    assert r["status"] == "regressing"


@pytest.mark.parametrize(
    ("values", "status"),
    [({2021: 0, 2022: 0}, "on_track"), ({2021: 0, 2022: 2}, "lagging")],
)
def test_keep_zero(judge, values, status) -> None:
    r = judge("已全部动态清零", "5年内均保持动态清零", values, 2022)
    assert (r["target_kind"], r["status"]) == ("keep_zero", status)


# --- two quantities, none, qualitative -----------------------------------------------------


def test_two_quantities_are_judged_one_part_each() -> None:

    specs = specs_frame([indicator("——", "1329栋 53275户*", name="改造")])
    assert specs.get_column("indicator").to_list() == ["改造 [栋]", "改造 [户]"]
    obs = pl.DataFrame(
        {"indicator": ["改造 [栋]"], "region": ["110101"], "year": [2025], "value": [1400.0]}
    )
    r = evaluate(specs, obs, 2025, regions=["110101"])
    assert r.get_column("status").to_list() == ["achieved", "no_data"]
    assert r.get_column("grade").to_list() == ["completed", None]
    assert r.get_column("part").to_list() == [1, 2]


@pytest.mark.parametrize("target", ["——", "确保完成国家要求"])
def test_no_measurable_target_is_not_assessable(judge, target) -> None:
    r = judge("——", target, {2022: 1.0}, 2022)
    assert r["status"] == "not_assessable"
    assert r["reason"]


def test_qualitative_target_with_an_analyst_judgement(judge) -> None:
    judgements = pl.DataFrame(
        {
            "indicator": ["x"],
            "status": ["on_track"],
            "judged_by": ["王analyst"],
            "judged_at": ["2024-03-01"],
        }
    )
    r = judge("——", "显著提升", {}, 2023, judgements=judgements)
    assert (r["status"], r["method"], r["judged_by"], r["judged_at"]) == (
        "on_track",
        "analyst_judgement",
        "王analyst",
        "2024-03-01",
    )


def test_judgement_with_an_unknown_status_is_refused(judge) -> None:

    with pytest.raises(InvalidData):
        judge(
            "——",
            "显著提升",
            {},
            2023,
            judgements=pl.DataFrame({"indicator": ["x"], "status": ["fine"]}),
        )


# --- final grades -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        (96.0, "completed"),  # 96 ≥ 96
        (95.96, "basically_completed"),  # ρ = 0.76/0.8 = 0.95 ≥ 0.9
        (95.6, "not_completed"),  # ρ = 0.4/0.8 = 0.5
    ],
)
def test_grades_need_target_year_data(judge, value, grade) -> None:
    assert judge("95.2%", "96%", {2025: value}, 2025)["grade"] == grade
    # the same evaluation year without 2025 data: no grade yet
    assert judge("95.2%", "96%", {2024: value}, 2025)["grade"] is None


# --- projections and the SDG class -------------------------------------------------------


def test_lagging_now_yet_likely(judge) -> None:
    r = judge("10", "20", {2021: 10.5, 2022: 11.0, 2023: 15.5}, 2023)
    # ρ = 5.5/10 = 0.55 < e = 0.6: lagging
    assert r["status"] == "lagging"
    # r_a = 1.55^(1/3) - 1 = 0.157295; r_r = 2^(1/5) - 1 = 0.148698; ratio = 1.05781 ≥ 1
    assert r["anticipated_ratio"] == pytest.approx(1.05781, abs=1e-5)
    assert r["likely"] is True
    # least squares on (0,10), (1,10.5), (2,11), (3,15.5): x̄ = 1.5, ȳ = 11.75,
    # Sxy = 8.5, Sxx = 5 → slope 1.7, intercept 9.2; at x = 5: 17.7
    assert r["projected_linear"] == pytest.approx(17.7)


@pytest.mark.parametrize(
    ("value", "klass"),
    [
        (121.0, "target_achieved"),
        (110.0, "substantial_progress"),  # r_r = 1.21^(1/2) - 1 = 0.1; r_a = 0.1; CR = 1.0 ≥ 0.95
        (107.0, "moderate_progress"),  # CR = 0.07/0.1 = 0.7
        (103.0, "limited_progress"),  # CR = 0.3
        (95.0, "deterioration"),  # CR = -0.5
    ],
)
def test_sdg_cagr_ratio_classes(judge, value, klass) -> None:
    r = judge("100", "121", {2021: value}, 2021, target_year=2022)
    assert r["sdg_progress"] == klass
    if klass != "target_achieved":
        assert r["anticipated_ratio"] == pytest.approx((value / 100 - 1) / 0.1)


def test_several_regions_and_indicators_each_get_a_row() -> None:

    specs = specs_frame([indicator("1", "2", name="a"), indicator("1", "2", name="b", seq=2)])
    obs = pl.DataFrame(
        {
            "indicator": ["a", "a", "b"],
            "region": ["110101", "110102", "110101"],
            "year": [2022] * 3,
            "value": [2.0, 1.0, 1.5],
        }
    )
    r = evaluate(specs, obs, 2022)
    assert r.height == 4
    got = {(x["indicator"], x["region"]): x["status"] for x in r.iter_rows(named=True)}
    # a@110101: 2 ≥ 2 achieved; a@110102: ρ = 0 < 0.4 lagging; b@110101: ρ = 0.5 on track; b@110102: no data
    assert got == {
        ("a", "110101"): "achieved",
        ("a", "110102"): "lagging",
        ("b", "110101"): "on_track",
        ("b", "110102"): "no_data",
    }


def test_a_spec_with_its_own_region_judges_only_that_region() -> None:

    specs = specs_frame([indicator("1", "2", name="a")], region="110101")
    obs = pl.DataFrame(
        {
            "indicator": ["a", "a"],
            "region": ["110101", "110102"],
            "year": [2022] * 2,
            "value": [2.0, 1.0],
        }
    )
    r = evaluate(specs, obs, 2022)
    assert r.select("region", "status").rows() == [("110101", "achieved")]


def test_missing_observation_columns_are_named() -> None:

    with pytest.raises(InvalidData, match="value"):
        evaluate(
            specs_frame([indicator("1", "2")]),
            pl.DataFrame({"indicator": ["x"], "region": ["1"], "year": [2021]}),
            2022,
        )


def test_two_plans_with_the_same_indicator_name_are_both_judged() -> None:
    national = specs_frame([indicator("1", "2")], plan="national")
    province = specs_frame([indicator("1", "3")], plan="province")
    obs = observations({2022: 2.0})
    r = evaluate(pl.concat([national, province]), obs, 2022).sort("plan")
    # 2 ≥ 2: achieved for the national target; ρ = 1/2 = 0.5 ≥ e = 0.4 for the province's
    assert r.select("plan", "status").rows() == [("national", "achieved"), ("province", "on_track")]


def test_categorical_keys_give_the_same_result_as_strings() -> None:
    specs = specs_frame([indicator("1", "2", name="a"), indicator("95%", ">96%", name="b", seq=2)])
    obs = pl.concat(
        [
            observations({2021: 1.5, 2023: 1.8}, name="a"),
            observations({2022: 95.5}, name="b", region="110102"),
        ]
    )
    as_str = evaluate(specs, obs, 2023)
    as_cat = evaluate(
        specs, obs.with_columns(pl.col("indicator", "region").cast(pl.Categorical)), 2023
    )
    assert as_cat.equals(as_str)
    assert as_str.height == 4  # two indicators × two regions


def test_a_target_year_not_after_the_baseline_year_is_refused() -> None:
    with pytest.raises(InvalidData, match="plan period"):
        evaluate(
            specs_frame([indicator("1", "2")], baseline_year=2025, target_year=2025),
            observations({2025: 1.0}),
            2025,
        )
