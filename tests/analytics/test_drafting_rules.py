"""Drafting evidence and proposal rules, each checked against numbers worked by hand."""

from __future__ import annotations

import math

import polars as pl
import pytest

from minsheng.analytics.alignment import ambition_flag
from minsheng.analytics.draft_rows import draft_indicator, explain
from minsheng.analytics.drafting import evidence, propose
from minsheng.analytics.specs import specs_frame
from minsheng.domain.errors import InvalidData
from minsheng.domain.indicators import Nature, PlanIndicator, Polarity
from minsheng.domain.targets import parse_target

REGION = "500118"


def _row(
    seq: int, name: str, unit: str, base: str, target: str, polarity=Polarity.HIGHER, code=None
):
    return PlanIndicator(
        seq=seq, domain="一、示例", name=name, unit=unit, baseline_raw=base, target_raw=target,
        nature=Nature.ANTICIPATORY, baseline=parse_target(base), target=parse_target(target),
        baseline_year=2020, target_year=2025, canonical_code=code, polarity=polarity,
    )  # fmt: skip


ROWS = [
    _row(1, "share", "%", "50", "60", code="EL01"),  # 50, 52 … 60
    _row(2, "near bound", "%", "90", "95"),  # 90 → 99 in three years
    _row(3, "beds", "张", "100", "200"),  # a total, no bound
    _row(4, "jobs", "万人", "【16】", "【12】"),  # flows 2, 3, 4, 5, 6
    _row(5, "coverage", "%", "—", "应保尽保"),
    _row(6, "unemployment", "%", "5.5", "<5.5", Polarity.LOWER),  # rising: worsening
    _row(7, "myopia", "%", "50", "≤45", Polarity.LOWER),  # falling 50 → 45
]


def _obs() -> pl.DataFrame:
    rows = []
    for year, v in zip(range(2020, 2026), (50, 52, 54, 56, 58, 60), strict=True):
        rows.append(("share", REGION, year, float(v)))
    for year, v in zip((2023, 2024, 2025), (95.0, 97.0, 99.0), strict=True):
        rows.append(("near bound", REGION, year, v))
    rows += [("beds", REGION, 2025, 150.0)]  # one point only, with the plan's baseline at 2020
    rows += [
        ("jobs", REGION, y, float(v))
        for y, v in zip(range(2021, 2026), (2, 3, 4, 5, 6), strict=True)
    ]
    rows += [("coverage", REGION, y, 100.0) for y in range(2021, 2026)]
    rows += [("unemployment", REGION, 2020, 5.0), ("unemployment", REGION, 2025, 5.4)]
    rows += [("myopia", REGION, 2020, 50.0), ("myopia", REGION, 2025, 45.0)]
    rows += [("share", "500101", 2025, 99.0)]  # another region: never our evidence
    return pl.DataFrame(rows, schema=["indicator", "region", "year", "value"], orient="row")


def _ev(**kw) -> pl.DataFrame:
    specs = specs_frame(ROWS, baseline_year=2020, target_year=2025)
    return evidence(specs, _obs(), region=REGION, base_year=2025, to_year=2030, **kw)


def _one(frame: pl.DataFrame, name: str) -> dict:
    return frame.filter(pl.col("indicator") == name).row(0, named=True)


def test_trend_projections_by_hand() -> None:
    row = _one(_ev(), "share")
    # points (2020,50) … (2025,60): slope 2 a year, line at 2030 = 70
    assert row["slope"] == pytest.approx(2.0)
    assert row["linear"] == pytest.approx(70.0)
    # r = (60/50)^(1/5) − 1; 60 (1 + r)^5 = 72
    assert row["historical_rate"] == pytest.approx(1.2**0.2 - 1)
    assert row["compound"] == pytest.approx(72.0)
    assert (row["range_low"], row["range_high"]) == (pytest.approx(70.0), pytest.approx(72.0))
    assert row["value"] == 60.0 and row["value_year"] == 2025
    assert row["upper_bound"] == 100.0 and row["headroom"] == pytest.approx(40.0)


def test_a_share_is_never_projected_past_100() -> None:
    row = _one(_ev(), "near bound")
    # compound from 95 (2023) to 99 (2025) carried five years passes 100: clipped
    assert 99 * (99 / 95) ** 2.5 > 100
    assert row["compound"] == 100.0 and row["linear"] == 100.0
    assert row["headroom"] == pytest.approx(1.0)


