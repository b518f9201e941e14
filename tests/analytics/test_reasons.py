"""Reasons are worded per choice of template, for many rows at once: each row must still get
its own words, with its own figures, whatever the other rows in the frame are."""

from __future__ import annotations

import polars as pl
from evaluation_helpers import indicator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minsheng.analytics import reasons
from minsheng.analytics.evaluation import evaluate
from minsheng.analytics.reason_templates import TEMPLATES
from minsheng.analytics.specs import specs_frame

#: Targets of several forms, so a frame mixes templates (level, above, cumulative, every year).
FORMS = [("95.2%", "96%"), ("85.2%", ">90%"), ("—", "【320】"), ("—", "应保尽保"), ("2.0", "2.5")]

value = st.one_of(st.none(), st.floats(0, 400, allow_nan=False).map(lambda v: round(v, 3)))
region_values = st.lists(st.tuples(value, value, value), min_size=1, max_size=12)


def _judge(values: list[tuple[float | None, ...]], regions: list[str]) -> pl.DataFrame:
    specs = specs_frame(
        [indicator(b, t, name=f"x{i}", seq=i + 1) for i, (b, t) in enumerate(FORMS)],
        plan_region="100000",
    )
    rows = [
        (f"x{i}", region, 2021 + k, v)
        for i in range(len(FORMS))
        for region, vs in zip(regions, values, strict=True)
        for k, v in enumerate(vs)
        if v is not None
    ]
    obs = pl.DataFrame(
        rows,
        schema={"indicator": pl.Utf8, "region": pl.Utf8, "year": pl.Int64, "value": pl.Float64},
        orient="row",
    )
    return evaluate(specs, obs, 2023, regions=regions).sort("indicator", "region")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(region_values)
def test_each_row_is_worded_as_if_judged_alone(values) -> None:
    regions = [f"11{i:04d}" for i in range(len(values))]
    together = _judge(values, regions)
    alone = pl.concat([_judge([v], [r]) for v, r in zip(values, regions, strict=True)])
    assert together.select("status", "reason", "reason_zh").equals(
        alone.sort("indicator", "region").select("status", "reason", "reason_zh")
    )


def test_rows_sharing_a_template_quote_their_own_figures() -> None:
    regions = [f"11{i:04d}" for i in range(50)]
    values = [(None, None, 95.21 + i / 200) for i in range(50)]  # all behind the pace: lagging
    result = _judge(values, regions).filter(pl.col("indicator") == "x0")
    for row in result.iter_rows(named=True):
        said = f"{row['value']:g} (2023) is below the target 96"
        assert row["status"] == "lagging" and said in row["reason"], row


def test_no_placeholder_is_left_unfilled() -> None:
    values = [(None, None, None), (96.5, 97.0, 101.0), (50.0, 60.0, 10.0), (None, 95.0, None)]
    result = _judge(values, [f"11{i:04d}" for i in range(len(values))])
    worded = result.filter(pl.col("reason").is_not_null())
    assert worded.height and worded.select(
        pl.col("reason", "reason_zh").str.contains(r"\{")
    ).sum().row(0) == (0, 0)
    # both languages are worded on the same rows
    assert result.get_column("reason").is_null().equals(result.get_column("reason_zh").is_null())


def test_every_special_case_and_explanation_names_a_template() -> None:
    assert set(reasons.SPECIAL) <= set(TEMPLATES)
    choice = dict.fromkeys((reasons.CASE, *reasons.CHOICES))
    for kind in ("reach", "above", "about", "cumulative", "annual_average", "full_coverage"):
        for status in ("lagging", "regressing", "on_track"):
            for s in (1, -1, 0, None):
                choice |= {
                    "kind": kind,
                    "status": status,
                    "_s": s,
                    "_level": kind in ("reach", "above", "about"),
                }
                for language in ("en", "zh"):
                    assert "{gap}" not in reasons.explained(choice, language)
