"""六、基本公共服务标准: the plan's service list against the national standard and the higher
level's list, and its cost.

Every figure comes from :class:`minsheng.services.standards_report.ReportStandards` —
the comparison and the cost the CLI and the pages show — and each paragraph keeps
the figures it states in its ``numbers`` (the tests re-derive them from the service).
"""

from __future__ import annotations

from typing import Any

from minsheng.analytics.standards_compare import Comparison
from minsheng.domain.standards import StandardList
from minsheng.reports.formatting import number
from minsheng.reports.model import Column, Note, Paragraph, Section, Table
from minsheng.services.report_content import ReportContent
from minsheng.services.standards import items_by_domain
from minsheng.services.standards_compare import ListComparison
from minsheng.services.standards_cost import LEVEL_NAMES_ZH
from minsheng.services.standards_report import ReportStandards

TITLE = "六、基本公共服务标准"
#: How a pair was made, in the words of the comparison page.
HOW_ZH = {"same name": "名称相同", "confirmed": "人工确认", "fuzzy": "近似匹配"}
#: A pair's standards compared; the words are coloured like verdicts (formatting.LABEL_CODES).
RELATION_ZH = {"lower": "低于", "equal": "持平", "higher": "高于"}
NOT_COMPARABLE_ZH = "无法比较"
LEVELS = ("central", "provincial", "local", "unsplit")
_CN = "一二三四"


class _Tables:
    """表6-1, 表6-2 … in reading order, whichever subsections a report has."""

    def __init__(self) -> None:
        self.n = 0

    def caption(self, text: str) -> str:
        self.n += 1
        return f"表6-{self.n}　{text}"


def standards(content: ReportContent) -> Section:
    """The chapter: comparisons (national, higher level) and the cost, or why there are none."""
    facts = content.standards
    if facts is None:
        return Section(
            TITLE,
            [
                Paragraph(
                    f"本规划未附基本公共服务清单，{content.region_name}也没有存入的清单，"
                    "本章不作对照与成本测算。"
                ),
                Note("清单可随规划文本读入平台，或按清单模板填写后导入。"),
            ],
            key="standards",
        )
    tables = _Tables()
    parts = [comparison(facts.comparison, "国家标准", "national", tables)]
    if facts.higher is not None:
        parts.append(comparison(facts.higher, "上级清单", "higher", tables))
    parts.append(cost(content, facts, tables))
    for i, part in enumerate(parts):
        part.title = f"（{_CN[i]}）{part.title}"
    intro = Paragraph(
        f"本章以《{facts.stored.list.name}》第{facts.stored.list.version}版为对象"
        f"（共{len(facts.stored.list.items)}项服务项目）。",
        {"std:version": int(facts.stored.list.version), "std:items": len(facts.stored.list.items)},
    )
    return Section(TITLE, [intro], parts, key="standards")


# --------------------------------------------------------------------------- 对照