def test_the_plan_baseline_is_a_trend_point_when_the_base_year_was_not_observed() -> None:
    row = _one(_ev(), "beds")
    # (2020, 100) from the plan, (2025, 150) observed: slope 10 → 200 in 2030
    assert row["points"] == 2 and row["linear"] == pytest.approx(200.0)
    assert row["upper_bound"] is None and row["headroom"] is None


def test_rule_pace_keeps_the_compound_rate() -> None:
    row = _one(propose(_ev(), "pace"), "share")
    assert row["rule_used"] == "pace" and row["proposed"] == 72.0
    # required rate equals the historical rate: no ambition flag
    assert row["required_rate"] == pytest.approx(1.2**0.2 - 1) and row["ambition"] is None
    sentence = explain(row)
    assert "3.71%" in sentence and "2025年60% → 2030年72%" in sentence


def test_rule_pace_on_flows_repeats_the_annual_mean() -> None:
    row = _one(propose(_ev(), "pace"), "jobs")
    assert row["period_total"] == 20.0 and row["annual_mean"] == 4.0
    assert row["proposed"] == 20.0  # 4 a year × 5 years


def test_rule_pace_never_proposes_going_backwards() -> None:
    table = propose(_ev(), "pace")
    worse = _one(table, "unemployment")  # 5.0 → 5.4: lower is better, so the trend worsens
    assert worse["rule_used"] == "hold" and worse["trend_worsening"]
    assert worse["proposed"] == 5.4
    # a held level is rounded the good way: 84.42 held in whole numbers is 85, never 84
    held = propose(
        _ev().with_columns(
            pl.lit(None, pl.Float64).alias("compound"),
            pl.lit(None, pl.Float64).alias("linear"),
            pl.lit(84.42).alias("value"),
        ),
        "pace",
    )
    assert _one(held, "share")["rule_used"] == "hold" and _one(held, "share")["proposed"] == 85.0
    assert _one(held, "myopia")["proposed"] == 84.0  # lower is better: rounded down
    better = _one(table, "myopia")  # 50 → 45 falls: keep falling at the same rate
    assert better["rule_used"] == "pace"
    assert better["proposed"] == round(45 * (45 / 50), 0)  # 40.5 → cells have no decimals


def test_rule_higher_reaches_the_higher_target_and_flags_ambition() -> None:
    higher = pl.DataFrame(
        {"canonical_code": ["EL01"], "higher_target": [80.0], "higher_kind": ["reach"],
         "higher_nature": ["binding"], "higher_target_raw": ["80"], "higher_percent": [False]}
    )  # fmt: skip
    row = _one(propose(_ev(higher=higher), "higher"), "share")
    assert row["rule_used"] == "higher" and row["proposed"] == 80.0
    required = (80 / 60) ** 0.2 - 1
    assert row["required_rate"] == pytest.approx(required)
    # 5.92 % a year against 3.71 %: 1.59 × the region's own pace, above the 1.5 factor
    assert required > 1.5 * (1.2**0.2 - 1) and row["ambition"] == "above_history"
    assert row["proposed_nature"] == "binding"  # the higher plan's binding indicator stays binding


def test_rule_higher_holds_a_region_already_beyond_it() -> None:
    higher = pl.DataFrame(
        {"canonical_code": ["EL01"], "higher_target": [55.0], "higher_kind": ["reach"],
         "higher_nature": [None], "higher_target_raw": ["55"], "higher_percent": [False]}
    )  # fmt: skip
    table = propose(_ev(higher=higher), "higher")
    row = _one(table, "share")
    assert row["proposed"] == 60.0 and row["beyond_higher"]
    assert "已优于上级规划" in explain(row | {"explanation": None})
    # rows without a higher target fall back to the pace, and say so
    beds = _one(table, "beds")
    assert beds["rule_used"] == "pace" and beds["fallback"] == "no comparable higher-level target"


