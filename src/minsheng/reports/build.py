"""Report content → the report model: the only place that puts numbers into words.

Every figure a paragraph states is read from the evaluation results and kept in
the paragraph's ``numbers`` (tests re-derive each one from the evaluation).
Judgements are left to the analyst: 存在问题 and 下一步建议 list the facts that
call for them and leave a marked place for the analyst's own words.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from minsheng.domain.evaluation import Status
from minsheng.domain.service_domains import DOMAINS
from minsheng.reports import build_appendix, build_chapters, build_standards
from minsheng.reports.formatting import (
    domain_zh,
    grade_zh,
    nature_zh,
    percent,
    reason_numbers,
    reason_zh,
    status_zh,
    unit_of,
)
from minsheng.reports.indicator_words import (
    baseline_clause,
    outlook_clause,
    target_text,
    value_clause,
)
from minsheng.reports.model import (
    Block,
    Column,
    Figure,
    Paragraph,
    Report,
    Section,
    Series,
    Table,
)
from minsheng.services.report_content import ReportContent, ReportKind

STATUS_ORDER = [s.value for s in Status]
GRADE_ORDER = ["completed", "basically_completed", "not_completed"]
BAD = ("lagging", "regressing")


def build_report(content: ReportContent) -> Report:
    """The whole report, chapter by chapter, from one evaluation."""
    rows = content.results.to_dicts()
    synthetic = bool(content.values.height and content.values.get_column("synthetic").any())
    synthetic_spread = any(s.synthetic for s in content.spreads)
    sections = [
        overview(content, rows),
        indicators(content, rows),
        build_chapters.equity(content),
        build_chapters.alignment(content),
        build_chapters.quality(content),
        build_standards.standards(content),
        *build_chapters.problems_and_next_steps(content, rows),
        build_appendix.appendix(content),
    ]
    _number_figures(sections)
    return Report(
        title=f"{content.title}{content.kind.label_zh}",
        title_tail=content.kind.label_zh,
        subtitle=f"{content.region_name}（{content.region}）　评估年度：{content.year}年",
        made_by=(
            "minsheng 评估平台生成初稿，由分析人员审定",
            *(["仅依据已发布数据"] if content.published_only else []),
        ),
        made_on=f"{content.made_on.year}年{content.made_on.month}月{content.made_on.day}日",
        sections=sections,
        records=build_appendix.records_table(rows),
        notice=(
            "本报告使用的部分数据为演示用合成数据（已在附录中逐项标明），不得作为正式评估结论。"
            if synthetic
            else "本报告区域均等化一章所用下级地区数据含演示用合成数据，不得作为正式评估结论。"
            if synthetic_spread
            else None
        ),
    )


def _number_figures(sections: list[Section]) -> None:
    """图1, 图2 … in reading order, whatever chapters a report happens to have."""
    n = 0
    stack = list(reversed(sections))
    while stack:
        section = stack.pop()
        for block in section.blocks:
            if isinstance(block, Figure):
                n += 1
                block.caption = f"图{n}　{block.caption.split('　', 1)[-1]}"
        stack.extend(reversed(section.subsections))


# --------------------------------------------------------------------------- counts


def count_by(
    rows: list[dict[str, Any]], column: str, *, binding: bool | None = None
) -> dict[Any, int]:
    """How many rows have each value of ``column`` (optionally binding / anticipatory only)."""
    out: dict[Any, int] = {}
    for r in rows:
        if binding is not None and (r.get("nature") == "binding") != binding:
            continue
        key = r.get(column)
        out[key] = out.get(key, 0) + 1
    return out


def _status_phrase(counts: dict, order: list[str], label: Any, prefix: str, nums: dict) -> str:
    parts = []
    for code in order:
        n = counts.get(code, 0)
        if n:
            parts.append(f"{label(code)}{n}项")
            nums[f"{prefix}:{code}"] = n
    return "、".join(parts) if parts else "无"


def overview(content: ReportContent, rows: list[dict[str, Any]]) -> Section:
    """一、总体情况: how many indicators, in which state; binding ones first."""
    y0, yT = content.period
    total = len(rows)
    binding = sum(1 for r in rows if r.get("nature") == "binding")
    nums: dict[str, float] = {
        "total": total, "binding": binding, "anticipatory": total - binding,
        "y0": y0, "yT": yT, "year": content.year,
    }  # fmt: skip
    blocks: list[Any] = []
    text = (
        f"本规划以{y0}年为基期、{yT}年为目标年，共设置监测指标{total}项，其中约束性指标{binding}项、"
        f"预期性及其他指标{total - binding}项。本报告依据截至{content.year}年的监测数据进行评估。"
    )
    blocks.append(Paragraph(text, dict(nums)))
    if content.kind is ReportKind.FINAL:
        graded = count_by(rows, "grade")
        bgraded = count_by(rows, "grade", binding=True)
        n1: dict[str, float] = {"binding": binding}
        b = _status_phrase(bgraded, GRADE_ORDER, grade_zh, "binding_grade", n1)
        ungraded_b = bgraded.get(None, 0)
        if ungraded_b:
            n1["binding_grade:none"] = ungraded_b
            b = ("" if b == "无" else f"{b}，") + f"目标年无数据、暂不能评定{ungraded_b}项"
        if binding:
            blocks.append(Paragraph(f"约束性指标{binding}项中，{b}。", n1))
        n2: dict[str, float] = {"total": total}
        a = _status_phrase(graded, GRADE_ORDER, grade_zh, "grade", n2)
        if graded.get(None, 0):
            n2["grade:none"] = graded[None]
            a = ("" if a == "无" else f"{a}，") + f"目标年无数据、暂不能评定{graded[None]}项"
        blocks.append(Paragraph(f"全部{total}项指标中，{a}。", n2))
    statuses = count_by(rows, "status")
    bstatuses = count_by(rows, "status", binding=True)
    n3: dict[str, float] = {"binding": binding, "year": content.year}
    b = _status_phrase(bstatuses, STATUS_ORDER, status_zh, "binding_status", n3)
    if binding:
        blocks.append(Paragraph(f"按{content.year}年进度判断，约束性指标{binding}项中，{b}。", n3))
    else:  # not "约束性指标0项中，无"
        blocks.append(Paragraph("本规划未设置约束性指标。"))
    n4: dict[str, float] = {"total": total}
    a = _status_phrase(statuses, STATUS_ORDER, status_zh, "status", n4)
    blocks.append(Paragraph(f"全部{total}项指标中，{a}。", n4))
    if content.kind is ReportKind.MIDTERM:
        blocks.append(_half_time(content, rows))
    blocks.append(build_chapters.domain_table(rows))
    blocks.append(_domain_figure(rows))
    return Section("一、总体情况", blocks, key="overview")


def _half_time(content: ReportContent, rows: list[dict[str, Any]]) -> Paragraph:
    """时间过半、任务过半: the time share of the period against each indicator's progress."""
    y0, yT = content.period
    elapsed = (content.year - y0) / (yT - y0)
    good = sum(1 for r in rows if r["status"] in ("achieved", "on_track"))
    bad = sum(1 for r in rows if r["status"] in BAD)
    assessed = sum(1 for r in rows if r["status"] not in ("no_data", "not_assessable"))
    nums = {
        "y0": y0, "yT": yT, "year": content.year, "elapsed_share": elapsed,
        "good": good, "bad": bad, "assessed": assessed,
    }  # fmt: skip
    share = good / assessed if assessed else None
    if share is not None:
        nums["good_share"] = share
    text = (
        f"规划实施期{y0 + 1}—{yT}年，截至{content.year}年时间进度为{percent(elapsed)}。"
        f"对照“时间过半、任务过半”的要求，可评估的{assessed}项指标中，"
        f"{good}项已实现或进度达到时间进度要求（占{percent(share)}），"
        f"{bad}项进度滞后或逆向变化。"
    )
    nums["y0+1"] = y0 + 1
    return Paragraph(text, nums)


