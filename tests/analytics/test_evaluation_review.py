"""Hand-computed cases from an analyst's review of the engine against the method.

Each case states B, T, V and the years (2020 → 2025 unless said); the expected
numbers are worked out in the comment beside them.
"""

from __future__ import annotations

from typing import Any

import pytest
from evaluation_helpers import indicator, observations

from minsheng.analytics.evaluation import evaluate
from minsheng.analytics.specs import specs_frame


def judge_named(
    name: str, baseline: str, target: str, values: dict[int, float], year: int, **kwargs: Any
) -> dict[str, Any]:
    specs = specs_frame([indicator(baseline, target, name=name, **kwargs)])
    return evaluate(specs, observations(values, name=name), year).row(0, named=True)


# --- Open SDG / Statistics Canada class: R = d · CAGR_a / |CAGR_r| -------------------------


def test_sdg_class_when_the_baseline_already_met_the_target(judge) -> None:
    # unemployment B = 5.2 already meets "<5.5"; in 2022 it is 5.6: the target is lost.
    # d = -1 (lower is better); r_r = (5.5/5.2)^(1/5) - 1 = 0.0112810;
    # r_a = (5.6/5.2)^(1/2) - 1 = 0.0377490; R = -0.0377490 / 0.0112810 = -3.34625 < 0
    r = judge("5.2", "<5.5", {2022: 5.6}, 2022)
    assert r["status"] == "regressing"
    assert r["anticipated_ratio"] == pytest.approx(-3.34625, abs=1e-4)
    assert r["sdg_progress"] == "deterioration"
    assert r["likely"] is False


def test_sdg_ratio_keeps_its_sign_convention_on_lower_is_better(judge) -> None:
    # myopia B = 52 → T = 47 (lower is better, inferred); V = 50 in 2022.
    # r_r = (47/52)^(1/5) - 1 = -0.0200162; r_a = (50/52)^(1/2) - 1 = -0.0194193;
    # R = d · r_a / |r_r| = (-1)(-0.0194193)/0.0200162 = 0.970180 → substantial (≥ 0.95)
    r = judge("52", "47", {2022: 50.0}, 2022)
    assert r["anticipated_ratio"] == pytest.approx(0.970180, abs=1e-5)
    assert r["sdg_progress"] == "substantial_progress"


@pytest.mark.parametrize(
    ("target", "value", "klass"),
    [
        # T = B = 90, so r_r = 0 and no ratio exists; the sign of the actual rate decides:
        # ≥90 with 89.5 in 2025: r_a = (89.5/90)^(1/5) - 1 < 0 → deterioration
        ("≥90", 89.5, "deterioration"),
        # >90 with 90 in 2025: r_a = 0, not achieved, no worse than B → limited progress
        (">90", 90.0, "limited_progress"),
        ("≥90", 90.0, "target_achieved"),
    ],
)
def test_sdg_class_when_the_required_rate_is_zero(judge, target, value, klass) -> None:
    r = judge("90", target, {2025: value}, 2025)
    assert r["anticipated_ratio"] is None
    assert r["sdg_progress"] == klass


# --- polarity: the catalogue knows no lower-is-better indicator; names and cells must not mislead


def test_unemployment_rate_is_lower_is_better_whatever_its_cells_say(judge) -> None:
    # 城镇调查失业率 B = 5.2, T = 5.5左右: the cells (5.2 → 5.5) read "higher", the name says
    # lower (method §2 names the unemployment rate). V = 5.0 in 2022 ≤ 5.5: achieved —
    # read as higher-is-better it was "regressing", ρ = (5.0-5.2)/0.3 = -0.667.
    r = judge_named("城镇调查失业率", "5.2", "5.5左右", {2022: 5.0}, 2022)
    assert (r["polarity"], r["polarity_inferred"]) == ("lower", True)
    assert r["status"] == "achieved"
    # a plain level 5.5: 5.7 is past it → ρ = -(5.7-5.2)/0.3 = -1.667, regressing
    r = judge_named("城镇登记失业率", "5.2", "5.5", {2022: 5.7}, 2022)
    assert (r["polarity"], r["status"]) == ("lower", "regressing")
    assert r["rho"] == pytest.approx(-5 / 3)


@pytest.mark.parametrize(
    ("name", "polarity"),
    [
        ("孕产妇死亡率", "lower"),
        ("儿童青少年总体近视率", "lower"),
        ("县域外就诊率", "lower"),
        ("亿元国内生产总值生产安全事故死亡人数", "lower"),
        ("个人卫生支出占卫生总费用的比重", "lower"),
        ("城镇新增就业人数", "higher"),
        ("失业保险参保率", "higher"),  # insurance coverage: the cells decide (2 → 3)
        ("县域内就诊率", "higher"),
        ("孕产妇死亡率下降幅度", "higher"),  # a reduction achieved: more is better
    ],
)
def test_polarity_from_the_name_before_the_cells(judge, name, polarity) -> None:
    r = judge_named(name, "2", "3", {2022: 2.5}, 2022)
    assert (r["polarity"], r["polarity_inferred"]) == (polarity, True)


