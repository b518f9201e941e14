"""Every status but achieved says why, in words, with the digits that show it."""

from __future__ import annotations

import polars as pl
import pytest

from minsheng.analytics.evaluation import evaluate
from minsheng.analytics.specs import specs_frame

# (baseline, target, values, year) → status, words the reason must hold
CASES = [
    pytest.param("2.0", "2.5", {2025: 2.4988}, 2025, "lagging",
                 ["2.4988 (2025) is below the target 2.5"], id="just-short-keeps-its-digits"),
    pytest.param("95.2%", "96%", {2023: 95.4}, 2023, "lagging",
                 ["95.4 (2023) is below the target 96", "behind the expected 95.68 for 2023"],
                 id="level-behind-pace"),
    pytest.param("95.2%", "96%", {2022: 95.0}, 2022, "regressing",
                 ["worse than the baseline 95.2 (2020)"], id="level-regressing"),
    pytest.param("95.2%", "96%", {2021: 95.3, 2022: 95.7}, 2023, "on_track",
                 ["on course: expected 95.52 for 2022"], id="level-on-track"),
    pytest.param("85.2%", ">90%", {2023: 87.0}, 2023, "lagging",
                 ["87 (2023) is not above the target 90"], id="above"),
    pytest.param("—", "应保尽保", {2021: 100.0, 2022: 100.0, 2023: 97.0}, 2023, "lagging",
                 ["2023 did not hold: 97 < 100"], id="full-coverage-failed-year"),
    pytest.param("—", "应保尽保", {2021: 100.0, 2022: 100.0}, 2023, "on_track",
                 ["every year observed held (2 of 2)"], id="full-coverage-on-track"),
    pytest.param("—", "【320】", {2021: 40.0, 2022: 50.0}, 2023, "lagging",
                 ["the total 90 of 2 year(s) against the 320 planned", "expected 128"],
                 id="cumulative-behind"),
    pytest.param("——", "3.4", {2022: 3.0}, 2022, "no_data",
                 ["no 2020 value for this region and no baseline in the plan"], id="no-baseline"),
    pytest.param("2.0", "2.5", {}, 2023, "no_data", ["no value for this region in 2021–2023"],
                 id="no-value"),
]  # fmt: skip


@pytest.mark.parametrize(("baseline", "target", "values", "year", "status", "words"), CASES)
def test_every_status_but_achieved_explains_itself(
    judge, baseline, target, values, year, status, words
) -> None:
    r = judge(baseline, target, values, year)
    assert r["status"] == status
    for word in words:
        assert word in r["reason"], r["reason"]


def test_an_achieved_status_needs_no_reason(judge) -> None:
    r = judge("95.2%", "96%", {2023: 96.1}, 2023)
    assert (r["status"], r["reason"]) == ("achieved", None)


def _national_for(region: str, values: dict[tuple[str, int], float], name: str = "毛入园率"):  # noqa: ANN202
    from evaluation_helpers import indicator

    specs = specs_frame([indicator("85.2%", "90%", name=name)], plan_region="100000")
    obs = pl.DataFrame(
        [(name, r, y, v) for (r, y), v in values.items()],
        schema={"indicator": pl.Utf8, "region": pl.Utf8, "year": pl.Int64, "value": pl.Float64},
        orient="row",
    )
    return evaluate(specs, obs, 2023, regions=[region]).row(0, named=True)


@pytest.mark.parametrize(
    ("values", "baseline", "source", "said"),
    [
        ({("500118", 2020): 80.0, ("500118", 2023): 86.0}, 80.0, "observed", None),
        ({("500118", 2023): 86.0}, 85.2, "plan_region", "no 2020 value for this region"),
    ],
)
def test_another_regions_baseline_is_its_own_where_observed(values, baseline, source, said) -> None:
    r = _national_for("500118", values)
    assert (r["baseline"], r["baseline_source"]) == (pytest.approx(baseline), source)
    if said:
        assert said in r["reason"]
