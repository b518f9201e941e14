"""Proposals as plan rows, and the sentence that states the numbers behind each.

:func:`minsheng.analytics.drafting.propose` gives numbers; this module words them
(Chinese first: drafting teams read these sentences) and builds the draft's
indicator rows — baseline = the 2025 value (or the latest, with its year),
target = the proposal in the old target's form (``≥``, ``<``, ``【】`` …).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from minsheng.domain.indicators import CanonicalIndicator, Nature, PlanIndicator, Polarity
from minsheng.domain.service_domains import DOMAINS_BY_CODE
from minsheng.domain.targets import (
    Target,
    TargetKind,
    apply_footnote,
    format_target,
    parse_target,
    read_footnote,
)

#: The note a Word table carries for its 【】 cells; rows with a 【】 cell carry it too.
CUMULATIVE_NOTE = "带【】为五年累计数。"
#: A yearly average is written as plans write it: a marker on the number and a note saying
#: what the marker means (no cell grammar says 年均 on its own); rows so marked carry the note.
ANNUAL_MARKER = "*"
ANNUAL_NOTE = f"带{ANNUAL_MARKER}为五年年均数。"
#: The notes a draft table may carry, in the order its 注 line numbers them.
TABLE_NOTES = (CUMULATIVE_NOTE, ANNUAL_NOTE)


def _n(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _pct(rate: float | None) -> str:
    if rate is None:
        return "—"
    text = f"{rate * 100:.2f}%"
    return "0.00%" if text == "-0.00%" else text


#: The rule a proposal used, as the Chinese documents and the command name it.
RULE_ZH = {
    "pace": "延续趋势",
    "hold": "保持",
    "higher": "对标上级",
    "peers": "对标同级",
    "carry": "沿用",
    "candidate": "拟定",
}

_FALLBACK = {
    "no comparable higher-level target": "上级规划无可比目标",
    "no peer observed": "无同级地区数据",
    "no 2025 value": "缺少基期值",
    "already in the peers' best quartile": "已处于同级前25%",
    "not a level target": "非水平值指标",
}


def fallback_zh(text: str | None) -> str | None:
    """Why a rule fell back, in Chinese (the evidence keeps the English code-like words)."""
    return None if text is None else _FALLBACK.get(text, text)


def explain(row: dict[str, Any]) -> str:
    """One sentence stating the rule and the numbers behind a proposal."""
    base, to = row["base_year"], row["to_year"]
    y0 = int(row.get("y0") or base - 5)
    value, year, proposed = row.get("value"), row.get("value_year"), row.get("proposed")
    unit = "%" if row.get("percent") else (row.get("unit") or "").strip()
    used = row.get("rule_used")
    parts = []
    if row.get("fallback"):
        parts.append(f"（{_FALLBACK.get(row['fallback'], row['fallback'])}，改按现有趋势）")
    if used == "carry":
        return f"定性目标，沿用“{row.get('target_raw') or ''}”。"
    if value is None and row.get("period_total") is None:
        return "无观测数据，无法提出目标值，请人工填写。"
    at = f"{year}年" if year is not None else f"{base}年"
    if used == "pace" and row["kind"] == "cumulative":
        parts.insert(
            0,
            f"延续{y0 + 1}—{base}年年均{_n(row.get('annual_mean'))}（{row.get('flow_years')}年合计{_n(row.get('period_total'))}），{base + 1}—{to}年累计{_n(proposed)}",
        )
    elif used == "pace" and row["kind"] == "annual_average":
        parts.insert(0, f"延续{y0 + 1}—{base}年年均{_n(row.get('annual_mean'))}")
    elif used == "pace":
        how = (
            f"年均增速{_pct(row.get('historical_rate'))}（{row.get('first_year')}—{year}年）"
            if row.get("compound") is not None
            else f"线性趋势（每年{_n(row.get('slope'), 3)}）"
        )
        parts.insert(0, f"延续{how}：{at}{_n(value)}{unit} → {to}年{_n(proposed)}{unit}")
        if (
            row.get("upper_bound") is not None
            and proposed is not None
            and proposed >= row["upper_bound"]
        ):
            parts.append(f"（以{_n(row['upper_bound'])}{unit}为上限）")
    elif used == "hold":
        why = (
            "趋势向不利方向变化，不倒退"
            if row.get("trend_worsening")
            else "数据不足以判断趋势或为保持类指标"
        )
        parts.insert(0, f"{why}：保持{at}水平{_n(value)}{unit}")
    elif used == "higher":
        h = _n(row.get("higher_target"))
        if row.get("beyond_higher"):
            parts.insert(0, f"{at}{_n(value)}{unit}已优于上级规划{to}年目标{h}{unit}，保持现有水平")
        else:
            parts.insert(0, f"达到上级规划{to}年目标{h}{unit}（{at}{_n(value)}{unit}）")
    elif used == "candidate":
        parts.insert(0, f"拟定目标{_n(proposed)}{unit}（{at}{_n(value)}{unit}）")
    elif used == "peers":
        parts.insert(
            0,
            f"缩小与同级地区前25%水平（{_n(row.get('peer_best_quartile'))}{unit}，{row.get('peer_count')}个地区）差距的一半：{at}{_n(value)}{unit} → {_n(proposed)}{unit}",
        )
    required, historical = row.get("required_rate"), row.get("historical_rate")
    if required is not None:
        check = f"；所需年均增速{_pct(required)}，历史年均增速{_pct(historical)}"
        flag = row.get("ambition")
        if flag == "above_history":
            check += "，明显快于历史，可能过度承诺"
        elif flag == "below_history":
            check += "，明显慢于历史，可能偏保守"
        parts.append(check)
    if not parts:  # no rule gave a number (the row states no target form): say so, not "。"
        parts.append(f"原规划未给出可延续的目标形式，无法按规则提出{to}年目标值，请人工填写")
    elif proposed is None and used is None:
        parts.append(f"；无法按规则提出{to}年目标值，请人工填写")
    if row.get("short_of_higher"):
        parts.append(f"；低于上级规划{to}年目标{_n(row.get('higher_target'))}{unit}")
    if row.get("higher_nature") == "binding":
        parts.append("；上级规划为约束性指标，建议设为约束性")
    return "".join(parts) + "。"


_KEPT_FORMS = (TargetKind.REACH, TargetKind.ABOVE, TargetKind.AT_LEAST, TargetKind.BELOW,
               TargetKind.AT_MOST, TargetKind.ABOUT, TargetKind.CUMULATIVE, TargetKind.ANNUAL_AVERAGE)  # fmt: skip


def _with_value(old: Target, value: float, percent: bool, upper: float | None) -> Target:
    """The old target's form with the new number; ``>100%`` cannot be met, so at the bound it reads ``100``.

    The old plan's markers go: their meaning lived in its notes, which the draft does not
    carry (a ``**`` for "2019 data" says nothing of 2030). A yearly average gets the draft's
    own marker, which its 注 line explains.
    """
    kind = old.kind if old.kind in _KEPT_FORMS else TargetKind.REACH
    if upper is not None and value >= upper and kind in (TargetKind.ABOVE, TargetKind.AT_LEAST):
        kind = TargetKind.REACH
    marker = ANNUAL_MARKER if kind is TargetKind.ANNUAL_AVERAGE else None
    return Target(kind, value=value, percent=percent, unit=old.unit, marker=marker)


def read_cell(raw: str) -> Target:
    """A draft cell as a reader of the exported table sees it: the grammar, then the 注 line."""
    target = parse_target(raw)
    if target.marker == ANNUAL_MARKER:
        note = read_footnote(ANNUAL_NOTE)
        assert note is not None  # the note is ours: its wording is the grammar's
        target = apply_footnote(target, note)
    return target


def _round(value: float, digits: int | None) -> float:
    """A baseline keeps one decimal more than small cells show (99.4 must not read 99), two below 10."""
    d = int(digits) if digits is not None else 2
    return round(value, max(d, 2 if abs(value) < 10 else 1))


def draft_indicator(old: PlanIndicator, row: dict[str, Any]) -> PlanIndicator:
    """The successor row of ``old``: 2025 baseline cell, proposed target cell, the nature proposed."""
    base_year, to_year = int(row["base_year"]), int(row["to_year"])
    percent = bool(old.target.percent)
    cumulative = old.target.kind is TargetKind.CUMULATIVE
    annual = old.target.kind is TargetKind.ANNUAL_AVERAGE
    flows = cumulative or annual  # a five-year total or mean: the base period's, not one year's
    if cumulative and row.get("period_total") is not None:
        baseline_raw = format_target(
            Target(
                TargetKind.CUMULATIVE,
                value=_round(row["period_total"], row.get("digits")),
                percent=percent,
            )
        )
    elif annual and row.get("annual_mean") is not None:
        baseline_raw = format_target(
            _with_value(old.target, _round(row["annual_mean"], row.get("digits")), percent, None)
        )
    elif row.get("value") is not None and not flows:
        baseline_raw = format_target(
            Target(TargetKind.REACH, value=_round(row["value"], row.get("digits")), percent=percent)
        )
    else:
        baseline_raw = "—"
    if row.get("value_year") is not None and row["value_year"] != base_year and not flows:
        baseline_raw += f"（{row['value_year']}年）"
    kept = old.target.kind in _KEPT_FORMS and old.target.value is not None
    if row.get("proposed") is None and kept and (annual or old.target.marker):
        # no number of our own: the old one stays, in its form, with the draft's marker only
        assert old.target.value is not None
        target_raw = format_target(_with_value(old.target, old.target.value, percent, None))
    elif row["rule_used"] == "carry" or row.get("proposed") is None:
        target_raw = old.target_raw or "—"
    else:
        target_raw = format_target(
            _with_value(old.target, float(row["proposed"]), percent, row.get("upper_bound"))
        )
    nature = Nature(row["proposed_nature"]) if row.get("proposed_nature") else old.nature
    new = replace(
        old,
        baseline_raw=baseline_raw,
        target_raw=target_raw,
        baseline=read_cell(baseline_raw),
        target=read_cell(target_raw),
        baseline_year=base_year,
        target_year=to_year,
        nature=nature,
        notes=_row_note(baseline_raw, target_raw),
        polarity=Polarity(row["polarity"]) if row.get("polarity") else old.polarity,
    )
    return new


def _row_note(*cells: str) -> str | None:
    """The 注 a row's cells call for (the exported table's note line, row by row)."""
    text = "".join(cells)
    if "【" in text:
        return CUMULATIVE_NOTE
    if any(read_cell(c).kind is TargetKind.ANNUAL_AVERAGE for c in cells):
        return ANNUAL_NOTE
    return None


#: Target forms an added row may borrow from the higher plans (a number's form, not words).
FORM_KINDS = frozenset(_KEPT_FORMS)


def with_added(
    kept: list[PlanIndicator], entries: Sequence[CanonicalIndicator], forms: Mapping[str, Target]
) -> list[PlanIndicator]:
    """The plan's rows with catalogue indicators added, each after the last row of its domain.

    An added row takes its target's form (【】 five-year total, ≥, a share in %) from the
    same indicator in the higher plans (``forms``, catalogue code → target); otherwise it
    asks for a level in the target year. No number yet: the rules give it one as they do
    the plan's own rows. (Added at the end, 人均预期寿命 sat under 九、文化体育服务.)
    """
    present = {i.canonical_code for i in kept if i.canonical_code}
    out = list(kept)
    for c in entries:
        if c.code in present:
            continue
        present.add(c.code)
        same = [n for n, i in enumerate(out) if i.domain_code == c.domain and i.domain]
        known = DOMAINS_BY_CODE.get(c.domain)
        form = forms.get(c.code)
        target = (
            Target(form.kind, percent=form.percent, marker=form.marker)
            if form is not None and form.kind in FORM_KINDS
            else Target(TargetKind.REACH)
        )
        row = PlanIndicator(
            seq=None, name=c.name, unit=c.unit, baseline_raw=None, target_raw=None, nature=None,
            domain=out[same[-1]].domain if same else (known.name_zh if known else None),
            canonical_code=c.code, polarity=c.polarity, domain_code=c.domain,
            baseline=parse_target(None), target=target,
        )  # fmt: skip
        out.insert(same[-1] + 1 if same else len(out), row)
    return out