def comparison(lc: ListComparison, against: str, key: str, tables: _Tables) -> Section:
    """与国家标准（上级清单）对照: items matched, missing, added; standards below, at or above.

    ``key`` prefixes the figures' names (``national:matched`` …) so tests find their source.
    """
    ref = lc.reference
    c = lc.comparison
    how = {k: sum(1 for m in c.matched if m.how == k) for k in HOW_ZH}
    comparable = len(c.lower) + len(c.equal) + len(c.higher)
    nums: dict[str, float] = {
        f"{key}:reference_items": len(ref.items),
        f"{key}:matched": len(c.matched),
        f"{key}:same_name": how["same name"],
        f"{key}:confirmed": how["confirmed"],
        f"{key}:fuzzy": how["fuzzy"],
        f"{key}:threshold": c.threshold,
        f"{key}:missing": len(c.missing),
        f"{key}:added": len(c.added),
        f"{key}:suggestions": len(c.suggestions),
    }
    named = f"《{ref.name}》" if key == "higher" else "国家基本公共服务标准参考数据"
    first = Paragraph(
        f"对照{named}所列{len(ref.items)}项服务项目：与{against}项目对应{len(c.matched)}项"
        f"（名称相同{how['same name']}项、人工确认{how['confirmed']}项、相似度不低于"
        f"{number(c.threshold)}分的近似匹配{how['fuzzy']}项）；{against}项目在本地清单中未找到"
        f"{len(c.missing)}项；本地新增项目{len(c.added)}项；名称相近、待人工确认"
        f"{len(c.suggestions)}项（确认前不计为对应）。",
        nums,
    )
    levels: dict[str, float] = {
        f"{key}:matched": len(c.matched),
        f"{key}:comparable": comparable,
        f"{key}:lower": len(c.lower),
        f"{key}:equal": len(c.equal),
        f"{key}:higher": len(c.higher),
        f"{key}:not_comparable": len(c.not_comparable),
    }
    if comparable:
        said = (
            f"对应的{len(c.matched)}项中，双方服务标准都有可比数量的{comparable}项："
            f"低于{against}{len(c.lower)}项、与{against}持平{len(c.equal)}项、"
            f"高于{against}{len(c.higher)}项；其余{len(c.not_comparable)}项至少一方未列可比的"
            "数量标准，不作高低比较。"
        )
    else:
        levels = {f"{key}:matched": len(c.matched)}
        said = (
            f"对应的{len(c.matched)}项中，没有双方服务标准都列有可比数量（金额、比例、次数）"
            "的项目，不作高低比较。"
        )
    if c.unparsed_standards:
        levels[f"{key}:unparsed"] = c.unparsed_standards
        said += f"本地清单中{c.unparsed_standards}项服务标准为文字表述、未量化。"
    blocks: list[Any] = [first, Paragraph(said, levels)]
    if lc.note:
        blocks.append(Note(lc.note + "。"))
    blocks.append(_summary_table(c, against, tables))
    if c.matched:
        blocks.append(_pairs_table(c, against, tables))
    if c.missing:
        blocks.append(
            Table(
                tables.caption(f"{against}项目在本地清单中未找到"),
                [Column("服务项目"), Column("服务类别")],
                [[item.item, item.category or "—"] for item in c.missing],
                key="standards_missing",
            )
        )
    if c.added:
        groups = items_by_domain(StandardList("", "", None, list(c.added)))
        blocks.append(
            Table(
                tables.caption(f"本地新增项目（相对{against}，按领域）"),
                [
                    Column("服务领域", nowrap=True, width=16),
                    Column("项目数", "number", 0, nowrap=True, width=10),
                    Column("服务项目"),
                ],
                [
                    [name, len(items), "、".join(i.item for i in items)]
                    for name, items in groups.items()
                ],
                key="standards_added",
            )
        )
    if c.suggestions:
        blocks.append(
            Table(
                tables.caption("名称相近、待人工确认的项目"),
                [
                    Column("本地服务项目"),
                    Column(f"{against}服务项目"),
                    Column("相似度", "number", 0, width=12),
                ],
                [[m.local.item, m.reference.item, m.score] for m in c.suggestions],
                key="standards_suggestions",
                note="是否对应由分析人员确认；确认后的对应在以后的对照中沿用。",
            )
        )
    return Section(f"与{against}对照", blocks)


def _summary_table(c: Comparison, against: str, tables: _Tables) -> Table:
    rows = [
        [f"与{against}项目对应", len(c.matched)],
        [f"　其中：服务标准低于{against}", len(c.lower)],
        [f"　　　　与{against}持平", len(c.equal)],
        [f"　　　　高于{against}", len(c.higher)],
        ["　　　　无法比较", len(c.not_comparable)],
        [f"{against}项目未找到", len(c.missing)],
        ["本地新增项目", len(c.added)],
        ["待人工确认的相近项目", len(c.suggestions)],
    ]
    return Table(
        tables.caption(f"与{against}对照结果"),
        [Column("类别"), Column("项目数", "number", 0, nowrap=True, width=16)],
        rows,
        key="standards_summary",
    )