def test_rule_peers_closes_half_the_gap_to_the_best_quartile() -> None:
    peers = pl.DataFrame(
        {"indicator": ["share"] * 4 + ["myopia"] * 4, "region": ["a", "b", "c", "d"] * 2,
         "value": [62.0, 70.0, 80.0, 90.0, 30.0, 40.0, 50.0, 60.0]}
    )  # fmt: skip
    table = propose(_ev(peers=peers), "peers")
    row = _one(table, "share")
    # q75 (linear) of 62, 70, 80, 90 = 80 + 0.25 × 10 = 82.5; 60 + (82.5 − 60) / 2 = 71.25 → 71
    assert row["peer_best_quartile"] == pytest.approx(82.5) and row["peer_median"] == 75.0
    assert row["percentile"] == 0.0 and row["peer_count"] == 4
    assert row["rule_used"] == "peers" and row["proposed"] == 71.0
    low = _one(table, "myopia")  # lower is better: the best quartile is q25 = 30 + 0.75 × 10 = 37.5
    assert low["peer_best_quartile"] == pytest.approx(37.5)
    assert low["percentile"] == pytest.approx(50.0)  # 45 beats 50 and 60
    assert low["proposed"] == round(45 + (37.5 - 45) / 2)  # 41.25 → 41
    assert _one(table, "beds")["fallback"] == "no peer observed"


def test_qualitative_targets_are_carried() -> None:
    row = _one(propose(_ev(), "higher"), "coverage")
    assert row["rule_used"] == "carry" and row["proposed"] is None
    old = ROWS[4]
    assert draft_indicator(old, row).target_raw == "应保尽保"


def test_per_row_rules_and_unknown_rules() -> None:
    table = propose(_ev(), "pace", {"share": "peers"})
    assert _one(table, "share")["rule"] == "peers" and _one(table, "beds")["rule"] == "pace"
    with pytest.raises(InvalidData):
        propose(_ev(), "ambitious")


def test_ambition_flag_by_hand() -> None:
    frame = pl.DataFrame(
        {"r": [0.06, 0.01, 0.04, 0.01, -0.01], "h": [0.03, 0.03, 0.03, -0.01, 0.02]}
    )
    flags = frame.select(ambition_flag(pl.col("r"), pl.col("h"), 1.5)).to_series().to_list()
    assert flags == ["above_history", "below_history", None, "above_history", "below_history"]


def test_the_draft_row_keeps_the_target_form_and_the_bound() -> None:
    table = propose(_ev(), "pace")
    row = _one(table, "near bound")
    new = draft_indicator(_row(2, "near bound", "%", "90", ">95"), row)
    assert new.target_raw == "100"  # ">100" can never be met
    jobs = draft_indicator(ROWS[3], _one(table, "jobs"))
    assert (jobs.baseline_raw, jobs.target_raw) == ("【20】", "【20】") and jobs.notes
    share = draft_indicator(ROWS[0], _one(table, "share"))
    assert (share.baseline_raw, share.target_raw, share.baseline_year, share.target_year) == (
        "60",
        "72",
        2025,
        2030,
    )
    assert not math.isnan(share.target.value or math.nan)


def test_a_candidate_target_gets_the_ambition_check() -> None:
    table = propose(_ev(), "pace", candidates={"share": 90.0})
    row = _one(table, "share")
    assert row["rule_used"] == "candidate" and row["proposed"] == 90.0
    # (90/60)^(1/5) − 1 = 8.45 % a year against 3.71 %: over-promised
    assert (
        row["required_rate"] == pytest.approx(1.5**0.2 - 1) and row["ambition"] == "above_history"
    )
    assert "拟定目标90%" in explain(row)
    timid = _one(propose(_ev(), "pace", candidates={"share": 61.0}), "share")
    assert timid["ambition"] == "below_history"  # 0.33 % a year against 3.71 %


def test_one_point_and_no_baseline_gives_no_projection_and_holds_the_level() -> None:
    """The [0, bound] clip turned a missing projection into 0: a lower-is-better rate seen
    only in 2025, with no baseline in the plan, was proposed as 0 % for 2030."""
    rows = [_row(1, "waiting days", "天", "—", "<5", Polarity.LOWER)]
    specs = specs_frame(rows, baseline_year=2020, target_year=2025)
    obs = pl.DataFrame(
        [("waiting days", REGION, 2025, 6.0)],
        schema=["indicator", "region", "year", "value"],
        orient="row",
    )
    ev = evidence(specs, obs, region=REGION, base_year=2025, to_year=2030)
    row = _one(ev, "waiting days")
    assert row["value"] == 6.0 and row["slope"] is None and row["historical_rate"] is None
    assert row["linear"] is None and row["compound"] is None
    assert row["range_low"] is None and row["range_high"] is None
    out = _one(propose(ev), "waiting days")
    assert out["rule_used"] == "hold" and out["proposed"] == 6.0, out
    assert "数据不足以判断趋势" in explain(out)


