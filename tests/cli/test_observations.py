"""``minsheng template`` → fill in → ``minsheng import``; corrections keep earlier versions."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from minsheng.cli.main import app
from minsheng.cli.observations import parse_years
from minsheng.domain.errors import InvalidData
from minsheng.services.observations import history
from minsheng.services.plans import save_extracted_plan

runner = CliRunner()


@pytest.fixture
def stored(cli_env, plan_factory):  # noqa: ANN201
    return save_extracted_plan(cli_env, plan_factory())


def _fill_wide(path: Path, value: float) -> None:
    """Type ``value`` into the first indicator's cell of every region row of every year sheet."""
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        if not sheet.title.strip().isdigit():
            continue
        header = [c.value for c in sheet[1]]
        first_indicator = next(
            i
            for i, h in enumerate(header)
            if h
            and "代码" not in str(h)
            and "地区" not in str(h)
            and "region" not in str(h).lower()
        )
        for row in sheet.iter_rows(min_row=3):
            if row[0].value:
                row[first_indicator].value = value
    book.save(path)


def _long_file(folder: Path, rows: list[list]) -> Path:
    """A long-layout observation CSV (indicator, region, year, value) of ``rows``."""
    path = folder / "obs.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["indicator", "region", "year", "value"])
        writer.writerows(rows)
    return path


def test_template_fill_import_and_reimport_a_correction(cli_env, stored, tmp_path: Path) -> None:
    out = tmp_path / "fill.xlsx"
    made = runner.invoke(
        app,
        [
            "template",
            str(stored.id),
            "--regions",
            "510000,510100",
            "--years",
            "2021-2022",
            "--out",
            str(out),
        ],
    )
    assert made.exit_code == 0, made.output
    _fill_wide(out, 91.0)
    first = runner.invoke(app, ["import", str(out), "--user", "alice"])
    assert first.exit_code == 0, first.output
    assert "4 new" in first.output

    _fill_wide(out, 92.0)
    second = runner.invoke(app, ["import", str(out), "--user", "bob"])
    assert second.exit_code == 0, second.output
    assert "4 corrected" in second.output
    name = stored.plan.indicators[0].name
    versions = history(cli_env, name, "510100", 2022, plan=stored.id)
    assert [(v.value, v.entered_by) for v in versions] == [(91.0, "alice"), (92.0, "bob")]

    shown = runner.invoke(
        app, ["history", name, "510100", "2022", "--plan", str(stored.id)], env={"COLUMNS": "200"}
    )
    assert shown.exit_code == 0 and "alice" in shown.output and "bob" in shown.output
    # entry times in Beijing time, as the web pages show them, whatever the server's zone
    beijing = {
        (v.entered_at + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")
        for v in versions
        if v.entered_at is not None and v.entered_at.utcoffset() == timedelta(0)
    }
    assert len(beijing) >= 1 and all(b in shown.output for b in beijing)


def test_a_file_with_one_bad_row_is_refused_naming_the_row(cli_env, stored, tmp_path: Path) -> None:
    name = stored.plan.indicators[0].name
    path = _long_file(tmp_path, [[name, "510000", 2021, 90], [name, "510100", 2021, "n/a?"]])
    result = runner.invoke(app, ["import", str(path), "--plan", str(stored.id)])
    assert result.exit_code == 1
    assert "nothing was imported" in result.output and "row 3" in result.output
    assert history(cli_env, name, "510000", 2021, plan=stored.id) == []


def test_correct_command_adds_a_version(cli_env, stored, tmp_path: Path) -> None:
    name = stored.plan.indicators[1].name
    path = tmp_path / "obs.csv"
    path.write_text(f"indicator,region,year,value\n{name},510000,2023,95.5\n", encoding="utf-8")
    assert runner.invoke(app, ["import", str(path), "--user", "alice"]).exit_code == 0
    fixed = runner.invoke(
        app,
        [
            "correct",
            name,
            "510000",
            "2023",
            "95.7",
            "--note",
            "revised bulletin",
            "--user",
            "carol",
        ],
    )
    assert fixed.exit_code == 0, fixed.output
    assert [v.value for v in history(cli_env, name, "510000", 2023, plan=stored.id)] == [95.5, 95.7]


def test_missing_file_is_one_clear_error(cli_env, tmp_path: Path) -> None:
    result = runner.invoke(app, ["import", str(tmp_path / "absent.xlsx")])
    assert result.exit_code == 1
    assert "absent.xlsx" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("2021-2025", [2021, 2022, 2023, 2024, 2025]),
        ("2021,2023", [2021, 2023]),
        ("2022", [2022]),
        (None, None),
    ],
)
def test_parse_years(text: str | None, years: list[int] | None) -> None:
    assert parse_years(text) == years


