"""Properties of the drafting kernels: exact trends are projected exactly; the cascade's mean is a
mean; a drafted cell says its target's form as a reader of the exported table reads it."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng.analytics.cascade import cascade
from minsheng.analytics.draft_rows import draft_indicator
from minsheng.analytics.drafting import evidence, propose
from minsheng.analytics.specs import specs_frame
from minsheng.domain.indicators import Nature, PlanIndicator, Polarity
from minsheng.domain.targets import (
    Target,
    TargetKind,
    apply_footnote,
    format_target,
    parse_target,
    read_footnote,
)
from minsheng.ingest.documents.footnotes import apply_note_texts


def _spec(unit: str = "个") -> pl.DataFrame:
    row = PlanIndicator(
        1, None, "x", unit, "—", "—", Nature.ANTICIPATORY,
        baseline=parse_target(None), target=parse_target("1"), polarity=Polarity.HIGHER,
    )  # fmt: skip
    return specs_frame([row], baseline_year=2020, target_year=2025)


@given(
    start=st.floats(1, 1000),
    slope=st.floats(-5, 50),
    years=st.sets(st.integers(2020, 2025), min_size=2),
)
def test_points_on_a_line_are_projected_on_that_line(
    start: float, slope: float, years: set[int]
) -> None:
    obs = pl.DataFrame(
        {
            "indicator": "x",
            "region": "r",
            "year": sorted(years),
            "value": [start + slope * (y - 2020) for y in sorted(years)],
        }
    )
    row = evidence(_spec(), obs, region="r", base_year=2025, to_year=2030).row(0, named=True)
    assert row["linear"] == pytest.approx(max(0.0, start + slope * 10), rel=1e-6, abs=1e-6)


@given(start=st.floats(1, 1000), rate=st.floats(-0.2, 0.5), first=st.integers(2020, 2023))
def test_a_constant_rate_is_carried_at_that_rate(start: float, rate: float, first: int) -> None:
    years = list(range(first, 2026))
    obs = pl.DataFrame(
        {
            "indicator": "x",
            "region": "r",
            "year": years,
            "value": [start * (1 + rate) ** (y - first) for y in years],
        }
    )
    row = propose(evidence(_spec(), obs, region="r", base_year=2025, to_year=2030)).row(
        0, named=True
    )
    assert row["historical_rate"] == pytest.approx(rate, abs=1e-9)
    assert row["compound"] == pytest.approx(start * (1 + rate) ** (2030 - first), rel=1e-9)
    # the pace proposal is that projection at the cells' precision (whole numbers here),
    # never below the 2025 value
    assert abs(row["proposed"] - row["compound"]) <= 0.5 + 1e-9 or row["rule_used"] == "hold"
    assert row["proposed"] >= row["value"] - 0.5


@given(children=st.lists(st.tuples(st.floats(0, 100), st.floats(1, 1e7)), min_size=1, max_size=12))
def test_the_weighted_mean_of_children_lies_between_them(
    children: list[tuple[float, float]],
) -> None:
    regions = [f"r{i}" for i in range(len(children))]
    parent = pl.DataFrame(
        {
            "canonical_code": ["X"],
            "name": ["某率"],
            "unit": ["%"],
            "percent": [False],
            "kind": ["reach"],
            "target": [50.0],
            "polarity": ["higher"],
        }
    )
    child = pl.DataFrame(
        {
            "region": regions,
            "canonical_code": "X",
            "target": [t for t, _ in children],
            "kind": "reach",
            "unit": "%",
        }
    )
    pops = pl.DataFrame({"region": regions, "population": [p for _, p in children]})
    row = cascade(parent, child, pops).row(0, named=True)
    targets = [t for t, _ in children]
    assert min(targets) - 1e-9 <= row["combined"] <= max(targets) + 1e-9
    assert row["reaches"] == (row["combined"] >= 50.0 - 1e-9)
    assert sorted(row["short_children"]) == sorted(
        r for r, t in zip(regions, targets, strict=True) if t < 50.0
    )


FORMS = [TargetKind.REACH, TargetKind.ABOVE, TargetKind.AT_LEAST, TargetKind.BELOW,
         TargetKind.AT_MOST, TargetKind.ABOUT, TargetKind.CUMULATIVE, TargetKind.ANNUAL_AVERAGE]  # fmt: skip


@given(
    kind=st.sampled_from(FORMS),
    old=st.integers(1, 10**6).map(lambda n: n / 100),
    new=st.integers(0, 10**6).map(lambda n: n / 100),
    percent=st.booleans(),
    marker=st.sampled_from([None, "*", "**"]),
    mean=st.integers(1, 10**5).map(lambda n: n / 10),
)
def test_a_drafted_cell_reads_back_in_its_old_form(kind, old, new, percent, marker, mean) -> None:
    """Whatever the old cell's form and marker: the draft's cell, parsed by the grammar and given
    the draft row's 注 as the document reader gives a table's notes, is the draft's own target —
    a yearly average stays one, and no old marker turns a level into one."""
    cell = Target(kind if kind is not TargetKind.ANNUAL_AVERAGE else TargetKind.REACH, value=old,
                  percent=percent, marker=marker or ("*" if kind is TargetKind.ANNUAL_AVERAGE else None))  # fmt: skip
    raw = format_target(cell)
    target = parse_target(raw)
    if kind is TargetKind.ANNUAL_AVERAGE:
        note = read_footnote(f"带{target.marker}为年度平均值。")
        assert note is not None
        target = apply_footnote(target, note)
    assert target.kind is kind
    row_in = PlanIndicator(
        1, None, "x", "%" if percent else "个", "—", raw, Nature.ANTICIPATORY,
        baseline=parse_target(None), target=target, polarity=Polarity.HIGHER,
    )  # fmt: skip
    row = {
        "base_year": 2025, "to_year": 2030, "value": mean, "value_year": 2025, "digits": 2,
        "period_total": mean * 5, "annual_mean": mean, "rule_used": "pace", "proposed": new,
        "upper_bound": None,
    }  # fmt: skip
    drafted = draft_indicator(row_in, row)
    assert drafted.target.kind is kind and drafted.target.value == new
    base, back = apply_note_texts(
        parse_target(drafted.baseline_raw), parse_target(drafted.target_raw), drafted.notes, "x"
    )
    assert back == drafted.target and base == drafted.baseline
    if kind is TargetKind.ANNUAL_AVERAGE:
        assert drafted.baseline.kind is kind and drafted.baseline.value == mean
    else:
        assert "*" not in (drafted.target_raw or "")