def _pairs_table(c: Comparison, against: str, tables: _Tables) -> Table:
    verdict: dict[int, str] = {}
    for key, pairs in (("lower", c.lower), ("equal", c.equal), ("higher", c.higher)):
        for pair in pairs:
            verdict[id(pair.local)] = RELATION_ZH[key]
    rows = [
        [
            m.local.item,
            m.reference.item,
            HOW_ZH.get(m.how, m.how),
            m.score,
            m.local.standard or "—",
            m.reference.standard or "—",
            verdict.get(id(m.local), NOT_COMPARABLE_ZH),
        ]
        for m in c.matched
    ]
    return Table(
        tables.caption("对应项目的服务标准比较"),
        [
            Column("本地服务项目"),
            Column(f"{against}服务项目"),
            Column("对应方式", nowrap=True, width=10),
            Column("相似度", "number", 0, nowrap=True, width=8),
            Column("本地服务标准"),
            Column(f"{against}服务标准"),
            Column("比较", "status", nowrap=True, width=9),
        ],
        rows,
        key="standards_pairs",
    )


# --------------------------------------------------------------------------- 成本


def cost(content: ReportContent, facts: ReportStandards, tables: _Tables) -> Section:
    """（二）年度成本测算: the costed items by level of government, and why the rest are not."""
    where = f"{content.region_name}{content.year}年"
    if facts.cost is None:
        why = facts.cost_problem_zh or facts.cost_problem or ""
        return Section(
            "年度成本测算",
            [Paragraph(f"未能测算{where}的清单年度成本：{why}。", {"year": content.year})],
        )
    base = facts.cost.baseline
    blocks: list[Any] = []
    total_wan = base.total / 1e4
    if base.lines:
        by_level = base.by_level
        nums: dict[str, float] = {
            "year": content.year,
            "std:costed": len(base.lines),
            "std:cost_total_wan": total_wan,
        }
        parts = []
        for level in LEVELS:
            if by_level[level]:
                nums[f"std:cost_wan:{level}"] = by_level[level] / 1e4
                parts.append(f"{LEVEL_NAMES_ZH[level]}{number(by_level[level] / 1e4)}万元")
        blocks.append(
            Paragraph(
                f"按清单所列服务标准和受益人数测算，{where}可测算的{len(base.lines)}项服务"
                f"年度支出合计{number(total_wan)}万元，其中{'、'.join(parts)}。",
                nums,
            )
        )
        blocks.append(_cost_table(facts, tables))
    else:
        blocks.append(
            Paragraph(
                f"清单中没有可测算年度成本的服务项目（{where}）：成本测算需要服务标准写明"
                "按人按期的金额，并有受益人数。",
                {"year": content.year},
            )
        )
    if base.not_costed:
        counts: dict[str, int] = {}
        for skipped in base.not_costed:
            counts[skipped.why_zh] = counts.get(skipped.why_zh, 0) + 1
        said: dict[str, float] = {"std:not_costed": len(base.not_costed)}
        parts = []
        for why, count in sorted(counts.items(), key=lambda kv: -kv[1]):
            said[f"std:not_costed:{why}"] = count
            parts.append(f"{why}{count}项")
        blocks.append(
            Paragraph(f"未测算的服务项目{len(base.not_costed)}项：{'、'.join(parts)}。", said)
        )
    if facts.cost.population_source:
        blocks.append(
            Note(f"服务全体居民的项目，受益人数取常住人口：{facts.cost.population_source}。")
        )
    blocks.append(
        Note(
            "年度成本＝受益人数×人均年标准；支出分担按清单“支出责任”的表述，未写明比例的记为“未分”。"
            "受益人数可另行提供后重新测算。"
        )
    )
    return Section("年度成本测算", blocks)


def _cost_table(facts: ReportStandards, tables: _Tables) -> Table:
    assert facts.cost is not None
    base = facts.cost.baseline
    rows: list[list[Any]] = [
        [
            line.item,
            line.population,
            line.per_year,
            line.cost / 1e4,
            *(line.by_level.get(level, 0.0) / 1e4 for level in LEVELS),
        ]
        for line in base.lines
    ]
    rows.append(["合计", None, None, base.total / 1e4, *(base.by_level[lv] / 1e4 for lv in LEVELS)])
    return Table(
        tables.caption("清单年度成本测算（成本单位：万元）"),
        [
            Column("服务项目"),
            Column("受益人数", "number", 0),
            Column("人均年标准（元）", "number", 2),
            Column("年度成本", "number", 2),
            *(Column(LEVEL_NAMES_ZH[level], "number", 2) for level in LEVELS),
        ],
        rows,
        key="standards_cost",
    )
