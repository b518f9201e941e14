"""Chapters three to seven of a report: equity, alignment, data quality, problems, next steps.

Same rule as :mod:`minsheng.reports.build`: numbers come from the services'
frames and are kept in each paragraph's ``numbers``; opinions are left to the analyst.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from minsheng.domain.evaluation import Status
from minsheng.domain.service_domains import DOMAINS
from minsheng.reports.formatting import (
    domain_zh,
    grade_zh,
    nature_zh,
    percent,
    reason_numbers,
    reason_zh,
    status_zh,
)
from minsheng.reports.indicator_words import outlook_clause, target_text, value_clause
from minsheng.reports.model import (
    BulletList,
    Column,
    Figure,
    Note,
    Paragraph,
    Section,
    Series,
    Table,
)
from minsheng.services.report_content import ReportContent, ReportKind

STATUS_ORDER = [s.value for s in Status]
PLACEHOLDER = "【请分析人员结合实际情况撰写：{what}】"

FLAGS_ZH = {
    "missing_binding": "上级约束性指标本级未设置",
    "binding_made_anticipatory": "上级约束性指标本级设为预期性",
    "below_higher_target": "本级目标低于上级目标",
    "different_form": "本级与上级目标表述形式不同，未比较",
    "above_history": "目标要求增速明显高于历史增速",
    "below_history": "目标要求增速明显低于历史增速",
}


def domain_table(rows: list[dict[str, Any]]) -> Table:
    """Counts by status per domain (the table behind the first figure)."""
    seen = {domain_zh(r.get("domain_code"), r.get("domain")) for r in rows}
    names = [d.name_zh for d in DOMAINS if d.name_zh in seen] + sorted(
        seen - {d.name_zh for d in DOMAINS}
    )
    body: list[list[Any]] = []
    for name in [*names, "合计"]:
        mine = [
            r
            for r in rows
            if name == "合计" or domain_zh(r.get("domain_code"), r.get("domain")) == name
        ]
        body.append(
            [name, len(mine), *(sum(1 for r in mine if r["status"] == s) for s in STATUS_ORDER)]
        )
    return Table(
        "表1　各领域指标进展状态（项）",
        [Column("领域"), Column("指标数", "number", 0)]
        + [Column(status_zh(s), "number", 0) for s in STATUS_ORDER],
        body,
        key="status_by_domain",
    )


# --------------------------------------------------------------------------- 区域均等化


def equity(content: ReportContent) -> Section:
    if not content.spreads:
        return Section(
            "三、区域均等化",
            [Paragraph("本地区以下各地区暂无分地区监测数据，本节暂不评价地区间差距。")],
            key="equity",
        )
    rows: list[list[Any]] = []
    blocks: list[Any] = []
    narrowed = widened = 0
    for s in content.spreads:
        # the first and last years with a gap to measure (two regions or more): a year
        # one region reported has none, and is no 持平
        t = s.table.sort("year").filter(pl.col("gini").is_not_null())
        if t.height == 0:
            continue
        first, last = t.row(0, named=True), t.row(-1, named=True)
        change = last["gini"] - first["gini"] if t.height > 1 else None
        narrowed += change is not None and change < 0
        widened += change is not None and change > 0
        trend = (
            "—" if change is None else "缩小" if change < 0 else "扩大" if change > 0 else "持平"
        )
        rows.append(
            [s.indicator, f"{first['year']}—{last['year']}", last["regions"], first["gini"],
             last["gini"], change, first["cv"], last["cv"], trend]
        )  # fmt: skip
    blocks.append(
        Paragraph(
            f"共有{len(content.spreads)}项指标有下级地区分地区数据。以基尼系数衡量，"
            f"与首个监测年份相比，{narrowed}项指标的地区差距缩小，{widened}项扩大。",
            {"spreads": len(content.spreads), "narrowed": narrowed, "widened": widened},
        )
    )
    blocks.append(
        Table(
            "表3　各指标地区间差距变化",
            [
                Column("指标"),
                Column("年份", nowrap=True, width=12),
                Column("地区数", "number", 0, width=7),
                Column("基尼系数（首年）", "number", 4, width=9),
                Column("基尼系数（末年）", "number", 4, width=9),
                Column("变化", "number", 4, width=8),  # 3 decimals showed a fall of 0.0004 as 0
                Column("变异系数（首年）", "number", 4, width=9),
                Column("变异系数（末年）", "number", 4, width=9),
                Column("差距", nowrap=True, width=6),
            ],  # fmt: skip
            rows,
            key="spread",
        )
    )
    shown = content.spreads[:8]
    blocks.append(
        Figure(
            "图　主要指标基尼系数变化" + ("（前8项）" if len(content.spreads) > 8 else ""),
            "line",
            series=[
                Series(
                    s.indicator,
                    s.table.get_column("year").to_list(),
                    s.table.get_column("gini").to_list(),
                )
                for s in shown
            ],
            y_label="基尼系数",
            key="spread",
        )
    )
    notes = sorted({n for s in content.spreads for n in s.notes})
    if notes:
        blocks.append(Note("部分地区缺少人口数据，相关测算未按人口加权。"))
    left_out = [  # regions without a value are left out of the measures: named, never hidden
        f"{s.indicator}（{'、'.join(m[:10])}{f'等{len(m)}个' if len(m) > 10 else ''}）"
        for s in content.spreads
        if (m := s.table.sort("year").row(-1, named=True).get("missing_regions"))
    ]
    if left_out:
        blocks.append(Note(f"末年无数据、未计入差距测算的地区：{'；'.join(left_out)}。"))
    synthetic = [s.indicator for s in content.spreads if s.synthetic]
    if synthetic:  # the appendix lists the report region's values only, not these
        blocks.append(
            Note(
                f"{len(synthetic)}项指标的下级地区数据含演示用合成数据，"
                "本章测算结果不得作为正式评估结论。"
            )
        )
    return Section("三、区域均等化", blocks, key="equity")


# --------------------------------------------------------------------------- 上下衔接


def alignment(content: ReportContent) -> Section:
    flags = content.alignment_flags
    blocks: list[Any] = []
    higher = content.higher_title
    if higher:
        lead = f"对照上级规划《{higher}》及本地区历史增速，"
    else:
        lead = "未记录上级规划，仅对照本地区历史增速，"
    if flags.height == 0:
        blocks.append(Paragraph(lead + "未发现需要关注的衔接问题。"))
    else:
        counts = flags.group_by("flag").len().sort("flag").rows()
        nums: dict[str, float] = {"flags": flags.height}
        parts = []
        for flag, n in counts:
            nums[f"flag:{flag}"] = n
            parts.append(f"{FLAGS_ZH.get(flag, flag)}{n}项")
        blocks.append(Paragraph(f"{lead}共有{flags.height}项提示：{'、'.join(parts)}。", nums))
        rows = [
            [
                FLAGS_ZH.get(f["flag"], f["flag"]),
                f["indicator"],
                nature_zh(f["local_nature"]),
                nature_zh(f["higher_nature"]),
                f["local_target"],
                f["higher_target"],
                f["required_rate"],
                f["historical_rate"],
            ]  # fmt: skip
            for f in flags.iter_rows(named=True)
        ]
        blocks.append(
            Table(
                "表4　上下衔接提示",
                [
                    Column("提示"),
                    Column("指标"),
                    Column("本级属性", nowrap=True),
                    Column("上级属性", nowrap=True),
                    Column("本级目标", "number"),
                    Column("上级目标", "number"),
                    Column("要求年均增速", "percent"),
                    Column("历史年均增速", "percent"),
                ],  # fmt: skip
                rows,
                key="alignment",
            )
        )
        blocks.append(Note("各项提示只列示数据，是否调整由分析人员研判。"))
    if any("observations" in n for n in content.alignment_notes):
        blocks.append(Note("本地区基期以前无监测数据，未与历史增速比较。"))
    return Section("四、上下衔接", blocks, key="alignment")


# --------------------------------------------------------------------------- 数据质量


def quality(content: ReportContent) -> Section:
    blocks: list[Any] = []
    q = content.quality
    if q is None:
        blocks.append(Paragraph("本规划没有可量化的监测指标，未评价数据质量。"))
    else:
        summary = q.by_region.filter(pl.col("region") == content.region)
        expected, reported, on_time = (
            (int(summary[c][0]) for c in ("expected", "reported", "on_time"))
            if summary.height
            else (0, 0, 0)
        )
        years = q.years
        nums: dict[str, float] = {
            "first_year": years[0], "last_year": years[-1], "expected": expected,
            "reported": reported, "on_time": on_time,
        }  # fmt: skip
        reporting_rate = float(summary["reporting_rate"][0]) if summary.height else None
        on_time_rate = float(summary["on_time_rate"][0]) if summary.height else None
        text = (
            f"{years[0]}—{years[-1]}年应报数据{expected}项次，已报{reported}项次"
            f"（报送率{percent(reporting_rate)}），按期报送{on_time}项次（及时率{percent(on_time_rate)}）。"
        )
        if reporting_rate is not None and on_time_rate is not None:
            nums["reporting_rate"], nums["on_time_rate"] = reporting_rate, on_time_rate
        blocks.append(Paragraph(text, nums))
        out = q.outliers
        blocks.append(
            Paragraph(
                f"经修正Z分数检验，疑似异常值{out.height}个。",
                {"outliers": out.height},
            )
        )
        if out.height:
            blocks.append(
                Table(
                    "表5　疑似异常值",
                    [
                        Column("指标"),
                        Column("年份", "year"),
                        Column("数值", "number"),
                        Column("跨地区Z分数", "number"),
                        Column("跨年份Z分数", "number"),
                    ],  # fmt: skip
                    [
                        list(r)
                        for r in out.select(
                            "indicator", "year", "value", "z_regions", "z_years"
                        ).rows()
                    ],
                    key="outliers",
                )
            )
    values = content.values
    pending = values.filter(pl.col("status").is_in(["draft", "submitted"])).height
    synthetic = int(values.get_column("synthetic").sum()) if values.height else 0
    blocks.append(
        Paragraph(
            f"评估所用{values.height}个数值中，尚未审核的{pending}个，演示用合成数据{synthetic}个。",
            {"values": values.height, "pending": pending, "synthetic": synthetic},
        )
    )
    missing = [r for r in content.results.iter_rows(named=True) if r["status"] == "no_data"]
    if missing:
        blocks.append(
            BulletList(
                [
                    Paragraph(
                        f"{r['indicator']}：{reason_zh(r) or '缺数据'}",
                        reason_numbers(r, reason_zh(r) or ""),
                        about=r["indicator"],
                    )
                    for r in missing
                ]
            )
        )
    return Section("五、数据质量", blocks, key="quality")


# --------------------------------------------------------------------------- 问题与建议


def problems_and_next_steps(content: ReportContent, rows: list[dict[str, Any]]) -> list[Section]:
    """The facts that call for a judgement, and a marked place for the analyst's words."""
    facts: list[Paragraph] = []
    for r in rows:
        if r.get("nature") == "binding" and (
            r["status"] in ("lagging", "regressing") or r.get("grade") == "not_completed"
        ):
            facts.append(
                Paragraph(
                    f"约束性指标“{r['indicator']}”{_verdict(r, content)}。", about=r["indicator"]
                )
            )
    for r in rows:
        if r.get("nature") != "binding" and r["status"] in ("lagging", "regressing"):
            facts.append(
                Paragraph(f"“{r['indicator']}”{status_zh(r['status'])}。", about=r["indicator"])
            )
    no_data = sum(1 for r in rows if r["status"] == "no_data")
    if no_data:
        facts.append(Paragraph(f"{no_data}项指标缺少评估所需数据。", {"status:no_data": no_data}))
    flags = content.alignment_flags.height
    if flags:
        facts.append(Paragraph(f"上下衔接提示{flags}项。", {"flags": flags}))
    if content.standards is not None:
        compared = content.standards.comparison.comparison
        if compared.lower:
            n = len(compared.lower)
            facts.append(
                Paragraph(f"基本公共服务清单中{n}项服务标准低于国家标准。", {"std:lower": n})
            )
        if compared.missing:
            n = len(compared.missing)
            facts.append(
                Paragraph(
                    f"国家基本公共服务标准中{n}项服务项目在本地清单中未找到对应项目。",
                    {"std:missing": n},
                )
            )
    problems = Section(
        "七、存在问题",
        [
            Paragraph("评估中发现的以下事实需要关注："),
            BulletList(facts or [Paragraph("未发现进度滞后、逆向变化或缺数据的指标。")]),
            Paragraph(PLACEHOLDER.format(what="存在问题的成因分析"), placeholder=True),
        ],
        key="problems",
    )
    steps_lead, steps_facts = _next_step_facts(content, rows)
    steps = Section(
        "八、下一步建议",
        [
            Paragraph(steps_lead),
            BulletList(steps_facts or [Paragraph("无。")]),
            Paragraph(PLACEHOLDER.format(what="下一步工作建议"), placeholder=True),
        ],
        key="next_steps",
    )
    return [problems, steps]


