"""``minsheng report``: one plan to a file, every plan to a folder, mistakes as one red line.

(Here rather than in tests/cli because it needs the demo database these tests share.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minsheng.cli.main import app

runner = CliRunner()


@pytest.fixture
def env(demo_db, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("MINSHENG_DATABASE_URL", demo_db.url)
    monkeypatch.setenv("MINSHENG_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def test_one_report_format_from_the_file_name_and_midterm_year_by_default(env: Path) -> None:
    import openpyxl

    out = env / "yongchuan.xlsx"
    result = runner.invoke(app, ["report", "永川", "--kind", "midterm", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "中期评估报告" in result.output and "2023" in result.output
    assert openpyxl.load_workbook(out).sheetnames[0] == "指标完成情况"


def test_all_plans_write_one_report_each(env: Path, demo_db) -> None:
    from minsheng.services.report_content import reportable_plans

    folder = env / "final"
    result = runner.invoke(
        app, ["report", "--all-plans", "--kind", "final", "--format", "html", "--out", str(folder)]
    )
    assert result.exit_code == 0, result.output
    files = sorted(folder.glob("*.html"))
    assert len(files) == len(reportable_plans(demo_db)) >= 2
    # a final report is dated by its plan's target year (2025 for 十四五 plans, 2030 for targets)
    assert all(re.search(r"_final_20\d\d\.html$", f.name) for f in files)
    assert any("_final_2025.html" in f.name for f in files)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "永川", "--kind", "annual", "--out", "x.docx"], "needs --year"),
        (["report", "永川", "--kind", "weekly", "--out", "x.docx"], "unknown report kind"),
        (["report", "永川", "--year", "2023", "--out", "x.doc"], "unknown format"),
        (["report", "永川", "--year", "2023", "--out", "/no/such/dir/x.docx"], "no such folder"),
        (
            ["report", "永川", "--year", "2023", "--region", "440000", "--out", "x.docx"],
            "not judged for region",
        ),
        (["report", "永川", "--year", "2023", "--region", "火星", "--out", "x.docx"], ""),
        (["report", "no plan of this name", "--year", "2023", "--out", "x.docx"], ""),
        # a final report "based on data up to 2031" of a 2021–2025 plan
        (["report", "永川", "--year", "2031", "--out", "x.docx"], "outside plan"),
        (["report", "永川", "--year", "2019", "--out", "x.docx"], "outside plan"),
    ],
)
def test_mistakes_are_one_red_line(env: Path, args: list[str], message: str, monkeypatch) -> None:
    monkeypatch.chdir(env)
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert result.output.startswith("error: ") and message in result.output
    assert "Traceback" not in result.output
