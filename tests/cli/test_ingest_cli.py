"""``minsheng ingest --json`` and ``minsheng map``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from minsheng.cli.main import app

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"
runner = CliRunner()


def test_ingest_json_for_one_file_is_one_object() -> None:
    result = runner.invoke(app, ["ingest", str(FIXTURES / "targets_only.txt"), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert isinstance(out, dict) and out["indicators"] and out["target_year"] == 2025


def test_ingest_json_for_several_files_is_an_array() -> None:
    files = [str(FIXTURES / "targets_only.txt"), str(FIXTURES / "column_order.txt")]
    result = runner.invoke(app, ["ingest", *files, "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [o["document"] for o in out] == ["targets_only.txt", "column_order.txt"]


def test_a_missing_file_is_one_error_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope.txt"), "--json"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # an error message, not a traceback
    assert "Traceback" not in result.output


def test_map_lists_unmatched_indicators(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(FIXTURES / "column_order.txt"), "--json"])
    path = tmp_path / "plan.json"
    path.write_text(result.stdout, encoding="utf-8")
    mapped = runner.invoke(app, ["map", str(path)])
    assert mapped.exit_code == 0, mapped.output
    assert "新增养老床位" in mapped.output and "need a person" in mapped.output
