"""Start-up: `minsheng --help` and the commands that only look things up stay light.

Run in a fresh interpreter (a subprocess), since this test session has long since
imported the heavy libraries itself.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("pandas", "polars", "dask", "scipy", "pyproj", "osmium")


def _loaded_after(code: str, env: dict[str, str] | None = None) -> list[str]:
    probe = (
        f"{code}\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_importing_the_command_line_loads_no_heavy_library() -> None:
    assert _loaded_after("import minsheng.cli.main") == []


def _run_cli(args: list[str]) -> str:
    return (
        "from minsheng.cli.main import app\n"
        f"try:\n    app({args!r})\nexcept SystemExit as exit:\n    assert not exit.code, exit.code"
    )


@pytest.mark.parametrize(
    "args",
    [["--help"], ["plans"], ["regions", "永川"], ["users", "list"], ["access", "2sfca", "--help"]],
    ids=" ".join,
)
def test_commands_that_do_not_compute_load_no_heavy_library(
    args: list[str], tmp_path: Path, _seeded_sqlite_template: Path
) -> None:
    shutil.copyfile(_seeded_sqlite_template, tmp_path / "minsheng.db")
    env = {"MINSHENG_DATA_DIR": str(tmp_path), "MINSHENG_DATABASE_URL": ""}
    assert _loaded_after(_run_cli(args), env) == []


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("MINSHENG_ABOUT_TOLERANCE", "abc"),
        ("MINSHENG_OUTLIER_THRESHOLD", "-1"),
        ("MINSHENG_DATABASE_URL", "not a url"),
        ("MINSHENG_MAX_FILE_MB", "nan"),
        ("MINSHENG_BUSY_TIMEOUT", "forever"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it(variable: str, value: str, tmp_path: Path) -> None:
    env = {**os.environ, "MINSHENG_DATA_DIR": str(tmp_path), variable: value}
    done = subprocess.run(
        [sys.executable, "-c", "from minsheng.cli.main import run; run()", "plans"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and variable in lines[0]


def test_evaluating_a_stored_plan_loads_no_pandas(
    tmp_path: Path,
    _seeded_sqlite_template: Path,
    plan_factory,  # noqa: ANN001
) -> None:
    """The store's read builds its Arrow columns by hand: ``pa.array`` imports pandas on its
    first call, a quarter of a second of a ``minsheng evaluate`` that never uses it."""
    from minsheng.services.observations import add_observation
    from minsheng.services.plans import save_extracted_plan
    from minsheng.store.database import Database

    shutil.copyfile(_seeded_sqlite_template, tmp_path / "minsheng.db")
    db = Database(f"sqlite:///{tmp_path / 'minsheng.db'}")
    stored = save_extracted_plan(db, plan_factory())
    name = stored.plan.indicators[0].name
    add_observation(db, name, "510000", 2023, 91.0, "alice", plan=stored.id)
    db.dispose()
    env = {"MINSHENG_DATA_DIR": str(tmp_path), "MINSHENG_DATABASE_URL": ""}
    args = ["evaluate", str(stored.id), "--year", "2023", "--no-record"]
    assert "pandas" not in _loaded_after(_run_cli(args), env)
