"""Nothing dropped silently: table-like lines outside tables are listed; weak extractions are
flagged "needs review", stored with that warning, and `minsheng ingest` exits 3."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from minsheng.cli.main import app
from minsheng.ingest.documents.document import extract_lines
from minsheng.ingest.documents.extraction import EXIT_NEEDS_REVIEW, NEEDS_REVIEW, REVIEW_THRESHOLD
from minsheng.ingest.documents.readers import RawDocument
from minsheng.services.plans import get_plan

HEADER_ONLY = [
    "某市“十四五”公共服务规划",
    "表1 主要指标",
    "序号 | 指标 | 单位 | 2020年 | 2025年 | 属性",
    "",
    "",
    "",
    "第二章 主要任务",
]

STRAY = [
    "某市“十四五”公共服务规划",
    "规划期为2021—2025年。",
    "2020年 2025年",
    "预期性",
    "7 2.5 3.1",
]


def _extract(lines: list[str]):
    return extract_lines(RawDocument(lines=lines), "made.txt")


def test_a_header_with_no_rows_needs_review() -> None:
    extraction = _extract(HEADER_ONLY)
    assert extraction.needs_review
    assert any("line 3" in r and "no rows" in r for r in extraction.review_reasons)
    assert any(w.startswith(NEEDS_REVIEW) for w in extraction.plan.warnings)
    assert extraction.confidence < REVIEW_THRESHOLD


def test_table_like_lines_outside_tables_are_listed_with_reasons() -> None:
    extraction = _extract(STRAY)
    by_line = {u.line: u.reason for u in extraction.unparsed_lines}
    assert set(by_line) == {3, 4, 5}
    assert "year header" in by_line[3] and "nature" in by_line[4] and "numbered" in by_line[5]


def test_ingest_says_needs_review_in_summary_json_and_exit_status(tmp_path: Path) -> None:
    path = tmp_path / "header_only.txt"
    path.write_text("\n".join(HEADER_ONLY), encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(path), "--json"])
    assert result.exit_code == EXIT_NEEDS_REVIEW, result.output
    out = json.loads(result.stdout)
    assert out["needs_review"] is True and out["review_reasons"]


def test_stored_ingest_exit_status(cli_env, tmp_path: Path) -> None:
    path = tmp_path / "header_only.txt"
    path.write_text("\n".join(HEADER_ONLY), encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(path)])
    assert result.exit_code == EXIT_NEEDS_REVIEW, result.output
    assert "needs review" in result.output and "header_only.txt" in result.output
    # stored as needing review: the stored plan says so, and `plans N` shows it
    from minsheng.services.plans import list_plans

    [summary] = list_plans(cli_env)
    stored = get_plan(cli_env, summary.id)
    assert any(w.startswith(NEEDS_REVIEW) for w in stored.plan.warnings)
    shown = CliRunner().invoke(app, ["plans", str(summary.id)])
    assert shown.exit_code == 0 and NEEDS_REVIEW in shown.output, shown.output
