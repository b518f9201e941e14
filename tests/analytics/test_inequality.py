"""Spread measures against PySAL ``inequality``, hand computations and the equal-weights reduction."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inequality.gini import Gini
from inequality.theil import Theil, TheilD

from minsheng.analytics.inequality import (
    gap_trend,
    gini,
    max_min_ratio,
    spread,
    theil_decomposition,
    theil_l,
    theil_t,
    weighted_cv,
    weighted_mean,
)
from minsheng.domain.errors import InvalidData

positive = st.lists(
    st.floats(min_value=0.01, max_value=1e4, allow_nan=False), min_size=2, max_size=60
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=positive)
def test_unweighted_gini_and_theil_agree_with_pysal(values) -> None:
    y = np.array(values)
    assert gini(y) == pytest.approx(Gini(y).g, abs=1e-9)
    assert theil_t(y) == pytest.approx(float(Theil(y).T), abs=1e-9)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=positive, data=st.data())
def test_unweighted_decomposition_agrees_with_pysal(values, data) -> None:
    y = np.array(values)
    groups = np.array(
        data.draw(st.lists(st.sampled_from("abc"), min_size=len(values), max_size=len(values)))
    )
    ours = theil_decomposition(y, groups)
    theirs = TheilD(y, groups)
    assert ours.total == pytest.approx(float(theirs.T), abs=1e-9)
    assert ours.between == pytest.approx(float(np.ravel(theirs.bg)[0]), abs=1e-9)
    assert ours.within == pytest.approx(float(np.ravel(theirs.wg)[0]), abs=1e-9)


def test_real_like_panel_agrees_with_pysal_column_by_column() -> None:
    rng = np.random.default_rng(7)
    y = rng.lognormal(3, 0.5, size=(120, 4))
    groups = np.repeat(np.arange(12), 10)
    theirs = TheilD(y, groups)
    for col in range(4):
        ours = theil_decomposition(y[:, col], groups)
        assert ours.total == pytest.approx(theirs.T[col], abs=1e-9)
        assert ours.between == pytest.approx(theirs.bg[col], abs=1e-9)
        assert gini(y[:, col]) == pytest.approx(Gini(y[:, col]).g, abs=1e-9)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(st.floats(min_value=0.1, max_value=1000), min_size=2, max_size=20),
    data=st.data(),
)
def test_integer_weights_equal_repeating_the_region(values, data) -> None:
    """A region of population k counts as k regions of population 1 (and PySAL agrees on those)."""
    w = np.array(data.draw(st.lists(st.integers(1, 6), min_size=len(values), max_size=len(values))))
    y = np.array(values)
    rep = np.repeat(y, w)
    assert gini(y, w) == pytest.approx(Gini(rep).g, abs=1e-9)
    assert theil_t(y, w) == pytest.approx(float(Theil(rep).T), abs=1e-9)
    assert theil_l(y, w) == pytest.approx(theil_l(rep), abs=1e-9)
    assert weighted_cv(y, w) == pytest.approx(np.std(rep) / np.mean(rep), abs=1e-9)
    assert weighted_mean(y, w) == pytest.approx(np.mean(rep), abs=1e-9)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=positive, data=st.data())
def test_weighted_decompositions_add_up(values, data) -> None:
    n = len(values)
    w = np.array(data.draw(st.lists(st.floats(0.1, 100), min_size=n, max_size=n)))
    g = np.array(data.draw(st.lists(st.sampled_from("xyz"), min_size=n, max_size=n)))
    for measure in ("T", "L"):
        d = theil_decomposition(values, g, w, measure)
        assert d.between + d.within == pytest.approx(d.total, abs=1e-9)
        assert d.between >= -1e-12


def test_hand_computed_unweighted() -> None:
    y = [1.0, 2.0, 3.0, 4.0]
    # μ = 2.5; CV = √1.25 / 2.5 = 0.447214
    assert weighted_cv(y) == pytest.approx(math.sqrt(1.25) / 2.5)
    # Σ|yi-yj| over ordered pairs = 20; G = 20 / (2 × 4² × 2.5) = 0.25
    assert gini(y) == pytest.approx(0.25)
    # L = ¼ ln(2.5⁴ / 24) = ¼ ln(1.627604) = 0.121777
    assert theil_l(y) == pytest.approx(math.log(2.5**4 / 24) / 4)
    assert max_min_ratio(y) == 4.0


def test_hand_computed_weighted() -> None:
    y, w = [10.0, 20.0], [3.0, 1.0]
    # p = (0.75, 0.25); μ = 12.5
    assert weighted_mean(y, w) == pytest.approx(12.5)
    # var = 0.75 × 2.5² + 0.25 × 7.5² = 18.75; CV = √18.75 / 12.5 = 0.346410
    assert weighted_cv(y, w) == pytest.approx(math.sqrt(18.75) / 12.5)
    # G = 2 × 0.75 × 0.25 × 10 / (2 × 12.5) = 0.15
    assert gini(y, w) == pytest.approx(0.15)
    # T = 0.75 × 0.8 ln 0.8 + 0.25 × 1.6 ln 1.6
    assert theil_t(y, w) == pytest.approx(0.75 * 0.8 * math.log(0.8) + 0.25 * 1.6 * math.log(1.6))
    # L = 0.75 ln(12.5/10) + 0.25 ln(12.5/20)
    assert theil_l(y, w) == pytest.approx(0.75 * math.log(1.25) + 0.25 * math.log(0.625))


def test_equal_values_have_no_spread() -> None:
    y = [5.0] * 6
    assert (
        gini(y) == pytest.approx(0)
        and theil_t(y) == pytest.approx(0)
        and theil_l(y) == pytest.approx(0)
    )
    assert weighted_cv(y) == pytest.approx(0)


def test_zeros_and_bad_inputs() -> None:
    assert math.isnan(theil_l([0.0, 1.0]))
    assert math.isnan(max_min_ratio([0.0, 1.0]))
    assert theil_t([0.0, 1.0]) == pytest.approx(math.log(2))  # all in one of two regions
    with pytest.raises(InvalidData):
        gini([-1.0, 2.0])
    with pytest.raises(InvalidData):
        gini([1.0, 2.0], [1.0])
    with pytest.raises(InvalidData):
        weighted_mean([])


def test_spread_over_years_and_the_gap_trend() -> None:
    frame = pl.DataFrame(
        {
            "year": [2021] * 4 + [2022] * 4,
            "region": ["a", "b", "c", "d"] * 2,
            "prefecture": ["p", "p", "q", "q"] * 2,
            "value": [1.0, 2.0, 3.0, 4.0, 2.0, 2.5, 3.0, 3.5],
            "population": [1.0] * 8,
        }
    )
    s = spread(frame, group="prefecture")
    assert s.get_column("year").to_list() == [2021, 2022]
    assert s.get_column("gini").to_list()[0] == pytest.approx(0.25)
    row = s.row(0, named=True)
    assert row["theil_t_between"] + row["theil_t_within"] == pytest.approx(row["theil_t"])
    trend = gap_trend(s, "gini")
    assert trend.get_column("narrowed").to_list() == [None, True]


def test_a_year_one_region_reported_has_no_spread_not_a_gini_of_zero() -> None:
    """A report read 九年义务教育巩固率 2020—2023, 1 region, Gini 0 → 0, 持平: one region has
    no gap, so it neither stays level nor narrows."""
    frame = pl.DataFrame(
        {
            "year": [2020, 2021, 2021, 2022],
            "region": ["a", "a", "b", "a"],
            "prefecture": ["p", "p", "q", "p"],
            "value": [90.0, 90.0, 95.0, 91.0],
            "population": [1.0] * 4,
        }
    )
    s = spread(frame, group="prefecture")
    assert s.get_column("regions").to_list() == [1, 2, 1]
    assert s.get_column("mean").to_list()[0] == pytest.approx(90.0)
    for measure in ("gini", "cv", "theil_t", "theil_l", "max_min_ratio", "theil_t_between"):
        values = s.get_column(measure).to_list()
        assert values[0] is None and values[2] is None and values[1] is not None, measure
    assert gap_trend(s, "gini").get_column("narrowed").to_list() == [None, None, None]
