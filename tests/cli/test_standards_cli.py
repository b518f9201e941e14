"""``minsheng standards …`` end to end on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from minsheng.cli.main import app

runner = CliRunner()


def _ok(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.output


def _import(file: Path, name: str, region: str, user: str, *more: str) -> str:
    """``minsheng standards import FILE --name NAME --region REGION --user USER [MORE…]``."""
    options = ["--name", name, "--region", region, "--user", user]
    return _ok(["standards", "import", str(file), *options, *more])


def test_template_import_revise_diff_compare_cost(cli_env, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from minsheng.cli import standards_common as cli_standards

    monkeypatch.setattr(cli_standards.console, "width", 240)  # no wrapping inside table cells
    template = tmp_path / "t.csv"
    _ok(["standards", "template", "--out", str(template)])
    header = template.read_text(encoding="utf-8-sig").strip()
    first = tmp_path / "v1.csv"
    first.write_text(
        header + "\n病有所医,,基本公共卫生服务,城乡居民,,每人每年不低于89元,地方财政负责,,\n"
        "幼有所育,,免费孕前优生健康检查,,,免费,,,\n",
        encoding="utf-8",
    )
    out = _import(first, "区级清单", "500118", "wang", "--reason", "首版")
    assert "version 1" in out
    second = tmp_path / "v2.csv"
    second.write_text(
        header + "\n病有所医,,基本公共卫生服务,城乡居民,,每人每年不低于94元,地方财政负责,,\n"
        "幼有所育,,免费孕前优生健康检查,,,免费,,,\n",
        encoding="utf-8",
    )
    assert "version 2" in _import(second, "区级清单", "500118", "li", "--reason", "提标")
    listing = _ok(["standards", "list"])
    assert "区级清单" in listing and "500118" in listing
    history = _ok(["standards", "history", "区级清单"])
    assert "wang" in history and "li" in history and "提标" in history
    diff = _ok(["standards", "diff", "区级清单"])
    assert "每人每年不低于89元 → 每人每年不低于94元" in diff and "1 changed" in diff
    shown = _ok(["standards", "show", "区级清单", "--version", "1"])
    assert "89元" in shown and "2 standard(s) quantified, 0 left as text" in shown
    compared = _ok(["standards", "compare", "区级清单", "--with", "national"])
    assert "农村免费孕前优生健康检查" in compared
    cost = _ok(
        [
            "standards",
            "cost",
            "区级清单",
            "--region",
            "500118",
            "--year",
            "2023",
            "--raise",
            "基本公共卫生服务=10",
        ]
    )
    assert "not costed" in cost  # no population stored: said, not guessed


def test_mistakes_are_one_red_line(cli_env, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("服务领域,服务项目\n幼有所育,\n", encoding="utf-8")
    result = runner.invoke(
        app, ["standards", "import", str(bad), "--name", "x", "--region", "500118"]
    )
    assert result.exit_code == 1 and "row 2" in result.output and "Traceback" not in result.output
    missing = runner.invoke(app, ["standards", "show", "没有这个清单"])
    assert missing.exit_code == 1 and "Traceback" not in missing.output
    bad_raise = runner.invoke(
        app, ["standards", "cost", "1", "--region", "500118", "--year", "2023", "--raise", "x"]
    )
    assert bad_raise.exit_code == 1


def test_national_standard_stored_once(cli_env) -> None:
    assert "stored: list" in _ok(["standards", "national"])
    assert "already stored" in _ok(["standards", "national"])
    assert "增补叶酸预防神经管缺陷服务" in _ok(["standards", "diff", "国家基本公共服务标准"])


def test_cost_of_several_regions_flags_the_one_over_its_budget(
    cli_env, tmp_path: Path, monkeypatch
) -> None:  # noqa: ANN001
    from minsheng.cli import standards_common as cli_standards

    monkeypatch.setattr(cli_standards.console, "width", 240)
    lst = tmp_path / "l.csv"
    lst.write_text(
        "服务领域,服务项目,服务标准,支出责任\n老有所养,高龄津贴,每人每月50元,区县财政负责\n",
        encoding="utf-8",
    )
    _import(lst, "市级清单", "500000", "wang")
    table = tmp_path / "pop.csv"
    table.write_text(
        "地区,服务项目,受益人数\n500118,高龄津贴,1000\n500101,高龄津贴,3000\n", encoding="utf-8"
    )
    # 1000 × 600 = 600,000 ≤ 700,000; 3000 × 600 = 1,800,000 > 700,000
    out = _ok(
        [
            "standards",
            "cost",
            "市级清单",
            "--region",
            "500118",
            "--region",
            "500101",
            "--year",
            "2023",
            "--table",
            str(table),
            "--budget",
            "700000",
        ]
    )
    summary = out[out.index("地区汇总") :]
    rows = [line for line in summary.splitlines() if "5001" in line]
    assert "600,000" in rows[0] and "否" in rows[0]
    assert "1,800,000" in rows[1] and "是" in rows[1]


def test_json_for_other_programs(cli_env, tmp_path: Path) -> None:
    import json

    lst = tmp_path / "l.csv"
    lst.write_text(
        "服务领域,服务项目,服务对象,服务标准,支出责任\n"
        "老有所养,高龄津贴,80周岁以上老年人,每人每月50元,区县财政负责\n"
        "幼有所育,免费孕前优生健康检查,,免费,\n",
        encoding="utf-8",
    )
    _import(lst, "区级清单", "500118", "wang")
    [summary] = json.loads(_ok(["standards", "list", "--json"]))
    assert (summary["name"], summary["version"], summary["items"]) == ("区级清单", "1", 2)
    shown = json.loads(_ok(["standards", "show", "区级清单", "--json"]))
    assert shown["list"]["author"] == "wang" and len(shown["list"]["items"]) == 2
    compared = json.loads(_ok(["standards", "compare", "区级清单", "--json"]))
    assert [m["reference"]["item"] for m in compared["comparison"]["matched"]] == [
        "农村免费孕前优生健康检查"
    ]
    table = tmp_path / "pop.csv"
    table.write_text("服务项目,受益人数\n高龄津贴,1000\n", encoding="utf-8")
    [cost] = json.loads(
        _ok(
            [
                "standards",
                "cost",
                "区级清单",
                "--region",
                "500118",
                "--year",
                "2023",
                "--table",
                str(table),
                "--raise",
                "高龄津贴=10",
                "--json",
            ]
        )
    )
    assert cost["baseline"]["total"] == 600_000  # 1000 × 50 × 12
    assert cost["baseline"]["by_level"]["local"] == 600_000
    assert cost["scenario"]["total"] == pytest.approx(660_000)