def test_a_row_no_rule_applies_to_says_so_in_words() -> None:
    """A row with no target form and a value got the sentence "。" and nothing else."""
    rows = [_row(1, "no target", "%", "50", "—")]
    specs = specs_frame(rows, baseline_year=2020, target_year=2025)
    obs = pl.DataFrame(
        [("no target", REGION, 2025, 60.0)],
        schema=["indicator", "region", "year", "value"],
        orient="row",
    )
    out = _one(
        propose(evidence(specs, obs, region=REGION, base_year=2025, to_year=2030)), "no target"
    )
    assert out["rule_used"] is None and out["proposed"] is None
    sentence = explain(out)
    assert sentence != "。" and "人工填写" in sentence, sentence


def test_keeping_the_pace_beyond_the_higher_target_rounds_to_nearest() -> None:
    """Being beyond the higher target rounded a pace proposal up (11.03 → 12), as if held."""
    rows = [_row(1, "years", "年", "10", "11", code="ED04")]
    specs = specs_frame(rows, baseline_year=2020, target_year=2025)
    obs = pl.DataFrame(
        [("years", REGION, 2025, 10.5)],
        schema=["indicator", "region", "year", "value"],
        orient="row",
    )
    higher = pl.DataFrame(
        {"canonical_code": ["ED04"], "higher_target": [10.2], "higher_kind": ["reach"],
         "higher_nature": [None], "higher_target_raw": ["10.2"], "higher_percent": [False]}
    )  # fmt: skip
    ev = evidence(specs, obs, region=REGION, base_year=2025, to_year=2030, higher=higher)
    row = _one(propose(ev, "pace"), "years")
    assert row["compound"] == pytest.approx(10.5 * 1.05)  # (10.5/10)^(1/5) carried five years
    assert row["rule_used"] == "pace" and row["proposed"] == 11.0, row
    held = _one(propose(ev, "higher"), "years")  # holding the level beyond it still rounds up
    assert held["rule_used"] == "higher" and held["proposed"] == 11.0


def test_a_row_without_cells_takes_the_higher_target_s_decimals() -> None:
    """An added catalogue row has no cells of its own: its proposal was rounded to whole numbers."""
    from dataclasses import replace

    from minsheng.domain.targets import Target, TargetKind

    bare = _row(1, "years", "年", "—", "—", code="ED04")
    rows = [replace(bare, baseline_raw=None, target_raw=None, target=Target(TargetKind.REACH))]
    specs = specs_frame(rows, baseline_year=2020, target_year=2025)
    obs = pl.DataFrame(
        [("years", REGION, 2020, 10.0), ("years", REGION, 2025, 10.6)],
        schema=["indicator", "region", "year", "value"],
        orient="row",
    )
    higher = pl.DataFrame(
        {"canonical_code": ["ED04"], "higher_target": [11.7], "higher_kind": ["reach"],
         "higher_nature": [None], "higher_target_raw": ["11.7"], "higher_percent": [False]}
    )  # fmt: skip
    ev = evidence(specs, obs, region=REGION, base_year=2025, to_year=2030, higher=higher)
    assert _one(propose(ev, "pace"), "years")["proposed"] == 11.2  # 10.6 × 1.06 to one decimal
    alone = evidence(specs, obs, region=REGION, base_year=2025, to_year=2030)
    assert _one(propose(alone, "pace"), "years")["proposed"] == 11.24  # at most two decimals


def test_a_pace_short_of_the_higher_target_says_so() -> None:
    """人均预期寿命 kept its pace to 79.03 against the nation's 80 and the sentence was silent."""
    higher = pl.DataFrame(
        {"canonical_code": ["EL01"], "higher_target": [80.0], "higher_kind": ["reach"],
         "higher_nature": [None], "higher_target_raw": ["80"], "higher_percent": [False]}
    )  # fmt: skip
    table = propose(_ev(higher=higher), "pace")
    row = _one(table, "share")  # 50 → 60 by 2025, 72 by 2030 at the same rate: below 80
    assert row["proposed"] == 72.0 and row["short_of_higher"]
    assert "低于上级规划2030年目标80%" in explain(row)
    reached = _one(propose(_ev(higher=higher), "higher"), "share")
    assert not reached["short_of_higher"] and "低于上级" not in explain(reached)
    assert not _one(table, "beds")["short_of_higher"]  # no higher target at all
