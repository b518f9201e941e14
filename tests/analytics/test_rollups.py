"""Roll-ups: counts by status, warnings first, rankings, the multi-level view."""

from __future__ import annotations

import polars as pl
import pytest
from evaluation_helpers import indicator

from minsheng.analytics.evaluation import evaluate
from minsheng.analytics.rollups import (
    by_domain,
    by_plan,
    by_region,
    rank_regions,
    stack_levels,
    status_counts,
    warnings_first,
)
from minsheng.analytics.specs import specs_frame
from minsheng.domain.errors import InvalidData
from minsheng.domain.indicators import Nature


@pytest.fixture
def results() -> pl.DataFrame:
    inds = [
        indicator("1", "2", name="a", nature=Nature.BINDING, seq=1),
        indicator("1", "2", name="b", nature=Nature.ANTICIPATORY, seq=2),
        indicator("——", "显著提升", name="q", seq=3),
    ]
    inds[0].domain_code = "education"
    inds[1].domain_code = "health_care"
    specs = specs_frame(inds, plan="p")
    # prefecture 110100's two districts 110101, 110102 and a region of another prefecture
    obs = pl.DataFrame(
        {
            "indicator": ["a", "b", "a", "b", "a", "b"],
            "region": ["110101", "110101", "110102", "110102", "120101", "120101"],
            "year": [2023] * 6,
            # a: 2.0 achieved | 1.2 lagging (ρ 0.2 < 0.6) | 0.5 regressing
            # b: 1.8 on track (ρ 0.8) | 0.9 regressing | 2.0 achieved
            "value": [2.0, 1.8, 1.2, 0.9, 0.5, 2.0],
        }
    )
    return evaluate(specs, obs, 2023)


def test_status_counts_per_plan(results) -> None:
    row = by_plan(results).row(0, named=True)
    # 9 rows: achieved 2, on_track 1, lagging 1, regressing 2, not_assessable 3 (the qualitative row × 3 regions)
    assert (
        row["achieved"],
        row["on_track"],
        row["lagging"],
        row["regressing"],
        row["not_assessable"],
    ) == (2, 1, 1, 2, 3)
    assert (row["total"], row["assessed"]) == (9, 6)
    assert row["share_good"] == pytest.approx(3 / 6)
    assert row["share_good_of_all"] == pytest.approx(3 / 9)
    # binding a: lagging + regressing → 2 warnings; anticipatory b: 1 regressing → 1 notice
    assert (row["warnings"], row["notices"]) == (2, 1)


def test_by_domain_and_region(results) -> None:
    domains = dict(
        zip(
            *by_domain(results)
            .select("service_domain", "achieved")
            .to_dict(as_series=False)
            .values(),
            strict=True,
        )
    )
    assert domains["education"] == 1 and domains["health_care"] == 1
    regions = by_region(results).select("region", "share_good").rows()
    # 110101: a achieved, b on track → 1.0; 110102: 0/2; 120101: b achieved → 1/2
    assert regions == [("110101", 1.0), ("110102", 0.0), ("120101", 0.5)]


def test_warnings_first(results) -> None:
    ordered = warnings_first(results)
    top = ordered.head(3).select("indicator", "region", "warning", "notice").rows()
    # binding warnings first (regressing before lagging), then the notice
    assert top == [
        ("a", "120101", True, False),
        ("a", "110102", True, False),
        ("b", "110102", False, True),
    ]


def test_binding_not_completed_leads_every_report() -> None:
    specs = specs_frame(
        [
            indicator("1", "2", name="late", nature=Nature.BINDING, seq=2),
            indicator("1", "2", name="warn", nature=Nature.BINDING, seq=1),
        ]
    )
    obs = pl.DataFrame(
        {
            "indicator": ["late", "warn"],
            "region": ["1", "1"],
            "year": [2025, 2024],
            "value": [1.5, 1.1],
        }
    )
    ordered = warnings_first(evaluate(specs, obs, 2025))
    assert ordered["indicator"].to_list() == [
        "late",
        "warn",
    ]  # not completed (2025 data) before a plain warning


def test_rank_children_of_a_prefecture(results) -> None:
    ranked = rank_regions(results, parent="110100")
    assert ranked.select("region", "rank").rows() == [("110101", 1), ("110102", 2)]
    everyone = rank_regions(results)
    assert everyone["region"].to_list() == ["110101", "120101", "110102"]


def test_stack_levels_orders_top_down(results) -> None:
    county = results.filter(pl.col("region") == "110101")
    province = results.filter(pl.col("region") == "120101")
    stacked = stack_levels(
        [
            ({"title": "县规划", "level": None, "region_code": "110101"}, county),
            ({"title": "省规划", "level": "province", "region_code": "120000"}, province),
        ]
    )
    assert stacked.select("plan_title", "level").unique(maintain_order=True).rows() == [
        ("省规划", "province"),
        ("县规划", "county"),
    ]
    counts = status_counts(stacked, ["plan_title"])
    assert counts["total"].to_list() == [3, 3]


def test_missing_columns_and_empty_stack(results) -> None:
    with pytest.raises(InvalidData):
        status_counts(results, ["nope"])
    with pytest.raises(InvalidData):
        stack_levels([])


def test_tied_regions_share_a_rank() -> None:
    # T = 2 from B = 1, e = 0.6 in 2023:
    # 110101: 2.0 achieved, ρ 1.0 | 110102 and 110105: 1.8 on track, ρ 0.8 (a tie) |
    # 110106: 1.1 lagging, ρ 0.1, one warning. Competition ranking: 1, 2, 2, 4.
    specs = specs_frame([indicator("1", "2", name="a")])
    obs = pl.DataFrame(
        {
            "indicator": ["a"] * 4,
            "region": ["110106", "110105", "110102", "110101"],
            "year": [2023] * 4,
            "value": [1.1, 1.8, 1.8, 2.0],
        }
    )
    ranked = rank_regions(evaluate(specs, obs, 2023))
    assert ranked.select("region", "rank").rows() == [
        ("110101", 1),
        ("110102", 2),  # ties listed by region code
        ("110105", 2),
        ("110106", 4),
    ]


def test_overachievement_does_not_buy_a_better_rank() -> None:
    # two indicators B = 1 → T = 2, e = 0.6 in 2023; each region: one achieved, one lagging.
    # 110101: a = 6.0 (ρ 5.0), b = 1.1 (ρ 0.1) — mean ρ 2.55 raw, (1 + 0.1)/2 = 0.55 capped at 1
    # 110102: a = 2.0 (ρ 1.0), b = 1.5 (ρ 0.5) — mean ρ 0.75 either way
    # Shares (0.5) and warnings (1) tie; the capped mean ρ ranks 110102 first.
    specs = specs_frame([indicator("1", "2", name="a"), indicator("1", "2", name="b", seq=2)])
    obs = pl.DataFrame(
        {
            "indicator": ["a", "b", "a", "b"],
            "region": ["110101", "110101", "110102", "110102"],
            "year": [2023] * 4,
            "value": [6.0, 1.1, 2.0, 1.5],
        }
    )
    ranked = rank_regions(evaluate(specs, obs, 2023))
    assert ranked.select("region", "rank").rows() == [("110102", 1), ("110101", 2)]
    assert ranked.get_column("mean_rho").to_list() == pytest.approx([0.75, 0.55])
