"""The ``minsheng`` command.

User mistakes (``MinshengError``) become one red line and a non-zero exit,
never a traceback: :class:`_Group` catches them around every command, so the
rule holds for sub-command groups and for tests that call the app directly.
"""

from __future__ import annotations

import getpass
import importlib
import socket

import click
import typer
from typer.core import TyperGroup

from minsheng.cli.setup import load_settings
from minsheng.domain.audit import set_origin
from minsheng.domain.errors import InvalidData, MinshengError


def _fail(message: str) -> typer.Exit:
    """Print a user mistake as plain red lines on stderr and leave with status 1.

    Raising ``typer.Exit`` (rather than a ClickException) keeps Typer from drawing
    its boxed error panel: a mistake reads as one line a user can act on.
    """
    click.secho(f"error: {message}", fg="red", err=True)
    return typer.Exit(1)


class _Group(TyperGroup):
    def invoke(self, ctx):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN201 - Typer's vendored click Context
        try:
            if ctx.parent is None:
                load_settings()
                # writes from this process are audited as coming from the operator's machine
                set_origin(f"cli:{getpass.getuser()}@{socket.gethostname()}")
            return super().invoke(ctx)
        except InvalidData as exc:
            lines = [exc.message, *(f"  {p}" for p in exc.problems[:50])]
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
        try:
            return super().parse_args(ctx, args)
        except typer.TyperException as exc:
            raise _usage(exc) from None


def _usage(exc: typer.TyperException) -> BaseException:
    """A usage mistake (bad option value, missing argument) as the same one line, exit 2."""
    if type(exc).__name__ == "NoArgsIsHelpError" or not hasattr(exc, "format_message"):
        return exc  # `minsheng access` alone shows its help
    where = getattr(getattr(exc, "ctx", None), "command_path", "minsheng")
    click.secho(f"error: {exc.format_message()} (see `{where} --help`)", fg="red", err=True)
    return typer.Exit(getattr(exc, "exit_code", 2))


app = typer.Typer(
    cls=_Group,
    help="minsheng (民生): plan, monitor and evaluate public service plans.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# Each command module exposes ``register(app)``; the list is the CLI's table of contents.
COMMAND_MODULES = (
    "minsheng.cli.setup",
    "minsheng.cli.regions",
    "minsheng.cli.plans",
    "minsheng.cli.ingest",
    "minsheng.cli.catalogue",
    "minsheng.cli.observations",
    "minsheng.cli.evaluate",
    "minsheng.cli.quality",
    "minsheng.cli.report",
    "minsheng.cli.access",
    "minsheng.cli.users",
    "minsheng.cli.demo",
    "minsheng.cli.standards",
    "minsheng.cli.serve",
    "minsheng.cli.drafting",
    "minsheng.cli.backup",
)

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def run() -> None:
    app()
