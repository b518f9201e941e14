"""A value known only as a bound (``>95``) is judged as a bound: it meets what every value
beyond it meets, misses what none does, and otherwise the status says it is not shown."""

from __future__ import annotations

import polars as pl
import pytest
from evaluation_helpers import indicator

from minsheng.analytics.evaluation import evaluate
from minsheng.analytics.specs import specs_frame


def judge_bound(target: str, bound: str | None, value: float, baseline: str = "90") -> dict:
    specs = specs_frame([indicator(baseline, target)], baseline_year=2020, target_year=2025)
    obs = pl.DataFrame(
        {
            "indicator": ["x"],
            "region": ["110101"],
            "year": [2025],
            "value": [value],
            "bound": [bound],
        },
        schema={
            "indicator": pl.Utf8,
            "region": pl.Utf8,
            "year": pl.Int64,
            "value": pl.Float64,
            "bound": pl.Utf8,
        },
    )
    return evaluate(specs, obs, 2025, regions=["110101"]).row(0, named=True)


@pytest.mark.parametrize(
    ("target", "bound", "value", "status"),
    [
        (">95", ">", 95, "achieved"),  # >95 meets >95 …
        ("≥95", ">", 95, "achieved"),  # … and ≥95
        ("≥95", ">=", 95, "achieved"),
        (">95", ">=", 95, "undetermined"),  # ≥95 does not show >95
        ("≥96", ">", 95, "undetermined"),  # >95 does not prove ≥96
        ("96", ">", 95, "undetermined"),
        ("≥95", "<", 5, "regressing"),  # <5 surely misses ≥95 (and is below the baseline 90)
        ("≤5", "<", 5, "achieved"),
        ("≤5", "<=", 7, "undetermined"),  # ≤7 may or may not be ≤5
    ],
)
def test_bound_judged_as_bound(target: str, bound: str, value: float, status: str) -> None:
    row = judge_bound(target, bound, value)
    assert row["status"] == status, row["reason"]
    if status == "undetermined":
        assert "bound" in row["reason"] and row["grade"] is None


def test_bound_beyond_a_cap_fails() -> None:
    row = judge_bound("≤5", ">", 6, baseline="8")
    assert row["status"] != "achieved" and row["status"] != "undetermined"


def test_the_same_value_without_a_bound_is_judged_as_a_level() -> None:
    assert judge_bound("≥96", None, 95)["status"] != "undetermined"
    assert judge_bound(">95", None, 95)["status"] != "achieved"
