"""The console entry's head start: the demand file of a measure is parsed before imports.

The entry reads the raw argument list only to start a parse; Typer still decides. These
tests run the real entry (``minsheng.cli.launch:run``, what the installed command calls)
in fresh interpreters.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from minsheng.cli.launch import DEMAND_FLAGS, MEASURES, demand_named


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["access", "2sfca", "-d", "d.csv", "-s", "s.csv", "-r", "100", "--out", "o.csv"], "d.csv"),
        (["access", "e2sfca", "-s", "s.csv", "--demand", "人口.csv"], "人口.csv"),
        (["access", "coverage", "--demand=d.csv", "-s", "s.csv"], "d.csv"),
        (["access", "2sfca", "-d", "d.csv", "--help"], None),  # help loads no Arrow
        (["access", "site", "-d", "d.csv"], None),  # not a measure that reads ahead
        (["import", "-d", "d.csv"], None),
        (["access", "2sfca", "-s", "s.csv"], None),
        (["access", "2sfca", "-d"], None),  # the flag without its value: Typer says so
        ([], None),
    ],
)
def test_the_demand_file_is_found_only_where_a_measure_names_it(
    args: list[str], named: str | None
) -> None:
    assert demand_named(args) == named


def test_every_measure_reads_its_demand_under_these_flags() -> None:
    """The head start and the Typer option name the file alike (one tuple, both places)."""
    import typer.main

    from minsheng.cli.access import access_app

    group = typer.main.get_command(access_app)
    for measure in MEASURES:
        options = {tuple(p.opts): p for p in group.commands[measure].params}
        assert tuple(sorted(DEMAND_FLAGS)) in {tuple(sorted(o)) for o in options}, measure


def _entry(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    code = (
        "import atexit, pathlib, sys; sys.argv[0] = 'minsheng'\n"
        # an exit handler of the process's own: it must still run after a fast exit
        "atexit.register(pathlib.Path('exit-handlers-ran').touch)\n"
        # an object freed only when the interpreter is taken apart at the end
        "class Teardown:\n"
        "    def __del__(self): pathlib.Path('torn-down').touch()\n"
        "kept = Teardown()\n"
        "from minsheng.cli.launch import run; run()"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "MINSHENG_DATA_DIR": str(cwd)},
    )


@pytest.fixture
def points(tmp_path: Path) -> Path:
    (tmp_path / "d.csv").write_text(
        "id,x,y,population\n1,0,0,100\n2,300,0,50\n3,5000,0,10\n", encoding="utf-8"
    )
    (tmp_path / "s.csv").write_text("id,x,y,capacity\nA,100,0,3\n", encoding="utf-8")
    return tmp_path


def test_a_run_through_the_entry_scores_as_the_command_does(points: Path) -> None:
    done = _entry(
        ["access", "2sfca", "-d", "d.csv", "-s", "s.csv", "-r", "1000", "--out", "o.csv"], points
    )
    assert done.returncode == 0, done.stderr
    rows = (points / "o.csv").read_text(encoding="utf-8").splitlines()
    assert rows == ["id,score", "1,0.02", "2,0.02", "3,0"]
    # the run ends without the interpreter's teardown, yet says everything, piped too
    assert done.stdout.strip().splitlines()[-1] == "wrote o.csv"
    assert (points / "exit-handlers-ran").exists()
    assert not (points / "torn-down").exists()


def test_an_argument_refused_after_the_head_start_is_reported_cleanly(points: Path) -> None:
    """Typer refuses the radius while the demand file is being parsed: a usage error, and
    the process waits for the parse rather than ending under Arrow's threads."""
    done = _entry(
        ["access", "2sfca", "-d", "d.csv", "-s", "s.csv", "-r", "far", "--out", "o.csv"], points
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "--radius" in done.stderr
    assert not (points / "o.csv").exists()
    assert (points / "torn-down").exists()  # a refused run ends the ordinary way


def test_help_through_the_entry_loads_no_numeric_library(points: Path) -> None:
    code = (
        "import sys, json; sys.argv = ['minsheng', 'access', '2sfca', '-d', 'd.csv', '--help']\n"
        "from minsheng.cli.launch import run\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "print(json.dumps([m for m in ('numpy', 'pyarrow') if m in sys.modules]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=points, check=True
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


@pytest.mark.parametrize(
    ("args", "collector", "blas"),
    [
        (
            ["access", "2sfca", "-d", "d.csv", "-s", "s.csv", "-r", "1000", "--out", "o.csv"],
            False,
            "1",
        ),
        (["access", "2sfca", "-d", "d.csv", "--help"], True, None),  # any other run keeps both
    ],
)
def test_only_a_measure_runs_without_the_cycle_collector_and_blas_threads(
    points: Path, args: list[str], collector: bool, blas: str | None
) -> None:
    code = (
        "import atexit, gc, os, pathlib, sys\n"
        "atexit.register(lambda: pathlib.Path(\n"
        "    f'collector-{gc.isenabled()}-blas-{os.environ.get(\"OPENBLAS_NUM_THREADS\")}'\n"
        ").touch())\n"
        "sys.argv = ['minsheng', *sys.argv[1:]]\n"
        "from minsheng.cli.launch import run\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    subprocess.run(
        [sys.executable, "-c", code, *args], cwd=points, check=True, capture_output=True, env=env
    )
    assert (points / f"collector-{collector}-blas-{blas}").exists()


def test_a_users_own_blas_threads_are_kept(points: Path) -> None:
    code = (
        "import atexit, os, pathlib, sys\n"
        "atexit.register(lambda: pathlib.Path(os.environ['OPENBLAS_NUM_THREADS']).touch())\n"
        "sys.argv = ['minsheng', *sys.argv[1:]]\n"
        "from minsheng.cli.launch import run\n"
        "run()\n"
    )
    args = ["access", "2sfca", "-d", "d.csv", "-s", "s.csv", "-r", "1000", "--out", "o.csv"]
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "2"}
    subprocess.run(
        [sys.executable, "-c", code, *args], cwd=points, check=True, capture_output=True, env=env
    )
    assert (points / "2").exists()
