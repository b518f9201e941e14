"""Indicators: the national catalogue's canonical ones and each plan's own rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from minsheng.domain.targets import Target, parse_target


class Polarity(StrEnum):
    """Which direction is progress (evaluation method §2)."""

    HIGHER = "higher"
    LOWER = "lower"
    KEEP = "keep"


class Nature(StrEnum):
    """An indicator's nature (指标属性)."""

    BINDING = "binding"  # 约束性
    ANTICIPATORY = "anticipatory"  # 预期性

    @property
    def label_zh(self) -> str:
        return "约束性" if self is Nature.BINDING else "预期性"

    @classmethod
    def from_label(cls, label: str | None) -> Nature | None:
        if not label:
            return None
        text = label.strip()
        if "约束" in text or text.lower() == "binding":
            return cls.BINDING
        if "预期" in text or text.lower() == "anticipatory":
            return cls.ANTICIPATORY
        return None


@dataclass(frozen=True)
class CanonicalIndicator:
    """An indicator of the national catalogue, to which plan rows are mapped."""

    code: str
    name: str
    unit: str | None
    polarity: Polarity
    domain: str  # a ServiceDomain code
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


#: ``PlanIndicator.domain_from`` of a domain the row's catalogue entry gave (the plan gave none)
DOMAIN_FROM_MAPPING = "mapping"


@dataclass
class PlanIndicator:
    """One row of a plan's indicator table, in the plan's own words.

    The field names of the serialised form are those of the gold extractions
    (seq, domain, name, unit, baseline_raw, target_raw, nature, notes).
    """

    seq: int | None
    domain: str | None  # the table's own category label, e.g. "一、婴幼儿照护服务"
    name: str
    unit: str | None
    baseline_raw: str | None
    target_raw: str | None
    nature: Nature | None
    notes: str | None = None
    baseline: Target = field(default_factory=lambda: parse_target(None))
    target: Target = field(default_factory=lambda: parse_target(None))
    baseline_year: int | None = None
    target_year: int | None = None
    domain_code: str | None = None  # the ServiceDomain it belongs to
    # None: domain_code is the plan's own (its label, or its name's words);
    # DOMAIN_FROM_MAPPING: the catalogue entry the row is mapped to gave it (taken back on unmap)
    domain_from: str | None = None
    canonical_code: str | None = None
    match_score: float | None = None
    polarity: Polarity | None = None

    def gold_fields(self) -> dict[str, object]:
        return {
            "seq": self.seq,
            "domain": self.domain,
            "name": self.name,
            "unit": self.unit,
            "baseline_raw": self.baseline_raw,
            "target_raw": self.target_raw,
            "nature": self.nature.label_zh if self.nature else None,
            "notes": self.notes,
        }


def infer_polarity(baseline: Target, target: Target) -> Polarity | None:
    """Direction implied by the cells when the catalogue does not know the indicator.

    Comparators speak for themselves (``<5.5`` is lower-better); otherwise a target
    above the baseline means higher-better. Equal values say nothing. Five-year totals
    and annual averages are amounts to deliver (jobs created, people trained), so more
    is better even when the plan expects less than last period (【16.9】 → 【12】):
    the method (§2) forbids reading such a fall as a change of direction.
    """
    from minsheng.domain.targets import TargetKind

    if target.kind in (TargetKind.CUMULATIVE, TargetKind.ANNUAL_AVERAGE):
        return Polarity.HIGHER
    if target.kind in (TargetKind.BELOW, TargetKind.AT_MOST, TargetKind.KEEP_ZERO):
        return Polarity.LOWER
    if target.kind in (TargetKind.ABOVE, TargetKind.AT_LEAST, TargetKind.FULL_COVERAGE):
        return Polarity.HIGHER
    if baseline.value is not None and target.value is not None:
        if target.value > baseline.value:
            return Polarity.HIGHER
        if target.value < baseline.value:
            return Polarity.LOWER
    return None


