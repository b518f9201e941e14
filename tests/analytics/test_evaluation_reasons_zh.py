"""Every status but achieved says why in Chinese too (``reason_zh``), branch for branch of
the English reason, with the same figures: reports and pages are Chinese first."""

from __future__ import annotations

import re
from typing import Any

import polars as pl
import pytest
from evaluation_helpers import indicator

from minsheng.analytics.evaluation import evaluate
from minsheng.analytics.specs import specs_frame
from minsheng.domain.indicators import Polarity

#: Letters a Chinese reason may not hold (figures, comparators and "%" it may).
LATIN = re.compile(r"[A-Za-z]")


def _obs(values: dict[tuple[str, int], float], name: str) -> pl.DataFrame:
    return pl.DataFrame(
        [(name, r, y, v) for (r, y), v in values.items()],
        schema={"indicator": pl.Utf8, "region": pl.Utf8, "year": pl.Int64, "value": pl.Float64},
        orient="row",
    )


def _one(baseline, target, values, year, *, name="x", polarity=None) -> dict[str, Any]:  # noqa: ANN001
    specs = specs_frame([indicator(baseline, target, name=name, polarity=polarity)])
    obs = _obs({("110101", y): v for y, v in values.items()}, name)
    return evaluate(specs, obs, year, regions=["110101"]).row(0, named=True)


def _national(baseline, target, values, name) -> dict[str, Any]:  # noqa: ANN001
    """A national plan judged for one of its regions (500118)."""
    specs = specs_frame([indicator(baseline, target, name=name)], plan_region="100000")
    return evaluate(specs, _obs(values, name), 2023, regions=["500118"]).row(0, named=True)


def _bound(target: str, bound: str, value: float) -> dict[str, Any]:
    specs = specs_frame([indicator("90", target)])
    obs = _obs({("110101", 2025): value}, "x").with_columns(pl.lit(bound).alias("bound"))
    return evaluate(specs, obs, 2025, regions=["110101"]).row(0, named=True)


def _unmeasurable() -> dict[str, Any]:
    """A spec whose form no rule measures and that carries no reason of its own."""
    specs = pl.DataFrame({"indicator": ["x"], "kind": ["multiple"], "y0": [2020], "yT": [2025]})
    return evaluate(specs, _obs({("110101", 2023): 1.0}, "x"), 2023, regions=["110101"]).row(
        0, named=True
    )


HIGHER = Polarity.HIGHER
# a case → the status it must get and words its Chinese reason must hold
CASES = [
    pytest.param(lambda: _one("2.0", "2.5", {2025: 2.4988}, 2025), "lagging",
                 ["2.4988（2025年）低于目标2.5"], id="level-just-short"),
    pytest.param(lambda: _one("95.2%", "96%", {2023: 95.4}, 2023), "lagging",
                 ["95.4（2023年）低于目标96", "低于2023年应达到的95.68"], id="level-behind-pace"),
    pytest.param(lambda: _one("95.2%", "96%", {2022: 95.0}, 2022), "regressing",
                 ["差于2020年基期值95.2"], id="level-regressing"),
    pytest.param(lambda: _one("95.2%", "96%", {2021: 95.3, 2022: 95.7}, 2023), "on_track",
                 ["进度正常：2022年应达到95.52"], id="level-on-track"),
    pytest.param(lambda: _one("85.2%", ">90%", {2023: 87.0}, 2023), "lagging",
                 ["87（2023年）未高于目标90"], id="above"),
    pytest.param(lambda: _one("8", "≤5", {2023: 7.0}, 2023), "lagging",
                 ["7（2023年）高于目标5", "高于2023年应达到的6.2"], id="at-most"),
    pytest.param(lambda: _one("96", ">96", {2023: 96.0}, 2023), "lagging",
                 ["96（2023年）未高于目标96；目标与基期值相同"], id="target-equals-baseline"),
    pytest.param(lambda: _one("3", "5左右", {2023: 3.5}, 2023), "lagging",
                 ["偏离目标5超过5%"], id="about-outside-band"),
    pytest.param(lambda: _one("—", "应保尽保", {2021: 100.0, 2022: 100.0, 2023: 97.0}, 2023),
                 "lagging", ["2023年未达标：97 < 100"], id="full-coverage-failed-year"),
    pytest.param(lambda: _one("—", "应保尽保", {2021: 100.0, 2022: 100.0}, 2023), "on_track",
                 ["观测的各年均达标（2/2年），2025年尚未观测"], id="full-coverage-on-track"),
    pytest.param(lambda: _one("—", "【320】", {2021: 40.0, 2022: 50.0}, 2023), "lagging",
                 ["2年累计90，规划目标为320", "应达到的128"], id="cumulative-behind"),
    pytest.param(lambda: _one("78.3", "〔1〕", {2020: 78.3, 2023: 78.5}, 2023, name="人均预期寿命"),
                 "lagging", ["2020年以来变化0.2（78.3 → 78.5），规划目标为1"], id="change-of-a-level"),
    pytest.param(lambda: _one("——", "〔1〕", {2023: 78.5}, 2023, name="人均预期寿命"), "no_data",
                 ["本地区无2020年水平值，无法计算变化量"], id="change-without-a-start"),
    pytest.param(lambda: _one("——", "3.4", {2022: 3.0}, 2022), "no_data",
                 ["本地区无2020年数据，规划也未给出基期值"], id="no-baseline"),
    pytest.param(lambda: _one("2.0", "2.5", {}, 2023), "no_data", ["本地区2021–2023年无监测数据"],
                 id="no-value"),
    pytest.param(lambda: _one("80%", "稳步提高", {2023: 81.0}, 2023), "not_assessable",
                 ["定性目标，需人工研判"], id="qualitative"),
    pytest.param(_unmeasurable, "not_assessable", ["目标无可量化的表述"], id="no-measurable-form"),
    pytest.param(lambda: _national("3000", "3500", {("500118", 2023): 10.0}, "养老床位数"),
                 "not_assessable", ["为规划所属地区100000的总量目标"], id="total-of-another-region"),
    pytest.param(lambda: _national("85.2%", "90%", {("500118", 2023): 86.0}, "毛入园率"), "lagging",
                 ["本地区无2020年基期值，采用规划基期值85.2"], id="plan-baseline-borrowed"),
    pytest.param(lambda: _bound("≥96", ">", 95.0), "undetermined",
                 ["2025年仅报告为界值（>95），无法判定是否达到目标≥96"], id="bound-undetermined"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "status", "words"), CASES)
def test_every_status_but_achieved_explains_itself_in_chinese(case, status, words) -> None:
    r = case()
    assert r["status"] == status, r["reason"]
    zh = r["reason_zh"]
    assert zh and not LATIN.search(zh), (zh, r["reason"])
    for word in words:
        assert word in zh, zh
    assert r["reason"], "the English reason is kept beside it"


def test_an_achieved_status_needs_no_reason_in_either_language() -> None:
    r = _one("95.2%", "96%", {2023: 96.1}, 2023)
    assert (r["status"], r["reason"], r["reason_zh"]) == ("achieved", None, None)
