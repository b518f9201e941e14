"""Row-level problems speak Chinese as well as English.

County reporters read refusals on Chinese pages: a Problem keeps the English
``message`` (the CLI's line, the API's ``message``) and carries ``message_zh``. The
static check walks the source so that a new Problem-creating site cannot forget it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import minsheng
from minsheng.domain.errors import InvalidData, Problem, ValidationReport

SOURCE = Path(minsheng.__file__).parent
LOGGERS = {"log", "logger", "logging", "_log", "LOG"}


def test_a_report_keeps_the_chinese_wording_of_errors_and_warnings() -> None:
    report = ValidationReport()
    report.error(7, "value", "'abc' is not a number", zh="“abc”不是数字")
    report.warn(8, "value", "'—' means no value", zh="“—”表示无数据")
    report.error(9, "year", "no year")  # a caller without Chinese still works
    assert [(p.row, p.severity, p.message_zh) for p in report.problems] == [
        (7, "error", "“abc”不是数字"),
        (8, "warning", "“—”表示无数据"),
        (9, "error", None),
    ]
    assert report.errors[0].message == "'abc' is not a number"  # the English is unchanged
    assert str(report.errors[0]) == "row 7, value: 'abc' is not a number"


def test_a_refusal_built_from_a_report_says_it_in_both_languages() -> None:
    report = ValidationReport([Problem(3, "value", "bad", message_zh="有误")])
    refused = InvalidData.from_report("upload.xlsx", report)
    assert refused.message == "upload.xlsx: 1 error; nothing was imported"
    assert refused.message_zh is not None and refused.message_zh.startswith("upload.xlsx：1 处")
    assert InvalidData.from_report("the form", report, what_zh="表单").message_zh.startswith(
        "表单："
    )
    assert refused.problems[0].message_zh == "有误"


def _sites(root: Path = SOURCE) -> list[tuple[str, int, str, bool]]:
    """Every call that makes a Problem: (file, line, call, whether it gives Chinese)."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name == "Problem":
                wording = "message_zh"
                positional = len(node.args) >= 5  # row, field, message, severity, message_zh
            elif (
                name in ("error", "warn")
                and isinstance(func, ast.Attribute)
                and ast.unparse(func.value).split(".")[-1] not in LOGGERS
            ):
                wording, positional = "zh", False
            else:
                continue
            given = positional or any(
                k.arg == wording
                and not (isinstance(k.value, ast.Constant) and k.value.value is None)
                for k in node.keywords
            )
            where = str(path.relative_to(root.parent))
            found.append((where, node.lineno, ast.unparse(func), given))
    return sorted(found)


def test_every_problem_made_in_the_source_gives_its_chinese_wording() -> None:
    sites = _sites()
    assert len(sites) >= 50  # the walk finds the sites (63 today): it is not vacuous
    assert [f"{f}:{line} {call}(…)" for f, line, call, ok in sites if not ok] == []


def test_the_static_check_catches_a_site_without_chinese(tmp_path: Path) -> None:
    """The walk itself: a call without the keyword is reported (guards the guard)."""
    code = (
        "report.error(1, 'value', 'bad')\n"
        "report.warn(1, 'value', 'odd', zh='有疑')\n"
        "Problem(1, None, 'x')\n"
        "Problem(1, None, 'x', message_zh=None)\n"
        "logger.error('not a problem %s', 1)\n"
    )
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "m.py").write_text(code, encoding="utf-8")
    flagged = [(line, ok) for _, line, _, ok in _sites(package)]
    assert flagged == [(1, False), (2, True), (3, False), (4, False)]


def test_a_quoted_cell_of_any_length_makes_a_message_of_bounded_length() -> None:
    """A 100 KB cell quoted whole filled the terminal with one refusal."""
    from minsheng.domain.errors import MESSAGE_CHARS, clipped

    cell = "9" * 100_000
    problem = Problem(2, "value", f"{cell!r} is not a number", message_zh=f"“{cell}”不是数字")
    refused = InvalidData(f"f.csv: row 2 has {cell!r}", [problem], message_zh=f"第2行为“{cell}”")
    for text in (problem.message, problem.message_zh, refused.message, refused.message_zh):
        assert text is not None and len(text) < MESSAGE_CHARS + 60
        assert text.endswith("characters]") and "+99," in text
    short = "row 2: 'abc' is not a number"
    assert clipped(short) == short and Problem(2, "v", short).message == short
    assert clipped(clipped("x" * 10_000)) == clipped("x" * 10_000)  # wrapped again: not re-cut
