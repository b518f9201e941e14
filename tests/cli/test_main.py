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
    assert {
        "init",
        "regions",
        "plans",
        "ingest",
        "evaluate",
        "import",
        "template",
        "access",
        "demo",
    } <= top


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


# --- a run builds only the module of the command it names -------------------------------


@pytest.mark.parametrize("module", sorted(__import__("minsheng.cli.main").cli.main.COMMAND_MODULES))
def test_the_table_of_contents_names_what_each_module_registers(module: str) -> None:
    import importlib

    import typer

    from minsheng.cli.main import COMMAND_MODULES

    probe = typer.Typer()
    importlib.import_module(module).register(probe)
    registered = [c.name or c.callback.__name__ for c in probe.registered_commands]  # type: ignore[union-attr]
    registered += [g.name for g in probe.registered_groups]
    assert sorted(registered) == sorted(COMMAND_MODULES[module])


def _modules_after(args: list[str]) -> tuple[int, list[str], str]:
    import json
    import subprocess
    import sys

    probe = (
        "import json, sys\nfrom minsheng.cli.main import run\n"
        f"sys.argv = ['minsheng', *{args!r}]\n"
        "try:\n    run()\nexcept SystemExit as exit:\n    code = exit.code or 0\n"
        "print(json.dumps([code, sorted(m for m in sys.modules if m.startswith('minsheng.cli.'))]))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    code, modules = json.loads(done.stdout.strip().splitlines()[-1])
    return code, modules, done.stdout + done.stderr


def test_a_run_loads_only_the_module_of_its_command() -> None:
    code, modules, out = _modules_after(["access", "2sfca", "--help"])
    assert code == 0 and "--radius" in out
    assert "minsheng.cli.access" in modules
    assert not {"minsheng.cli.plans", "minsheng.cli.report", "minsheng.cli.demo"} & set(modules)


@pytest.mark.parametrize("args", [["--help"], ["acess"]], ids=" ".join)
def test_help_and_mistyped_commands_see_every_command(args: list[str]) -> None:
    from minsheng.cli.main import COMMAND_MODULES

    code, modules, out = _modules_after(args)
    assert set(COMMAND_MODULES) <= set(modules)
    if args == ["acess"]:
        assert code == 2 and "access" in out  # Click's "did you mean" needs the whole table
    else:
        assert code == 0 and all(n in out for names in COMMAND_MODULES.values() for n in names)


def _subcommands(built: object, group: str) -> set[str]:
    return set(get_command(built).commands[group].commands)  # type: ignore[arg-type, attr-defined]


def test_a_run_builds_only_the_sub_command_it_names() -> None:
    from minsheng.cli.access import access_app
    from minsheng.cli.main import build_app

    whole = _subcommands(build_app("access"), "access")
    assert {"2sfca", "e2sfca", "coverage"} <= whole
    assert _subcommands(build_app("access", "2sfca"), "access") == {"2sfca"}
    # a name the group does not hold keeps the whole group, so Click can list it
    assert _subcommands(build_app("access", "2sfcx"), "access") == whole
    # the module's own group is left whole for the next build (tests, the docs)
    assert {c.name for c in access_app.registered_commands} >= whole
    assert _subcommands(build_app("access"), "access") == whole


def test_a_mistyped_sub_command_is_answered_with_the_groups_commands() -> None:
    code, _, out = _modules_after(["access", "2sfcx"])
    assert code == 2 and "2sfca" in out


def _flags(path: tuple[str, ...]) -> list[str]:
    command = get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    return [
        opt
        for p in command.params
        if getattr(p, "is_flag", False)  # Typer's own options (not click.Option)
        for opt in p.opts + p.secondary_opts
        if opt.startswith("--")
    ] + ["--help"]


def test_the_flag_finder_finds_flags() -> None:
    assert {"--json", "--csv", "--record", "--no-record", "--published-only"} <= set(
        _flags(("evaluate",))
    )


@pytest.mark.parametrize("path", [(), *COMMANDS], ids=lambda p: " ".join(p) or "minsheng")
def test_every_flag_shows_as_a_flag_in_help(path: tuple[str, ...]) -> None:
    """A flag takes no value, so its help shows none: ``--json``, never ``--json <bool>``."""
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"}, terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output, result.output
    for flag in _flags(path):
        tokens = next(
            x.strip("│ ").split() for x in result.output.splitlines() if flag in x.split()
        )
        after = tokens[tokens.index(flag) + 1 :]
        while after and after[0].startswith("-"):  # its other names (--no-record, -j)
            after = after[1:]
        assert not (after and after[0].startswith("<")), (flag, tokens)
