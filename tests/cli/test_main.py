"""The command line as a user meets it: help everywhere, one clear line for mistakes."""

import click
import pytest
from typer.main import get_command
from typer.testing import CliRunner

from minsheng.cli.main import app

runner = CliRunner()


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        path = (*prefix, name)
        found.append(path)
        if isinstance(command, click.Group):
            found += _commands(command, path)
    return found


COMMANDS = _commands(get_command(app))  # type: ignore[arg-type]


def test_the_documented_commands_exist() -> None:
    top = {path[0] for path in COMMANDS}
    assert {"init", "regions", "plans", "ingest", "evaluate", "import", "template", "access", "demo"} <= top


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p))
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p))
def test_every_command_is_in_the_readme(path: tuple[str, ...]) -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"minsheng {' '.join(path)}" in readme


def test_a_user_mistake_is_one_line_not_a_traceback(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MINSHENG_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MINSHENG_DATABASE_URL", raising=False)
    result = runner.invoke(app, ["ingest", str(tmp_path / "missing.txt"), "--json"])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "missing.txt" in result.output
