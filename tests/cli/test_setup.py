"""``minsheng init`` creates the database where the settings say, and is safe to re-run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minsheng.cli.main import app
from minsheng.data.divisions import load_divisions
from minsheng.store.database import Database

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("MINSHENG_DATABASE_URL", raising=False)
    monkeypatch.setenv("MINSHENG_DATA_DIR", str(tmp_path / "minsheng-data"))
    return tmp_path / "minsheng-data"


def test_init_creates_the_sqlite_file_in_the_data_directory(data_dir: Path) -> None:
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    path = data_dir / "minsheng.db"
    assert path.exists()
    db = Database(f"sqlite:///{path}")
    from minsheng.services.regions import count_regions

    assert count_regions(db) == len(load_divisions())


def test_init_twice_adds_nothing_the_second_time(data_dir: Path) -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    again = runner.invoke(app, ["init"])
    assert again.exit_code == 0, again.output
    regions_row = next(line for line in again.output.splitlines() if "regions" in line)
    assert re.findall(r"\d+", regions_row) == [str(len(load_divisions())), "0", "0"]


def test_commands_refuse_a_database_that_was_never_initialised(data_dir: Path) -> None:
    result = runner.invoke(app, ["regions", "--count"])
    assert result.exit_code == 1
    assert "minsheng init" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "command", ["init", "regions", "plans", "template", "import", "history", "correct"]
)
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output