def _domain_figure(rows: list[dict[str, Any]]) -> Figure:
    names = _domain_names(rows)
    stacks = {
        code: [sum(1 for r in rows if _domain_of(r) == d and r["status"] == code) for d in names]
        for code in STATUS_ORDER
    }
    return Figure(
        "图1　各领域指标进展状态（项）",
        "stacked_bar",
        categories=names,
        stacks={k: v for k, v in stacks.items() if any(v)},
        y_label="指标数（项）",
        key="status_by_domain",
    )


def _domain_of(row: dict[str, Any]) -> str:
    return domain_zh(row.get("domain_code"), row.get("domain"))


def _domain_names(rows: list[dict[str, Any]]) -> list[str]:
    seen = {_domain_of(r) for r in rows}
    ordered = [d.name_zh for d in DOMAINS if d.name_zh in seen]
    return ordered + sorted(seen - set(ordered))


# --------------------------------------------------------------------------- indicators


def indicator_columns(kind: ReportKind) -> list[Column]:
    cols = [
        Column("序号", "text", nowrap=True, width=5), Column("指标", "text"),
        Column("单位", "text", unit_column=True, width=7), Column("属性", "text", nowrap=True, width=7),
        Column("基期值", "text", width=9), Column("目标值", "text", width=9),
        Column("最新值", "number", 2, width=7), Column("数据年份", "year", width=7),
        Column("完成进度ρ", "percent", 1, width=8), Column("状态", "status", width=9),
    ]  # fmt: skip
    if kind is ReportKind.FINAL:
        cols.append(Column("评定等级", "status", width=9))
    return cols


def indicator_row(r: dict[str, Any], kind: ReportKind) -> list[Any]:
    row = [
        str(r["seq"]) if r.get("seq") is not None else "",
        r["indicator"], unit_of(r), nature_zh(r.get("nature")),
        r.get("baseline_raw") or "—", r.get("target_raw") or "—",
        r.get("value"), r.get("data_year"), r.get("rho"), status_zh(r["status"]),
    ]  # fmt: skip
    if kind is ReportKind.FINAL:
        row.append(grade_zh(r.get("grade")))
    return row


