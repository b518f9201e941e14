"""§6 flags: against the higher-level plan and against the region's own history."""

from __future__ import annotations

import polars as pl
import pytest
from evaluation_helpers import indicator

from minsheng.analytics.alignment import align, compare_with_higher, compare_with_history
from minsheng.analytics.specs import specs_frame
from minsheng.domain.errors import InvalidData
from minsheng.domain.indicators import Nature, Polarity


def _row(name, baseline, target, code, nature, polarity=None, unit=None):
    ind = indicator(baseline, target, name=name, nature=nature, polarity=polarity)
    ind.canonical_code = code
    ind.unit = unit
    return ind


@pytest.fixture
def plans() -> tuple[pl.DataFrame, pl.DataFrame]:
    higher = specs_frame(
        [
            _row("九年义务教育巩固率", "95.2%", "96%", "ED02", Nature.BINDING),
            _row(
                "每千人口拥有3岁以下婴幼儿托位数", "1.8", "4.5", "CH01", Nature.BINDING, unit="个"
            ),
            _row("养老服务床位总量", "823.8", "1000", "EL04", Nature.ANTICIPATORY, unit="万张"),
            _row("城镇调查失业率", "5.2%", "<5.5%", "EM09", Nature.ANTICIPATORY, Polarity.LOWER),
        ]
    )
    local = specs_frame(
        [
            _row("每千人口托位数", "1.5", "4.0", "CH01", Nature.ANTICIPATORY, unit="个"),
            _row("养老床位", "20", "30", "EL04", Nature.ANTICIPATORY, unit="万张"),
            _row("城镇调查失业率", "5%", "<6%", "EM09", Nature.ANTICIPATORY, Polarity.LOWER),
        ]
    )
    return local, higher


def test_flags_against_the_higher_plan(plans) -> None:
    local, higher = plans
    flags = compare_with_higher(local, higher)
    got = sorted(zip(flags["flag"], flags["canonical_code"], strict=True))
    assert got == [
        ("below_higher_target", "CH01"),  # 4.0 < 4.5, per-thousand: comparable
        ("below_higher_target", "EM09"),  # <6 is worse than <5.5 when lower is better
        ("binding_made_anticipatory", "CH01"),
        ("missing_binding", "ED02"),
    ]
    # a total of beds is not comparable between levels: no flag for EL04 (30 < 1000)
    ch01 = flags.filter(
        (pl.col("flag") == "below_higher_target") & (pl.col("canonical_code") == "CH01")
    ).row(0, named=True)
    assert (ch01["local_target"], ch01["higher_target"]) == (4.0, 4.5)
    assert "4.0" in ch01["message"] and "4.5" in ch01["message"]


def _history(rate: float) -> pl.DataFrame:
    # the region's value grew at `rate` a year from 2015 to the 2020 baseline of 100
    return pl.DataFrame(
        {
            "indicator": ["x", "x"],
            "region": ["r", "r"],
            "year": [2015, 2020],
            "value": [100 / (1 + rate) ** 5, 100.0],
        }
    )


@pytest.mark.parametrize(
    ("rate", "flag"),
    [
        (0.04, "above_history"),  # r_r = 0.1 > 1.5 × 0.04 = 0.06
        (0.20, "below_history"),  # r_r = 0.1 < 0.2 / 1.5 = 0.133
        (0.08, None),  # 0.0533 ≤ 0.1 ≤ 0.12
        (-0.02, "above_history"),  # progress required where history went backwards
    ],
)
def test_required_rate_against_history(rate, flag) -> None:
    # T = 100 × 1.1⁵ = 161.051: the plan requires r_r = 10 % a year
    specs = specs_frame([indicator("100", str(round(100 * 1.1**5, 6)), polarity=Polarity.HIGHER)])
    flags = compare_with_history(specs, _history(rate), region="r")
    assert flags["flag"].to_list() == ([flag] if flag else [])
    if flag:
        row = flags.row(0, named=True)
        assert row["required_rate"] == pytest.approx(0.1, abs=1e-6)
        assert row["historical_rate"] == pytest.approx(rate, abs=1e-9)
        assert row["history_from"] == 2015
        assert "10.0% a year" in row["message"]


def test_lower_is_better_rates_are_read_in_the_good_direction() -> None:
    # B = 10 → T = 10 × 0.9⁵: required -10 %/yr; history fell 2 %/yr → more than 1.5× faster: above history
    specs = specs_frame([indicator("10", str(round(10 * 0.9**5, 6)), polarity=Polarity.LOWER)])
    hist = pl.DataFrame(
        {
            "indicator": ["x", "x"],
            "region": ["r", "r"],
            "year": [2015, 2020],
            "value": [10 / 0.98**5, 10.0],
        }
    )
    assert compare_with_history(specs, hist)["flag"].to_list() == ["above_history"]


def test_align_combines_and_validates(plans) -> None:
    local, higher = plans
    assert align(local).height == 0
    assert align(local, higher).height == 4
    with pytest.raises(InvalidData):
        compare_with_history(local, _history(0.1), factor=1.0)


def _yearly(name, baseline, target, code, polarity=None, unit=None, remark="年均"):
    """A row whose 备注 says its numbers are yearly averages, read as a target table reads it."""
    from minsheng.ingest.documents.footnotes import apply_row_remark

    ind = _row(name, baseline, target, code, Nature.ANTICIPATORY, polarity, unit)
    ind.baseline, ind.target = apply_row_remark(ind.baseline, ind.target, remark, name)
    return ind


@pytest.mark.parametrize(
    ("name", "local_target", "higher_target", "below"),
    [
        ("城镇调查失业率", "<6%", "<5.5%", True),  # lower is better
        ("城镇调查失业率", "<5%", "<5.5%", False),
        ("居民人均可支配收入增长率", "4%", "5%", True),  # higher is better
        ("居民人均可支配收入增长率", "≥6%", "5%", False),
    ],
)
def test_yearly_averages_are_compared_with_yearly_averages(
    name: str, local_target: str, higher_target: str, below: bool
) -> None:
    higher = specs_frame([_yearly(name, "5.2%", higher_target, "X01")])
    local = specs_frame([_yearly(name, "5%", local_target, "X01")])
    assert set(local["kind"]) == set(higher["kind"]) == {"annual_average"}
    flags = compare_with_higher(local, higher)
    assert list(flags["flag"]) == (["below_higher_target"] if below else [])
    if below:
        assert "yearly averages" in flags["message"][0] and "年均值" in flags["message_zh"][0]


@pytest.mark.parametrize("yearly_side", ["local", "higher"])
@pytest.mark.parametrize("other_target", ["<5.5%", "【5.5%】"])
def test_a_target_stated_in_another_form_is_said_not_skipped(
    yearly_side: str, other_target: str
) -> None:
    """A yearly average against an end-year level (or a total) is not compared — and the
    flag says so, with both targets, instead of saying nothing."""
    yearly = _yearly("城镇调查失业率", "5.2%", "<6%", "EM09", Polarity.LOWER)
    other = _row(
        "城镇调查失业率", "5.2%", other_target, "EM09", Nature.ANTICIPATORY, Polarity.LOWER
    )
    pair = [specs_frame([yearly]), specs_frame([other])]
    local, higher = pair if yearly_side == "local" else pair[::-1]
    flags = compare_with_higher(local, higher)
    assert list(flags["flag"]) == ["different_form"]
    row = flags.row(0, named=True)
    assert "a yearly average" in row["message"] and "年均值" in row["message_zh"]
    assert "<6%" in row["message"] and other_target in row["message"]
    assert "not compared" in row["message"] and "未作比较" in row["message_zh"]
