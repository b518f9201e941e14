"""The ``minsheng`` command.

User mistakes (``MinshengError``) become one red line and a non-zero exit,
never a traceback: :class:`_Group` catches them around every command, so the
rule holds for sub-command groups and for tests that call the app directly.
"""

from __future__ import annotations

import importlib

import click
import typer
from typer.core import TyperGroup

from minsheng.domain.errors import InvalidData, MinshengError

# Typer ≥ 0.20 vendors its own copy of click and catches only that copy's
# ClickException; subclass whichever one the installed Typer catches.
try:
    from typer._click.exceptions import ClickException as _ClickException
except ImportError:  # Typer that still uses the click package
    _ClickException = click.ClickException


class UserError(_ClickException):
    exit_code = 1

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        click.secho(f"error: {self.message}", fg="red", err=True)


class _Group(TyperGroup):
    def invoke(self, ctx: click.Context):  # noqa: ANN201
        try:
            return super().invoke(ctx)
        except InvalidData as exc:
            lines = [exc.message, *(f"  {p}" for p in exc.problems[:50])]
            if len(exc.problems) > 50:
                lines.append(f"  … and {len(exc.problems) - 50} more")
            raise UserError("\n".join(lines)) from None
        except MinshengError as exc:
            raise UserError(exc.message) from None
        except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
            raise UserError(f"{exc.strerror}: {exc.filename}") from None


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
    "minsheng.cli.observations",
    "minsheng.cli.evaluate",
    "minsheng.cli.access",
    "minsheng.cli.demo",
)

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def run() -> None:
    app()
