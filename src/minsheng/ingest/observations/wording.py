"""Chinese wording of the problems every reader of observation files reports alike.

Import (:mod:`~minsheng.ingest.observations.workbook_validation`) and file-mode evaluation
(:mod:`~minsheng.ingest.observations.values`) refuse the same cells with the same words,
so a county statistician reads one sentence for one mistake whichever door the file took.
"""

from __future__ import annotations

NO_INDICATOR_ZH = "未填写指标名称，请填写模板中的指标"
NO_REGION_ZH = "未填写地区，请填写地区名称或行政区划代码"


def not_a_year_zh(text: object) -> str:
    return f"“{text}”不是年份，请填写四位数年份（如 2023）"


def placeholder_zh(text: object) -> str:
    return f"“{text}”表示无数据，本行已跳过"


def region_unknown_zh(text: str) -> str:
    """A region that cannot be read, for a resolver that gave no Chinese of its own."""
    return f"无法识别地区“{text}”，请填写地区全称或 6 位行政区划代码"
