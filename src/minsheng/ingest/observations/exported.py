"""Recognising an evaluation table exported by minsheng, offered back as observations.

Its rows look like values (indicator, region, year, value) but its year is the evaluation
year, not the year of a value: read as data it would store verdicts as statistics.
"""

from __future__ import annotations

from pathlib import Path

from minsheng.domain.errors import InvalidData, Problem
from minsheng.ingest.observations.workbook_validation import normalise_text

#: Columns of an evaluation table (`minsheng evaluate --csv`): a file with several of them
#: holds verdicts, and its year is the evaluation year, not the year of a value.
_EVALUATION_COLUMNS = frozenset(
    {
        "status",
        "rho",
        "expected",
        "grade",
        "target_kind",
        "method",
        "likely",
        "sdg_progress",
        "anticipated_ratio",
        "data_year",
        "projected_linear",
        "baseline_source",
        "years_observed",
    }
)


def refuse_evaluation_table(file: str, sheet: str | None, number: int, cells: list[str]) -> None:
    found = sorted({normalise_text(c) for c in cells} & _EVALUATION_COLUMNS)
    if len(found) >= 3:
        where = file + (f", sheet {sheet}" if sheet else "")
        where_zh = file + (f"，工作表 {sheet}" if sheet else "")
        zh = f"{where_zh}：这是 minsheng 导出的评估结果表，不是观测数据"
        raise InvalidData(
            f"{where}: this is an evaluation table exported by minsheng (columns "
            f"{', '.join(found[:4])}), not observations: its year is the evaluation year, "
            "not the year of a value; give the statistics the evaluation was made from",
            [
                Problem(
                    number,
                    None,
                    f"{where}: an evaluation table, not observations",
                    message_zh=f"{zh}，请上传评估所依据的统计数据",
                    sheet=sheet,
                )
            ],
            message_zh=f"{zh}（其中的年份是评估年份而非数据年份），请上传评估所依据的统计数据",
        )


def refuse_evaluation_json(path: Path) -> None:
    """`minsheng evaluate --json` output: a list of result objects."""
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        return
    if isinstance(data, list) and data and isinstance(data[0], dict):
        refuse_evaluation_table(path.name, None, 1, [str(k) for k in data[0]])