#: Rates (or counts) of a harm — deaths, unemployment, myopia, illness, drop-outs, treatment
#: outside the county (method §2's examples of lower-is-better) — named by the word before
#: 率 or 人数; and the share of health spending paid out of pocket.
_HARM_RATE = re.compile(
    r"(死亡|失业|近视(?:发生)?|发病|患病|辍学|肥胖|超重|吸烟|文盲|贫困发生|县域外就诊|外转|病死)(?:率|人数)"
    r"|个人卫生支出占"  # out-of-pocket share of health spending
)
#: ... unless the indicator measures the reduction itself (下降幅度: more is better).
_REDUCTION = re.compile(r"下降|降低|减少|降幅|减幅")


def polarity_from_name(name: str) -> Polarity | None:
    """Lower-is-better when the name is the rate of a harm (城镇调查失业率, 孕产妇死亡率).

    The catalogue knows few such indicators and the cells can mislead: an unemployment
    target of 5.5左右 above a baseline of 5.2 allows a rise, it does not ask for one.

    >>> polarity_from_name("城镇调查失业率"), polarity_from_name("失业保险参保率")
    (<Polarity.LOWER: 'lower'>, None)
    """
    if _HARM_RATE.search(name) and not _REDUCTION.search(name):
        return Polarity.LOWER
    return None


#: A change, not a level (growth, fall, net flow, difference): its values may be negative.
_SIGNED = re.compile(
    r"增长|增速|增幅|增减|下降|降低|减少|降幅|减幅|变化|变动|变幅|波动|净|差额|差值|盈亏"
    r"|growth|change|increase|decrease|\bnet\b",
    re.IGNORECASE,
)
#: A part over its whole by name (占比, 比重, 比例): never above 100 %.
_SHARE = re.compile(r"占比|比重|比例|share|proportion", re.IGNORECASE)
#: A rate (…率): above 100 % is implausible, not impossible — a 巩固率 or 参保率 computed
#: against an older or registered population passes it where people move in.
_RATE = re.compile(r"率|rate\b", re.IGNORECASE)
#: ... except ratios that may pass their whole: gross ratios count pupils of any age
#: (毛入学率), achievement against a plan (完成率), use against capacity (使用率) and one
#: quantity over another (负债率).
_PASSES_WHOLE = re.compile(r"毛|完成|达成|超额|使用|负债|弹性|指数|倍|gross", re.IGNORECASE)


def is_change(name: str) -> bool:
    """Whether the indicator measures a change (增长, 增速, 下降, 净…), whose values may be negative.

    >>> is_change("城镇新增就业人数"), is_change("居民人均可支配收入增长")
    (False, True)
    """
    return bool(_SIGNED.search(name))


def value_range(name: str, *, percent: bool) -> tuple[float | None, float | None]:
    """The values an indicator can take at all (a value outside is a mistake, not news).

    Read from the kind the name and unit say, for any indicator alike: a change
    (:func:`is_change`) may take any value; every other level — a count, an area, a
    per-capita amount, a rate — cannot be negative; and a share of a whole in %
    (占比, 比重, 比例) cannot exceed 100, unless its name says it may pass its
    whole (a gross ratio, a completion rate). A rate (…率) above 100 is only implausible
    (:func:`plausible_range`).

    >>> value_range("养老机构护理型床位占比", percent=True)
    (0.0, 100.0)
    >>> value_range("基本养老保险参保率", percent=True)
    (0.0, None)
    >>> value_range("高中阶段教育毛入学率", percent=True)
    (0.0, None)
    >>> value_range("人均体育场地面积", percent=False)
    (0.0, None)
    >>> value_range("城乡居民人均收入增长", percent=True)
    (None, None)
    """
    if is_change(name):
        return None, None
    if percent and _SHARE.search(name) and not _PASSES_WHOLE.search(name):
        return 0.0, 100.0
    return 0.0, None


def plausible_range(name: str, *, percent: bool) -> tuple[float | None, float | None]:
    """The values an indicator plausibly takes: :func:`value_range`, and a rate in % at
    most 100 (a value beyond is asked about, not refused).

    >>> plausible_range("基本养老保险参保率", percent=True)
    (0.0, 100.0)
    """
    low, high = value_range(name, percent=percent)
    rate = percent and _RATE.search(name) and not _PASSES_WHOLE.search(name)
    if high is None and low is not None and rate:
        return low, 100.0
    return low, high
