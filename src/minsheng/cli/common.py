"""What every command module shares: who is acting, and the options that name it."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer

#: --user of a command that confirms a mapping or an item.
ConfirmUser = Annotated[
    str | None, typer.Option("--user", help="Who confirms (default: your login name).")
]
#: --append-conflicts of the commands that confirm a plan row's canonical indicator.
AppendConflicts = Annotated[
    bool,
    typer.Option(
        "--append-conflicts",
        help="With --confirm: where the canonical series holds another value for a "
        "region and year, add the plan's value as its next version (default: keep and report).",
    ),
]


def user_or_login(user: str | None) -> str:
    """The --user given, else the login name: every version and confirmation names its author."""
    if user:
        return user
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "cli"
