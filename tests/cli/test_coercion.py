"""The light coercion gives every value and every refusal exactly as Typer's own does."""

import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any

import pytest
import typer
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st

from minsheng.cli.coercion import lighten
from minsheng.cli.main import build_app


def _app(annotation: Any, default: Any) -> typer.Typer:  # noqa: ANN401
    app = typer.Typer()

    @app.command()
    def show(v: Annotated[annotation, typer.Option("--v")] = default) -> None:
        pass

    return app


def _parse(annotation: Any, args: list[str], light: bool) -> tuple[str, Any]:  # noqa: ANN401
    """``("ok", value)`` or ``("refused", Typer's message)`` for one command line."""
    command = typer.main.get_command(_app(annotation, None))
    if light:
        lighten(command, command.context_class(command))
    try:
        ctx = command.make_context("show", list(args))
    except typer.BadParameter as exc:
        return "refused", exc.format_message()
    return "ok", ctx.params["v"]


_NUMBER_TEXT = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(2**70), 2**70).map(str),
    st.text(alphabet="0123456789.-+eE_ naifINF", max_size=12),
    st.from_regex(r"-?[0-9]{1,25}(\.[0-9]{1,25})?([eE][-+]?[0-9]{1,4})?", fullmatch=True),
)


@settings(max_examples=150, deadline=None)
@given(text=_NUMBER_TEXT)
def test_numbers_are_read_as_typer_reads_them(text: str) -> None:
    for annotation in (float, int):
        light, typer_own = (
            _parse(annotation, ["--v", text], True),
            _parse(annotation, ["--v", text], False),
        )
        if light[0] == "ok" and isinstance(light[1], float) and light[1] != light[1]:
            assert typer_own[0] == "ok" and typer_own[1] != typer_own[1]  # NaN
            continue
        assert light == typer_own
        assert type(light[1]) is type(typer_own[1])


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=20).filter(lambda t: "\x00" not in t))
def test_words_and_paths_are_read_as_typer_reads_them(text: str) -> None:
    for annotation in (str, Path):
        light = _parse(annotation, ["--v", text], True)
        assert light == _parse(annotation, ["--v", text], False)
        if light[0] == "ok":
            assert type(light[1]) is type(_parse(annotation, ["--v", text], False)[1])


def test_a_path_typer_checks_is_still_checked(tmp_path: Path) -> None:
    """A path option that must exist keeps Typer's check (and its message)."""
    app = typer.Typer()

    @app.command()
    def show(v: Annotated[Path, typer.Option("--v", exists=True)]) -> None:
        pass

    command = typer.main.get_command(app)
    lighten(command, command.context_class(command))
    with pytest.raises(typer.BadParameter, match="does not exist"):
        command.make_context("show", ["--v", str(tmp_path / "missing.csv")])


def test_a_run_of_access_builds_no_pydantic_adapter(tmp_path: Path) -> None:
    """``minsheng access 2sfca`` with plain values: Typer's adapter module is never loaded."""
    (tmp_path / "d.csv").write_text("id,x,y,population\n1,0,0,10\n2,100,0,20\n", encoding="utf-8")
    (tmp_path / "s.csv").write_text("id,x,y,capacity\n1,0,0,1\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from minsheng.cli.main import run\n"
        "try:\n    run()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "print([m for m in ('typer._adapters', 'pydantic', 'rich') if m in sys.modules])\n"
    )
    args = ["access", "2sfca", "-d", "d.csv", "-s", "s.csv", "-r", "300", "--out", "o.csv"]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # no MINSHENG_* variable set
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={**env, "PYTHONPATH": ":".join(sys.path)},
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "o.csv").read_text(encoding="utf-8").splitlines()[0] == "id,score"


def test_a_bad_radius_is_refused_as_before() -> None:
    from typer.testing import CliRunner

    args = ["access", "2sfca", "-d", "d.csv", "-s", "s.csv", "-r", "three", "--out", "o.csv"]
    done = CliRunner().invoke(build_app("access"), args)
    assert done.exit_code == 2
    assert done.output.startswith("error: Invalid value for '--radius'")
    assert "valid number" in done.output and "Traceback" not in done.output
