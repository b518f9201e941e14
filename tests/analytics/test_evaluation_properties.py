"""Properties of the evaluation kernel: monotone in the value, blind to row order, equal to a naive oracle."""

from __future__ import annotations

import polars as pl
from evaluation_helpers import indicator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from minsheng.analytics.evaluation import evaluate
from minsheng.analytics.rules import STATUS_ORDER
from minsheng.analytics.specs import specs_frame
from minsheng.domain.indicators import Polarity

RANK = {s: i for i, s in enumerate(STATUS_ORDER)}
finite = st.floats(min_value=-1000, max_value=1000, allow_nan=False, allow_infinity=False)


def _two_regions(
    baseline: str, target: str, year: int, v1: float, v2: float, **kw
) -> tuple[str, str]:
    specs = specs_frame([indicator(baseline, target, **kw)])
    obs = pl.DataFrame(
        {"indicator": ["x", "x"], "region": ["1", "2"], "year": [year, year], "value": [v1, v2]}
    )
    out = evaluate(specs, obs, year).sort("region")
    s1, s2 = out.get_column("status").to_list()
    return s1, s2


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    b=st.floats(min_value=0, max_value=100),
    gap=st.floats(min_value=0.01, max_value=50),
    year=st.integers(min_value=2021, max_value=2025),
    v1=finite,
    v2=finite,
    kind=st.sampled_from(["{}", ">{}", "≥{}"]),
)
def test_status_is_monotone_in_the_value_higher_is_better(b, gap, year, v1, v2, kind) -> None:
    low, high = sorted((v1, v2))
    target = kind.format(f"{b + gap:.6f}")
    s_low, s_high = _two_regions(f"{b:.6f}", target, year, low, high, polarity=Polarity.HIGHER)
    assert RANK[s_low] <= RANK[s_high], (s_low, s_high)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    b=st.floats(min_value=1, max_value=100),
    gap=st.floats(min_value=0.01, max_value=0.99),
    year=st.integers(min_value=2021, max_value=2025),
    v1=finite,
    v2=finite,
    kind=st.sampled_from(["{}", "<{}", "≤{}"]),
)
def test_status_is_monotone_in_the_value_lower_is_better(b, gap, year, v1, v2, kind) -> None:
    low, high = sorted((v1, v2))
    target = kind.format(f"{b * (1 - gap):.6f}")
    s_low, s_high = _two_regions(f"{b:.6f}", target, year, low, high, polarity=Polarity.LOWER)
    assert RANK[s_low] >= RANK[s_high], (s_low, s_high)


CELLS = [
    ("95.2%", "96%"),
    ("85%", ">90%"),
    ("6", "<5.5"),
    ("4", "5左右"),
    ("", "【12】"),
    ("——", "应保尽保"),
    ("100%", "100%"),
    ("——", "3.4"),
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(CELLS) - 1),
            st.sampled_from(["1", "2", "3"]),
            st.integers(min_value=2019, max_value=2026),
            st.floats(min_value=0, max_value=120, allow_nan=False),
        ),
        min_size=1,
        max_size=40,
        unique_by=lambda r: (r[0], r[1], r[2]),
    ),
    year=st.integers(min_value=2021, max_value=2025),
    data=st.data(),
)
def test_evaluation_is_invariant_to_the_order_of_observations(rows, year, data) -> None:
    specs = specs_frame([indicator(b, t, name=f"i{i}", seq=i) for i, (b, t) in enumerate(CELLS)])
    obs = pl.DataFrame(
        {
            "indicator": [f"i{r[0]}" for r in rows],
            "region": [r[1] for r in rows],
            "year": [r[2] for r in rows],
            "value": [r[3] for r in rows],
        }
    )
    order = data.draw(st.permutations(list(range(obs.height))))
    shuffled = obs[order]
    a = evaluate(specs, obs, year, regions=["1", "2", "3"]).sort("indicator", "region")
    b = evaluate(specs, shuffled, year, regions=["1", "2", "3"]).sort("indicator", "region")
    assert_frame_equal(a, b, check_exact=False, rel_tol=1e-9, abs_tol=1e-9)


def _naive_status(b: float, t: float, values: dict[int, float], year: int) -> str:
    """The method §3 read literally, one indicator at a time (reach, higher is better)."""
    years = [y for y in values if 2020 < y <= min(year, 2025)]
    if not years:
        return "no_data"
    latest = max(years)
    v = values[latest]
    if v >= t:
        return "achieved"
    rho = (v - b) / (t - b)
    e = (latest - 2020) / 5
    if rho < 0:
        return "regressing"
    return "on_track" if rho >= e else "lagging"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    b=st.integers(min_value=0, max_value=90),
    gap=st.integers(min_value=1, max_value=10),
    values=st.dictionaries(
        st.integers(min_value=2019, max_value=2026),
        st.integers(min_value=0, max_value=110),
        max_size=6,
    ),
    year=st.integers(min_value=2021, max_value=2025),
)
def test_reach_agrees_with_a_naive_oracle(b, gap, values, year) -> None:
    t = b + gap
    specs = specs_frame([indicator(str(b), str(t), polarity=Polarity.HIGHER)])
    obs = pl.DataFrame(
        {
            "indicator": ["x"] * len(values),
            "region": ["1"] * len(values),
            "year": list(values),
            "value": [float(v) for v in values.values()],
        },
        schema={"indicator": pl.Utf8, "region": pl.Utf8, "year": pl.Int64, "value": pl.Float64},
    )
    got = evaluate(specs, obs, year, regions=["1"]).get_column("status").item()
    assert got == _naive_status(b, t, {k: float(v) for k, v in values.items()}, year)
