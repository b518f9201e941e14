"""The appendix of a report and its calculation records: the method, every value with its
source and version, and every input and intermediate of each indicator's verdict."""

from __future__ import annotations

from typing import Any

from minsheng.reports.formatting import grade_zh, method_zh, nature_zh, sdg_zh, status_zh
from minsheng.reports.model import Column, Paragraph, Section, Table
from minsheng.services.report_content import ReportContent

# --------------------------------------------------------------------------- 附录

METHOD_TEXT = [
    "完成进度：ρ=(V−B)/(T−B)，B为基期值，T为目标值，V为评估年度及以前最近一年的监测值，"
    "方向按指标的正逆向确定；累计型目标ρ=规划期内各年数值之和÷T。",
    "时间进度：e=(t−y0)/(yT−y0)，t为数据年份；期望值E_t=B+e(T−B)。"
    "已达到目标条件为“已实现”，ρ≥e为“进度正常”，0≤ρ<e为“进度滞后”，ρ<0为“逆向变化”。",
    "趋势推算：以基期值和规划期内监测值作最小二乘线性外推至目标年；"
    "并以实际年均增速与规划要求年均增速之比判断实现可能性（比值≥1为可实现）。",
    "总结评估等级：目标年数据达到目标条件为“完成”，未完成但ρ≥90%为“基本完成”，其余为“未完成”。",
    "地区差距：人口加权的变异系数、基尼系数、泰尔指数，差距缩小指基尼系数较首年下降。",
    "数据质量：报送率为已报数据占应报数据的比例；某年数据在次年3月31日前首次报送的为按期报送；"
    "疑似异常值按修正Z分数（阈值3.5）识别。",
]


def appendix(content: ReportContent) -> Section:
    method = Section("附录1　评估方法", [Paragraph(t) for t in METHOD_TEXT])
    values = content.values
    rows = [
        [
            r["indicator"],
            r["year"],
            r["value"],
            r["version"],
            _status_label(r["status"]),
            "是" if r["synthetic"] else "否",
            r["source"] or "—",
        ]  # fmt: skip
        for r in values.iter_rows(named=True)
    ]
    sources = Section(
        "附录2　数据来源",
        [
            Paragraph(f"本报告所用{content.region_name}各指标数值的来源与版本如下。"),
            Table(
                "附表　数据来源与版本",
                [
                    Column("指标", width=24),
                    Column("年份", "year", width=7),
                    Column("数值", "number", 4, width=9),
                    Column("版本", "number", 0, width=6),
                    Column("审核状态", nowrap=True, width=9),
                    Column("合成数据", nowrap=True, width=9),
                    Column("来源"),
                ],  # fmt: skip
                rows,
                key="sources",
            ),
        ],
    )
    return Section("附录", [], [method, sources], key="appendix")


def _status_label(code: str | None) -> str:
    return {
        "draft": "草稿",
        "submitted": "已报送",
        "approved": "已审核",
        "published": "已发布",
    }.get(code or "", code or "—")


RECORD_COLUMNS: list[tuple[str, str, str]] = [
    ("indicator", "指标", "text"), ("region", "地区代码", "text"), ("unit", "单位", "text"),
    ("nature", "属性", "nature"), ("target_kind", "目标类型", "text"), ("polarity", "方向", "text"),
    ("y0", "基期年", "year"), ("baseline", "基期值B", "number"), ("yT", "目标年", "year"),
    ("target", "目标值T", "number"), ("data_year", "数据年份t", "year"), ("value", "监测值V", "number"),
    ("elapsed", "时间进度e", "percent"), ("expected", "期望值E_t", "number"), ("rho", "完成进度ρ", "percent"),
    ("status", "状态", "status"), ("grade", "等级", "grade"), ("method", "计算方法", "method"),
    ("years_observed", "观测年数", "number0"), ("total", "累计值", "number"), ("mean", "年均值", "number"),
    ("required_rate", "要求年均增速", "percent"), ("actual_rate", "实际年均增速", "percent"),
    ("projected_linear", "线性预测(目标年)", "number"), ("anticipated_ratio", "预期进展比", "number"),
    ("likely", "预计可实现", "bool"), ("sdg_progress", "SDG进展分类", "sdg"), ("reason_zh", "说明", "reason"),
]  # fmt: skip


def records_table(rows: list[dict[str, Any]]) -> Table:
    """The calculation record of each indicator: every input and intermediate of its verdict."""

    def cell(r: dict[str, Any], key: str, kind: str) -> Any:
        v = r.get(key)
        return {
            "nature": nature_zh, "status": status_zh, "grade": grade_zh, "method": method_zh,
            "sdg": sdg_zh, "reason": lambda x: x or "",
            "bool": lambda x: {True: "是", False: "否", None: "—"}[x],
        }.get(kind, lambda x: x)(v)  # fmt: skip

    columns = [
        Column(
            title,
            {
                "number0": "number",
                "nature": "text",
                "method": "text",
                "grade": "status",
                "sdg": "text",
                "reason": "text",
                "bool": "text",
            }.get(kind, kind),  # type: ignore[arg-type]
            digits=0 if kind == "number0" else 4,
        )  # fmt: skip
        for _, title, kind in RECORD_COLUMNS
    ]
    return Table(
        "计算记录",
        columns,
        [[cell(r, key, kind) for key, _, kind in RECORD_COLUMNS] for r in rows],
        status_keys=[r["status"] for r in rows],
        key="records",
    )
