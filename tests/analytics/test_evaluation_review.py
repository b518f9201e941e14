"""Hand-computed cases from an analyst's review of the engine against the method.

Each case states B, T, V and the years (2020 → 2025 unless said); the expected
numbers are worked out in the comment beside them.
"""

from __future__ import annotations

import pytest

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