def _next_step_facts(
    content: ReportContent, rows: list[dict[str, Any]]
) -> tuple[str, list[Paragraph]]:
    """Before the target year: the indicators the evaluation judges unlikely to reach their
    target, with the projection and the ratio it judged by. At the final evaluation the period
    is over, so: the indicators not completed (or, without target-year data, lagging)."""
    facts: list[Paragraph] = []
    if content.kind is ReportKind.FINAL:
        for r in rows:
            grade = r.get("grade")
            if grade in ("not_completed", "basically_completed"):
                verdict = f"评定为“{grade_zh(grade)}”"
            elif grade is None and r["status"] in ("lagging", "regressing"):
                verdict = f"目标年无数据，{status_zh(r['status'])}"
            else:
                continue
            said, nums = value_clause(r)
            facts.append(
                Paragraph(
                    f"“{r['indicator']}”{verdict}（{said + '，' if said else ''}"
                    f"规划目标{target_text(r)}）。",
                    nums,
                    about=r["indicator"],
                )
            )
        return "以下指标规划期末未完成目标，需在下一个五年规划编制和实施中统筹考虑：", facts
    for r in rows:
        if r.get("likely") is not False or r["status"] == "achieved":
            continue
        outlook, nums = outlook_clause(r)
        if outlook:
            facts.append(
                Paragraph(
                    f"“{r['indicator']}”{outlook}（规划目标{target_text(r)}）。",
                    nums,
                    about=r["indicator"],
                )
            )
    return "以下指标按当前趋势难以实现目标，需在下一步工作中统筹考虑：", facts


def _verdict(r: dict[str, Any], content: ReportContent) -> str:
    if content.kind is ReportKind.FINAL and r.get("grade"):
        return f"评定为“{grade_zh(r['grade'])}”"
    return status_zh(r["status"])
