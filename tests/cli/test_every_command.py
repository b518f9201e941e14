"""Every command, walked with an uninitialised database and with bad arguments: no traceback.

The commands are enumerated from the app itself, so a new command is walked as soon as
it is registered. Bad values are chosen by what a parameter is (a file, a year, a
region, an output path…), read from its name; each must end in a non-zero exit and a
short message starting with ``error:`` — never a traceback.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from minsheng.cli.main import app

runner = CliRunner()


def _walk(group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], object]]:  # noqa: ANN001
    found = []
    for name, command in group.commands.items():
        path = (*prefix, name)
        if hasattr(command, "commands"):
            found += _walk(command, path)
        else:
            found.append((path, command))
    return found


COMMANDS = _walk(get_command(app))

# What a parameter is, read from its name: the kinds of value a user can get wrong.
FILE_IN = {
    "file",
    "files",
    "demand",
    "supply",
    "candidates",
    "existing",
    "costs",
    "network",
    "observations",
    "judgements",
    "shared",
}
FILE_OUT = {"out", "regions_out"}
YEAR = {"year"}
REGION = {"region", "under"}
POSITIVE = {
    "radius",
    "tile",
    "k",
    "sigma",
    "steps",
    "limit",
    "factor",
    "threshold",
    "walk_speed",
    "max_snap",
}


def _files(root: Path) -> dict[str, Path]:
    root.mkdir(parents=True, exist_ok=True)
    made = {
        "obs.csv": "指标,地区,年份,数值\n学前教育毛入园率,500118,2023,91.1\n",
        "points.csv": "id,x,y,population\n1,0,0,10\n2,500,0,20\n",
        "plan.txt": "",
        "plan.json": '{"metadata": {"title": "x"}, "indicators": []}',
    }
    out = {}
    for name, text in made.items():
        (root / name).write_text(text, encoding="utf-8")
        out[name] = root / name
    (root / "empty.csv").write_bytes(b"")
    (root / "binary.csv").write_bytes(bytes(range(256)) * 64)
    (root / "nul.txt").write_bytes(b"\x00" * 4096)
    (root / "binary.html").write_bytes(bytes(range(256)) * 64)
    (root / "empty.txt").write_bytes(b"")
    (root / "book.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (root / "quote.csv").write_text('指标,地区,年份,数值\n"学前教育毛入园率,500118,2023,91\n')
    (root / "inf.csv").write_text("指标,地区,年份,数值\n学前教育毛入园率,500118,2023,inf\n")
    for name in (
        "empty.csv",
        "binary.csv",
        "nul.txt",
        "binary.html",
        "empty.txt",
        "book.xlsx",
        "quote.csv",
        "inf.csv",
    ):
        out[name] = root / name
    return out


def _good(name: str, files: dict[str, Path], tmp: Path) -> str:
    """A plausible value for a required parameter, so the walk reaches the command's work."""
    if name in ("file", "files", "observations"):
        return str(files["obs.csv"])
    if name in ("demand", "supply", "candidates", "existing"):
        return str(files["points.csv"])
    if name in FILE_OUT:
        return str(tmp / f"{name}.csv")
    return {
        "plan": "1",
        "plan_ref": "1",
        "region": "500118",
        "under": "500000",
        "year": "2023",
        "indicator": "学前教育毛入园率",
        "value": "90",
        "radius": "1000",
        "username": "zhang",
        "role": "reporter",
        "user": "analyst",
        "shared": str(tmp / "no-shared"),
    }.get(name, "1")


def _bad(name: str, files: dict[str, Path]) -> list[str]:
    """Values a careless or hostile user gives for a parameter of this kind."""
    missing = str(files["obs.csv"].parent / "does-not-exist.csv")
    if name in FILE_IN:
        return [
            missing,
            str(files["empty.csv"]),
            str(files["binary.csv"]),
            str(files["nul.txt"]),
            str(files["book.xlsx"]),
            str(files["quote.csv"]),
        ]
    if name in FILE_OUT:
        return ["/nonexistent-minsheng-dir/sub/x.csv"]
    if name in YEAR:
        return ["12345678901234567890", "0", "99999", "-5"]
    if name in REGION:
        return ["999999", "不存在的地方"]
    if name in POSITIVE:
        return ["0", "-1", "inf", "nan"]
    if name == "crs":
        return ["EPSG:999999", "not-a-crs"]
    if name in ("plan", "plan_ref"):
        return ["999999", "12345678901234567890"]
    if name == "value":
        return ["inf", "nan", "abc"]
    if name == "user":
        return ["nobody-here"]
    if name == "years":
        return ["0-99999", "12345678901234567890"]
    return []