def test_a_polarity_read_from_the_cells_does_not_override_the_catalogue(judge) -> None:
    # readers fill PlanIndicator.polarity from the cells: 1800 → 1500 reads "lower", but the
    # catalogue says training figures are higher-is-better. V = 1400 in 2022 is a shortfall:
    # ρ = +(1400-1800)/|1500-1800| = -1.333, regressing (read as lower it was "achieved").
    from minsheng.domain.indicators import Polarity

    name = "参加各类补贴性职业技能培训人数"
    r = judge_named(name, "1800", "1500", {2022: 1400}, 2022, polarity=Polarity.LOWER)
    assert (r["polarity"], r["polarity_inferred"]) == ("higher", False)
    assert (r["status"], r["rho"]) == ("regressing", pytest.approx(-4 / 3))


def test_a_deliberate_row_polarity_still_wins(judge) -> None:
    # 2 → 3 reads "higher"; a row that says "lower" was set on purpose and is kept
    from minsheng.domain.indicators import Polarity

    r = judge_named("某项指标", "2", "3", {2022: 2.5}, 2022, polarity=Polarity.LOWER)
    assert (r["polarity"], r["polarity_inferred"]) == ("lower", False)


# --- qualitative targets: an analyst's verdict counts like any other status ------------------


@pytest.mark.parametrize(
    ("nature", "status", "warning", "notice"),
    [
        ("binding", "lagging", True, False),  # 约束性 and lagging: a warning (method §3)
        ("anticipatory", "regressing", False, True),  # 预期性: a notice
        ("binding", "on_track", False, False),
    ],
)
def test_a_judged_qualitative_target_raises_warnings_and_notices(
    judge, nature, status, warning, notice
) -> None:
    import polars as pl

    from minsheng.domain.indicators import Nature

    judgements = pl.DataFrame(
        {"indicator": ["x"], "status": [status], "judged_by": ["李"], "judged_at": ["2024-03-01"]}
    )
    r = judge("——", "显著提升", {}, 2023, judgements=judgements, nature=Nature(nature))
    assert r["status"] == status
    assert (r["warning"], r["notice"]) == (warning, notice)
    assert r["reason"] is None  # no longer "needs an analyst's judgement"


# --- cumulative: the baseline year's own value is not a baseline of a five-year total --------


def test_a_cumulative_target_does_not_take_one_years_value_as_its_baseline(judge) -> None:
    # 城镇老旧小区改造规模 —— → 【320】: 2020's 70 is last plan's final year, not a five-year total
    # ρ = (60 + 65)/320 = 0.390625 < e = 0.4 → lagging; the record shows no baseline
    r = judge("——", "【320】", {2020: 70.0, 2021: 60.0, 2022: 65.0}, 2022)
    assert (r["status"], r["rho"]) == ("lagging", pytest.approx(125 / 320))
    assert (r["baseline"], r["baseline_source"]) == (None, None)


# --- a five-year total of a level indicator is its change over the period --------------------


def test_a_bracketed_target_on_a_level_indicator_is_the_change_over_the_period() -> None:
    # 人均预期寿命 77.3 → 〔1〕 ("raise by one year over five years"): observations are levels.
    # L0 = 77.3 (plan baseline); 2022: 77.8 → change 0.5; ρ = 0.5/1 = 0.5 ≥ e = 0.4 → on_track;
    # E_t = 0.4 × 1 = 0.4. Summing the levels gave ρ = (77.6 + 77.8)/1 = 155.4, "achieved".
    r = judge_named("人均预期寿命", "77.3", "〔1〕", {2021: 77.6, 2022: 77.8}, 2022)
    assert r["target_kind"] == "cumulative"
    assert (r["status"], r["method"]) == ("on_track", "cumulative_change")
    assert (r["rho"], r["expected"], r["value"]) == (
        pytest.approx(0.5),
        pytest.approx(0.4),
        pytest.approx(0.5),
    )
    assert r["baseline"] == pytest.approx(77.3)


def test_the_level_at_the_baseline_year_comes_from_observations_when_the_cell_is_a_change() -> None:
    # baseline cell 〔1.2〕 is last period's change, not a level: L0 = observed 2020 value 77.9;
    # 2022: 78.2 → change 0.3; ρ = 0.3 < e = 0.4 → lagging
    r = judge_named("人均预期寿命", "〔1.2〕", "〔1〕", {2020: 77.9, 2022: 78.2}, 2022)
    assert (r["status"], r["rho"], r["baseline"]) == (
        "lagging",
        pytest.approx(0.3),
        pytest.approx(77.9),
    )
    # no level at the baseline year at all: the change cannot be measured
    r = judge_named("人均预期寿命", "〔1.2〕", "〔1〕", {2022: 78.2}, 2022)
    assert (r["status"], r["reason"]) == (
        "no_data",
        "no 2020 level for this region to measure the change from",
    )


def test_flows_in_brackets_are_still_summed() -> None:
    # 城镇新增就业人数 【16.9】 → 【12】 (万人): 2.5 + 2.6 = 5.1; ρ = 5.1/12 = 0.425 ≥ 0.4
    r = judge_named("城镇新增就业人数", "【16.9】", "【12】", {2021: 2.5, 2022: 2.6}, 2022)
    assert (r["status"], r["method"], r["rho"]) == (
        "on_track",
        "cumulative_share",
        pytest.approx(0.425),
    )
