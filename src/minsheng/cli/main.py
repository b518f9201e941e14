"""The ``minsheng`` command.

User mistakes (``MinshengError``) become one red line and a non-zero exit,
never a traceback: :class:`_Group` catches them around every command, so the
rule holds for sub-command groups and for tests that call the app directly.
"""

from __future__ import annotations

import copy
import getpass
import importlib
import os
import sys

import typer
from typer.core import TyperGroup
from typer.models import TyperInfo

from minsheng.cli.coercion import lighten
from minsheng.cli.setup import load_settings
from minsheng.domain.audit import set_origin
from minsheng.domain.errors import InvalidData, MinshengError


def _fail(message: str) -> typer.Exit:
    """Print a user mistake as plain red lines on stderr and leave with status 1.

    Raising ``typer.Exit`` (rather than a ClickException) keeps Typer from drawing
    its boxed error panel: a mistake reads as one line a user can act on.
    """
    typer.secho(f"error: {message}", fg="red", err=True)
    return typer.Exit(1)


def _host_name() -> str:
    """This machine's name, as ``socket.gethostname`` gives it, without importing ``socket``
    (6 ms of every command's start) where ``os.uname`` has it."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


class _Group(TyperGroup):
    def invoke(self, ctx):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN201 - Typer's vendored click Context
        try:
            if ctx.parent is None:
                load_settings()
                # writes from this process are audited as coming from the operator's machine
                set_origin(f"cli:{getpass.getuser()}@{_host_name()}")
            return super().invoke(ctx)
        except InvalidData as exc:
            # a warning beside the errors is marked, as on a successful import: it needs no fix
            lines = [
                exc.message,
                *(f"  {'warning ' * (p.severity == 'warning')}{p}" for p in exc.problems[:50]),
            ]
            if len(exc.problems) > 50:
                lines.append(f"  … and {len(exc.problems) - 50} more")
            raise _fail("\n".join(lines)) from None
        except MinshengError as exc:
            raise _fail(exc.message) from None
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError) as exc:
            raise _fail(f"{exc.strerror}: {exc.filename}") from None
        except typer.TyperException as exc:
            raise _usage(exc) from None

    def parse_args(self, ctx, args):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN201
        if ctx.parent is None:
            lighten(self, ctx)  # before any value is converted, the root's own options included
            _flags_as_flags(self, ctx)
        try:
            return super().parse_args(ctx, args)
        except typer.TyperException as exc:
            raise _usage(exc) from None


def _flags_as_flags(command, ctx) -> None:  # type: ignore[no-untyped-def]  # noqa: ANN001
    """Show every flag of every command as a flag: ``--json``, never ``--json <bool>``.

    Typer 0.29's help panel prints an option's type unless the option has a metavar, a
    flag's too (``<bool>`` beside ``--json``, ``--help``…), which reads as if the flag
    wanted a value. An empty metavar is the declared way to show none; set here, once for
    the whole tree, so no command (nor one added later) can forget it.
    """
    help_option = command.get_help_option(ctx)
    for param in [*command.params, *([help_option] if help_option else [])]:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    for sub in getattr(command, "commands", {}).values():
        _flags_as_flags(sub, ctx)


def _usage(exc: typer.TyperException) -> BaseException:
    """A usage mistake (bad option value, missing argument) as the same one line, exit 2."""
    if type(exc).__name__ == "NoArgsIsHelpError" or not hasattr(exc, "format_message"):
        return exc  # `minsheng access` alone shows its help
    where = getattr(getattr(exc, "ctx", None), "command_path", "minsheng")
    typer.secho(f"error: {exc.format_message()} (see `{where} --help`)", fg="red", err=True)
    return typer.Exit(getattr(exc, "exit_code", 2))


def _new_app() -> typer.Typer:
    app = typer.Typer(
        cls=_Group,
        help="minsheng (民生): plan, monitor and evaluate public service plans.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
    )

    # A root callback keeps the root a group even when it holds one command: Typer would
    # otherwise run a lone command as the app itself and read its name as an argument.
    @app.callback()
    def root() -> None:
        pass

    return app


# The CLI's table of contents: each command module exposes ``register(app)`` and adds the
# top-level commands named here (tests/cli/test_main.py checks the names against what each
# module registers, so the table cannot drift from the modules).
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "minsheng.cli.setup": ("init",),
    "minsheng.cli.regions": ("regions",),
    "minsheng.cli.plans": ("plans",),
    "minsheng.cli.ingest": ("ingest", "map"),
    "minsheng.cli.catalogue": ("catalogue",),
    "minsheng.cli.observations": ("template", "import", "history", "correct", "withdraw", "export"),
    "minsheng.cli.evaluate": ("evaluate", "align", "equity"),
    "minsheng.cli.quality": ("quality",),
    "minsheng.cli.report": ("report",),
    "minsheng.cli.access": ("access",),
    "minsheng.cli.users": ("users",),
    "minsheng.cli.demo": ("demo",),
    "minsheng.cli.standards": ("standards",),
    "minsheng.cli.serve": ("serve",),
    "minsheng.cli.drafting": ("draft", "targets"),
    "minsheng.cli.backup": ("backup", "restore"),
}


def build_app(command: str | None = None, sub: str | None = None) -> typer.Typer:
    """The CLI with every command, or with only the module that holds ``command``.

    Why only one: Typer turns every registered command into a Click command and builds a
    Pydantic adapter per parameter on each run, and every module adds its imports. A run
    of ``minsheng access 2sfca`` paid about 0.25 s for the fifteen other modules; a run
    names its command first, so only that module is needed. Anything else (``--help``, a
    mistyped command that Click should answer with the list) gets the whole table.

    ``sub`` narrows a command group the same way, to the one sub-command named (the
    access group's other measures took 8 ms of Typer's conversion per run); a name the
    group does not hold keeps the whole group, so Click lists its commands.
    """
    app = _new_app()
    owner = next((m for m, names in COMMAND_MODULES.items() if command in names), None)
    for name in [owner] if owner else COMMAND_MODULES:
        importlib.import_module(name).register(app)
    if owner and sub:
        app.registered_groups = [_narrowed(g, sub) if g.name == command else g
                                 for g in app.registered_groups]  # fmt: skip
    return app


def _narrowed(group: TyperInfo, sub: str) -> TyperInfo:
    """``group`` holding only its sub-command ``sub`` (copies: the module's own stay whole)."""
    inner = group.typer_instance
    if inner is None:
        return group
    chosen = [c for c in inner.registered_commands if c.name == sub]
    if not chosen or any(g.name == sub for g in inner.registered_groups):
        return group
    narrowed = copy.copy(inner)
    narrowed.registered_commands = chosen
    narrowed.registered_groups = []
    info = copy.copy(group)
    info.typer_instance = narrowed
    return info


def __getattr__(name: str) -> typer.Typer:
    """``minsheng.cli.main.app``: the whole CLI, built on first use (tests, docs)."""
    if name == "app":
        globals()["app"] = built = build_app()
        return built
    raise AttributeError(name)


def run() -> None:
    args = sys.argv[1:]
    command = args[0] if args and not args[0].startswith("-") else None
    sub = args[1] if command and len(args) > 1 and not args[1].startswith("-") else None
    build_app(command, sub)()
