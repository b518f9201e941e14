"""Every reason an evaluation gives, worded once per language side by side.

One table, one row a reason: its English wording (``reason``: the CLI and JSON users read
it) and its Chinese wording (``reason_zh``: pages and reports are Chinese first). A reason
is added in both languages at once or not at all, and both name the same figures by the
same ``{placeholder}`` names (a test holds the table to that); :mod:`minsheng.analytics.reasons`
decides which reason speaks and fills the placeholders.
"""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["en", "zh"]

#: The languages every reason is worded in, and the evaluation column each one fills.
LANGUAGES: tuple[Language, ...] = ("en", "zh")
COLUMN: dict[Language, str] = {"en": "reason", "zh": "reason_zh"}

#: A named figure in a template: ``{value}``, ``{target}``…
PLACEHOLDER = re.compile(r"\{(\w+)\}")

# fmt: off
TEMPLATES: dict[str, dict[Language, str]] = {
    # how a level falls short of its target ({gap} of "head")
    "gap_not_above": {"en": "is not above", "zh": "未高于"},
    "gap_below": {"en": "is below", "zh": "低于"},
    "gap_not_below": {"en": "is not below", "zh": "未低于"},
    "gap_above": {"en": "is above", "zh": "高于"},
    "gap_not_at": {"en": "is not at", "zh": "未达到"},
    # a level against its target
    "head": {"en": "{value} ({year}) {gap} the target {target}",
             "zh": "{value}（{year}年）{gap}目标{target}"},
    "head_about": {"en": "{value} ({year}) is not within {pct}% of the target {target}",
                   "zh": "{value}（{year}年）偏离目标{target}超过{pct}%"},
    "flat": {"en": "{head}; the target equals the baseline", "zh": "{head}；目标与基期值相同"},
    "overshoot": {"en": "{value} ({year}) overshoots the level {target} to be held",
                  "zh": "{value}（{year}年）超出应保持的水平{target}"},
    # the pace: what the year should have reached
    "behind_low": {"en": "; behind the expected {expected} for {year}",
                   "zh": "；低于{year}年应达到的{expected}"},
    "behind_high": {"en": "; behind the expected {expected} for {year}",
                    "zh": "；高于{year}年应达到的{expected}"},
    "behind": {"en": "; behind the expected {expected} for {year}",
               "zh": "；未达到{year}年应达到的{expected}"},
    "on_course": {"en": "; on course: expected {expected} for {year}",
                  "zh": "；进度正常：{year}年应达到{expected}"},
    "worse": {"en": "; worse than the baseline {baseline} ({y0})", "zh": "；差于{y0}年基期值{baseline}"},
    # cumulative targets
    "change": {"en": "a change of {value} since {y0} ({baseline} → {latest}) against the {target} planned",
               "zh": "{y0}年以来变化{value}（{baseline} → {latest}），规划目标为{target}"},
    "total": {"en": "the total {value} of {years} year(s) against the {target} planned",
              "zh": "{years}年累计{value}，规划目标为{target}"},
    "cap_exceeded": {"en": "the total {value} exceeds the cap {target}", "zh": "累计{value}已超过上限{target}"},
    "cap_pace": {"en": "the total {value} against the cap {target}; the pace allows {expected} by {year}",
                 "zh": "累计{value}，上限{target}；按进度{year}年应不超过{expected}"},
    "wrong_way": {"en": "{amount}; it went the wrong way", "zh": "{amount}；变化方向与目标相反"},
    # annual averages
    "mean_worse": {"en": "the mean {value} of {years} year(s) is worse than the previous period's {baseline}",
                   "zh": "{years}年平均{value}，差于上一规划期的{baseline}"},
    "mean_short": {"en": "the mean {value} of {years} year(s) is short of the target {target}",
                   "zh": "{years}年平均{value}，未达到目标{target}"},
    # every year must hold
    "every_year_held": {"en": "every year observed held ({held} of {years}); {yT} not yet observed",
                        "zh": "观测的各年均达标（{held}/{years}年），{yT}年尚未观测"},
    "year_failed": {"en": "{fail_year} did not hold: {fail_value} {bar}",
                    "zh": "{fail_year}年未达标：{fail_value} {bar}"},
    "year_failed_worse": {
        "en": "{fail_year} did not hold: {fail_value} {bar}; the latest {latest} is worse than the baseline {baseline}",
        "zh": "{fail_year}年未达标：{fail_value} {bar}；最新值{latest}差于基期值{baseline}"},
    "borrowed_baseline": {"en": "; baseline {baseline} is the plan's: no {y0} value for this region",
                          "zh": "；本地区无{y0}年基期值，采用规划基期值{baseline}"},
    # targets the specs already know cannot be judged (analytics.specs)
    "no_target": {"en": "no target value", "zh": "目标未给出数值"},
    "qualitative": {"en": "qualitative target: needs an analyst's judgement", "zh": "定性目标，需人工研判"},
    # statuses judged without a verdict on the value
    "no_measurable_form": {"en": "target has no measurable form", "zh": "目标无可量化的表述"},
    "no_target_value": {"en": "target has no value", "zh": "目标未给出数值"},
    "total_elsewhere": {"en": "a total for the plan's region {plan_region}, not a target for one of its regions",
                        "zh": "为规划所属地区{plan_region}的总量目标，不是对其下辖地区的目标"},
    "no_values": {"en": "no value for this region in {first}–{last}", "zh": "本地区{first}–{last}年无监测数据"},
    "no_change_level": {"en": "no {y0} level for this region to measure the change from",
                        "zh": "本地区无{y0}年水平值，无法计算变化量"},
    "bound_unshown": {"en": "{year} reported only as {bound}: a bound does not show whether the target {target_words} is met",
                      "zh": "{year}年仅报告为界值（{bound}），无法判定是否达到目标{target_words}"},
    "no_baseline": {"en": "no {y0} value for this region and no baseline in the plan",
                    "zh": "本地区无{y0}年数据，规划也未给出基期值"},
}
# fmt: on


def worded(key: str) -> tuple[str, str]:
    """(``reason``, ``reason_zh``) of a reason that names no figure."""
    en, zh = TEMPLATES[key]["en"], TEMPLATES[key]["zh"]
    if placeholders(en):
        raise ValueError(f"reason {key!r} names figures; word it with analytics.reasons")
    return en, zh


def placeholders(template: str) -> list[str]:
    """The figures a template names, in the order it names them."""
    return PLACEHOLDER.findall(template)