def _argv(command, overrides: dict[str, str], files: dict[str, Path], tmp: Path) -> list[str]:  # noqa: ANN001
    argv: list[str] = []
    for param in command.params:
        name = param.name
        if not param.required and name not in overrides and name != "user":
            continue
        value = overrides.get(name) or _good(name, files, tmp)
        if param.opts[0].startswith("-"):
            argv += [param.opts[0], value]
        else:
            argv.append(value)
    return argv


def _assert_clean(result, argv: list[str], must_fail: bool) -> None:  # noqa: ANN001
    shown = f"minsheng {' '.join(argv)}\n{result.output}"
    assert "Traceback" not in result.output, shown
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{shown}\n{result.exception!r}"
    )
    if must_fail:
        assert result.exit_code != 0, shown
    if result.exit_code != 0:
        stderr = result.stderr.strip()
        assert stderr.startswith("error:"), shown
        assert len(stderr.splitlines()) <= 60, shown


@pytest.fixture(scope="module")
def with_a_plan(
    _seeded_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory, plan_factory
) -> Path:
    """The seeded database with plan 1 (a province plan over 500118) and one value stored,
    so a bad argument is refused for itself, not because there is nothing to look at."""
    from minsheng.domain.users import Role
    from minsheng.services.observations import add_observation
    from minsheng.services.plans import save_extracted_plan
    from minsheng.services.users import create_user
    from minsheng.store.database import Database

    path = tmp_path_factory.mktemp("walk") / "with-plan.db"
    shutil.copyfile(_seeded_sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    stored = save_extracted_plan(db, plan_factory(region_code="500000", title="示例市规划"))
    add_observation(db, "学前教育毛入园率", "500118", 2023, 91.0, None, plan=stored.id)
    create_user(db, "analyst", "pass-word-1", Role.ANALYST)  # a multi-user installation
    db.dispose()
    return path


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MINSHENG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("MINSHENG_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=lambda p: " ".join(p) if isinstance(p, tuple) else ""
)
def test_uninitialised_database_is_one_line(path, command, env: Path) -> None:  # noqa: ANN001
    if path == ("init",):
        return  # init is what initialises it
    files = _files(env / "in")
    argv = [*path, *_argv(command, {}, files, env)]
    if path == ("demo",):
        argv.append("--no-serve")  # the demo then serves until stopped; building it is the test
    result = runner.invoke(app, argv, input="secret\nsecret\n")
    _assert_clean(
        result,
        argv,
        must_fail=path
        not in {
            ("demo",),
            ("access", "2sfca"),
            ("access", "e2sfca"),
            ("access", "coverage"),
            ("access", "site"),
            ("evaluate",),
            ("standards", "template"),  # a blank fill-in file needs no database
        },
    )


CASES = [
    (path, command, param.name, bad)
    for path, command in COMMANDS
    for param in command.params
    for bad in _bad(param.name, _files(Path("/tmp") / "minsheng-walk-names"))
]


@pytest.mark.parametrize(
    ("path", "command", "name", "bad"),
    CASES,
    ids=[f"{' '.join(p)} --{n}={Path(b).name if '/' in b else b}" for p, _, n, b in CASES],
)
def test_bad_argument_is_refused_in_one_line(
    path,
    command,
    name: str,
    bad: str,
    env: Path,
    with_a_plan: Path,  # noqa: ANN001
) -> None:
    (env / "data").mkdir()
    shutil.copyfile(with_a_plan, env / "data" / "minsheng.db")
    files = _files(env / "in")
    # the same kind of bad value, pointing into this test's own folder
    if bad.startswith("/tmp/minsheng-walk-names/"):
        bad = (
            str(files[Path(bad).name])
            if Path(bad).name in files
            else str(env / "in" / Path(bad).name)
        )
    argv = [*path, *_argv(command, {name: bad}, files, env)]
    result = runner.invoke(app, argv, input="secret\nsecret\n")
    _assert_clean(result, argv, must_fail=True)
    assert not Path("/nonexistent-minsheng-dir").exists()