@pytest.mark.parametrize("text", ["2025-2021", "twenty", "2021-"])
def test_parse_years_refuses_nonsense(text: str) -> None:
    with pytest.raises(InvalidData):
        parse_years(text)


@pytest.mark.parametrize("position", [1, 3])  # a catalogue rate; a count only the plan has
def test_correct_refuses_a_value_the_indicator_cannot_take(
    cli_env, stored, tmp_path: Path, position: int
) -> None:
    name = stored.plan.indicators[position].name
    path = tmp_path / "obs.csv"
    path.write_text(f"indicator,region,year,value\n{name},510000,2023,95.5\n", encoding="utf-8")
    assert runner.invoke(app, ["import", str(path), "--user", "alice"]).exit_code == 0
    refused = runner.invoke(
        app, ["correct", name, "510000", "2023", "-5", "--reason", "typo", "--user", "carol"]
    )
    assert refused.exit_code == 1, refused.output
    assert "cannot be negative" in refused.output and "row 1" in refused.output
    assert "Traceback" not in refused.output
    assert [v.value for v in history(cli_env, name, "510000", 2023, plan=stored.id)] == [95.5]


def test_a_refused_file_marks_its_warnings_apart_from_its_errors(
    cli_env, stored, tmp_path: Path
) -> None:
    """ "2 errors; nothing was imported" listed four problems alike: which two to fix?"""
    name = stored.plan.indicators[0].name
    repeat = [name, "510000", 2021, 90]  # twice: the second is dropped with a warning
    path = _long_file(tmp_path, [repeat, repeat, [name, "510100", 2021, "n/a?"]])  # an error
    result = runner.invoke(app, ["import", str(path), "--plan", str(stored.id)])
    assert result.exit_code == 1 and "1 error" in result.output
    lines = [
        line.strip()
        for line in result.output.splitlines()
        if line.strip().startswith(("row", "warning"))
    ]
    # in the file's order, by row: the repeat (row 3) before the bad number (row 4)
    assert [line.split(",")[0] for line in lines] == ["warning row 3", "row 4"], lines


def test_withdraw_takes_a_value_back_and_it_can_be_entered_again(
    cli_env, stored, tmp_path: Path
) -> None:
    from minsheng.domain.users import Role
    from minsheng.services.users import create_user

    name = stored.plan.indicators[1].name
    path = tmp_path / "obs.csv"
    path.write_text(f"indicator,region,year,value\n{name},510000,2023,95.5\n", encoding="utf-8")
    assert runner.invoke(app, ["import", str(path), "--user", "alice"]).exit_code == 0
    create_user(cli_env, "reader", "pw-123456", Role.PUBLIC)
    create_user(cli_env, "carol", "pw-123456", Role.REPORTER, region="510000")
    wrong = {  # each mistake: one clear line, nothing withdrawn
        "reason": ["withdraw", name, "510000", "2023", "--user", "carol"],
        "to withdraw": ["withdraw", name, "510000", "2024", "--reason", "x", "--user", "carol"],
        "may not": ["withdraw", name, "510000", "2023", "--reason", "x", "--user", "reader"],
    }
    for said, args in wrong.items():
        refused = runner.invoke(app, args)
        assert refused.exit_code == 1, refused.output
        assert said in refused.output and "Traceback" not in refused.output
        assert len(refused.output.strip().splitlines()) == 1, refused.output
    assert len(history(cli_env, name, "510000", 2023, plan=stored.id)) == 1

    args = ["withdraw", name, "510000", "2023", "--reason", "wrong region", "--user", "carol"]
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    assert "withdrawn (version 2)" in done.output
    shown = runner.invoke(
        app, ["history", name, "510000", "2023", "--plan", str(stored.id)], env={"COLUMNS": "200"}
    )
    assert (
        "withdrawn" in shown.output and "wrong region" in shown.output and "carol" in shown.output
    )
    exported = tmp_path / "values.csv"
    assert runner.invoke(app, ["export", str(stored.id), "--out", str(exported)]).exit_code == 0
    assert "95.5" not in exported.read_text(encoding="utf-8")
    again = runner.invoke(app, ["import", str(path), "--user", "carol"])
    assert again.exit_code == 0 and "1 new" in again.output, again.output
    assert [v.withdrawn for v in history(cli_env, name, "510000", 2023, plan=stored.id)] == [
        False, True, False,
    ]  # fmt: skip
