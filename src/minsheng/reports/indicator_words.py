"""How one indicator's value and outlook are worded, shared by chapter two and the next steps.

Two traps an evaluator would sign by mistake are avoided here: a cumulative indicator's
value is the running total of the plan years (not the data year's own figure), and the
evaluation's ``likely`` comes from the anticipated-progress ratio where there is one
(method §4), so the sentence names that ratio instead of pinning the verdict on the
linear projection, which may point the other way.
"""

from __future__ import annotations

from typing import Any

from minsheng.reports.formatting import number, unit_of

OUTLOOK = {True: "可实现目标", False: "难以实现目标", None: "能否实现目标尚难判断"}


def value_clause(r: dict[str, Any]) -> tuple[str, dict[str, float]]:
    """``2023年为2.29个``, or ``2021—2023年累计4.06万人`` for a cumulative target; '' without data."""
    value, year = r.get("value"), r.get("data_year")
    if value is None or year is None:
        return "", {}
    unit = unit_of(r)
    nums: dict[str, float] = {"data_year": year, "value": value}
    if r.get("target_kind") == "cumulative" and r.get("y0") is not None:
        nums["y0+1"] = r["y0"] + 1
        first = r["y0"] + 1
        span = f"{first}年" if first == year else f"{first}—{year}年"
        observed = r.get("years_observed")
        if observed is not None and observed != year - r["y0"]:  # a year without a value
            nums["years_observed"] = observed
            span += f"（其中{observed}年有数据）"
        return f"{span}累计{number(value)}{unit}", nums
    held, observed = r.get("years_held"), r.get("years_observed")
    if r.get("method") == "every_year" and held is not None and observed and r.get("y0"):
        # 应保尽保 / 清零 hold only if every year held: one year's 100 does not say that
        nums.update({"y0+1": r["y0"] + 1, "years_observed": observed, "years_held": held})
        return (
            f"{r['y0'] + 1}—{year}年有数据的{observed}年中{held}年达标，"
            f"{year}年为{number(value)}{unit}",
            nums,
        )
    return f"{year}年为{number(value)}{unit}", nums


def baseline_clause(r: dict[str, Any]) -> tuple[str, dict[str, float]]:
    """``基期1.2``; a cumulative target's bracketed baseline is the previous period's total."""
    baseline = r.get("baseline")
    if baseline is None:
        return "", {}
    raw = (r.get("baseline_raw") or "").strip()
    unit = unit_of(r)
    if r.get("target_kind") == "cumulative" and raw[:1] in "【[〔":
        return f"上一规划期累计{number(baseline)}{unit}", {"baseline": baseline}
    return f"基期{number(baseline)}{unit}", {"baseline": baseline}


def target_text(r: dict[str, Any]) -> str:
    """The target as the plan wrote it, with the unit a bare number leaves in its unit column
    (``4个`` beside ``基期1.6个``, not ``4``); words (应保尽保) and a cell that states its
    unit (``>95%``) as written."""
    raw = (r.get("target_raw") or "").strip()
    if not raw:
        return "—"
    return f"{raw}{unit_of(r)}" if raw[-1].isdigit() else raw


def outlook_clause(r: dict[str, Any]) -> tuple[str, dict[str, float]]:
    """Where the trend leads by the target year and whether the target is likely, on the basis
    the evaluation judged it: ``按线性趋势推算，2025年预计为3.05个；实际年均增速与规划要求年均增速
    之比为0.62，难以实现目标``. '' without a projection."""
    projected, yT = r.get("projected_linear"), r.get("yT")
    if projected is None or yT is None:
        return "", {}
    unit = unit_of(r)
    nums: dict[str, float] = {"yT": yT, "projected": projected}
    if r.get("target_kind") == "cumulative":
        text = f"按目前进度推算，至{yT}年累计预计为{number(projected)}{unit}"
        basis = "累计完成进度与时间进度之比"
    else:
        text = f"按线性趋势推算，{yT}年预计为{number(projected)}{unit}"
        basis = "实际年均增速与规划要求年均增速之比"
    likely, ratio = r.get("likely"), r.get("anticipated_ratio")
    if ratio is not None and likely is not None:
        nums["anticipated_ratio"] = ratio
        return f"{text}；{basis}为{number(ratio)}，{OUTLOOK[likely]}", nums
    return f"{text}，{OUTLOOK[likely]}", nums