def indicators(content: ReportContent, rows: list[dict[str, Any]]) -> Section:
    """二、主要指标完成情况: a table per domain and a sentence per indicator not on track."""
    subsections = []
    for i, name in enumerate(_domain_names(rows), start=1):
        mine = [r for r in rows if _domain_of(r) == name]
        table = Table(
            f"表2-{i}　{name}领域指标完成情况",
            indicator_columns(content.kind),
            [indicator_row(r, content.kind) for r in mine],
            status_keys=[
                (
                    r.get("grade")
                    if content.kind is ReportKind.FINAL and r.get("grade")
                    else r["status"]
                )
                for r in mine
            ],
            key="indicators",
            note=(
                "累计型指标（目标值为规划期累计值）的最新值为规划期内截至数据年份的累计值。"
                if any(r.get("target_kind") == "cumulative" for r in mine)
                else None
            ),
        )
        blocks: list[Any] = [table]
        blocks += [indicator_sentence(r, content) for r in mine if _needs_sentence(r, content)]
        subsections.append(Section(f"（{_CN[i]}）{name}", blocks))
    figures = binding_figures(content, rows)
    if figures:
        subsections.append(Section(f"（{_CN[len(subsections) + 1]}）约束性指标走势", figures))
    intro = Paragraph(
        "各领域指标的基期值、目标值按规划文本列示；完成进度ρ为相对基期的目标完成比例，"
        "状态与等级的判定方法见附录。"
    )
    return Section("二、主要指标完成情况", [intro], subsections, key="indicators")


_CN = "〇一二三四五六七八九十" + "".join(f"十{c}" for c in "一二三四五六七八九")


def _needs_sentence(r: dict[str, Any], content: ReportContent) -> bool:
    if r["status"] in BAD:
        return True
    return content.kind is ReportKind.FINAL and r.get("grade") in (
        "not_completed",
        "basically_completed",
    )


def indicator_sentence(r: dict[str, Any], content: ReportContent) -> Paragraph:
    """One indicator that is not on track: where it stands, why, and where its trend leads."""
    nums: dict[str, float] = {}
    parts = [f"{r['indicator']}（{nature_zh(r.get('nature'))}）"]
    said, said_nums = value_clause(r)
    if said:
        nums.update(said_nums)
        parts.append(f"：{said}")
    base, base_nums = baseline_clause(r)
    if base:
        nums.update(base_nums)
        parts.append(f"，{base}")
    parts.append(f"，规划目标{target_text(r)}")
    if r.get("rho") is not None:
        nums["rho"] = r["rho"]
        parts.append(f"，完成进度{percent(r['rho'])}")
        if r.get("elapsed") is not None:
            nums["elapsed"] = r["elapsed"]
            parts.append(f"（时间进度{percent(r['elapsed'])}）")
    label = status_zh(r["status"])
    if content.kind is ReportKind.FINAL and r.get("grade"):
        label = f"{label}，评定为“{grade_zh(r['grade'])}”"
    parts.append(f"，{label}。")
    reason = reason_zh(r)
    if reason:
        nums.update(reason_numbers(r, reason))
        parts.append(f"原因：{reason}。")
    if r.get("yT") is not None and content.year < r["yT"]:
        outlook, outlook_nums = outlook_clause(r)
        if outlook:
            nums.update(outlook_nums)
            parts.append(f"{outlook}。")
    text = "".join(parts)
    return Paragraph(text, nums, about=r["indicator"])


def binding_figures(content: ReportContent, rows: list[dict[str, Any]]) -> list[Block]:
    """Each binding indicator's series against the straight path from baseline to target."""
    figures: list[Block] = []
    values = content.values
    for r in rows:
        if r.get("nature") != "binding" or r.get("target") is None:
            continue
        series = values.filter(pl.col("indicator") == r["name"]).sort("year")
        if series.height == 0:
            continue
        y0, yT = r.get("y0") or content.period[0], r.get("yT") or content.period[1]
        years = series.get_column("year").to_list()
        ys = series.get_column("value").to_list()
        if r.get("target_kind") == "cumulative":
            plan_years = [(y, v) for y, v in zip(years, ys, strict=True) if y0 < y <= yT]
            years = [y for y, _ in plan_years]
            running, ys = 0.0, []
            for _, v in plan_years:
                running += v
                ys.append(running)
            path = Series("目标进度（累计）", [y0, yT], [0.0, r["target"]], "dashed")
            label = "累计完成值"
        elif r.get("baseline") is not None:
            path = Series("目标路径", [y0, yT], [r["baseline"], r["target"]], "dashed")
            label = "实际值"
        else:
            path = Series("目标值", [y0, yT], [r["target"], r["target"]], "dotted")
            label = "实际值"
        if not any(y > y0 for y in years):
            continue  # no value in the plan period: a lone baseline point is not a trend
        n = len(figures) + 2
        figures.append(
            Figure(
                f"图{n}　{r['indicator']}：实际值与目标路径",
                "line",
                series=[Series(label, years, ys), path],
                y_label=unit_of(r),
                key="binding_series",
            )
        )
    return figures
