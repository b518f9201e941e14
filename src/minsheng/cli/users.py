"""``minsheng users add|grant|list``: accounts and roles for the people who report and read data."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from minsheng.cli.setup import settings_and_database
from minsheng.domain.errors import InvalidData
from minsheng.domain.users import Role

users_app = typer.Typer(
    help="User accounts and roles (admin, analyst, reporter, evaluator, public).",
    no_args_is_help=True,
)

MIN_PASSWORD = 8


@users_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option(help="admin, analyst, reporter, evaluator or public.")],
    region: Annotated[
        str | None,
        typer.Option(help="Region code or name a reporter reports for (and the regions under it)."),
    ] = None,
    display_name: Annotated[str | None, typer.Option(help="Name shown to others.")] = None,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin", help="Read the password from standard input instead of a prompt."
        ),
    ] = False,
) -> None:
    """Add a user; the password is asked for (never an argument) and stored only as a salted hash."""
    from minsheng.services.users import create_user

    try:
        chosen = Role(role)
    except ValueError:
        raise InvalidData(
            f"unknown role {role!r}; choose one of {', '.join(r.value for r in Role)}"
        ) from None
    if chosen is Role.REPORTER and not region:
        raise InvalidData("a reporter needs --region: the region they report for")
    _settings, db = settings_and_database()
    if region:  # a mistyped region is said before the password is asked for, not after
        from minsheng.services.regions import resolve_region

        resolve_region(db, region)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD:
        raise InvalidData(f"the password needs at least {MIN_PASSWORD} characters")
    user = create_user(db, username, password, chosen, display_name=display_name, region=region)
    scope = f" for {user.region_code}" if user.region_code else ""
    Console().print(f"added {user.username} ({user.role.value}{scope})")


@users_app.command("list")
def list_command() -> None:
    """List the users with their roles and regions (never their passwords)."""
    from minsheng.services.users import list_users

    _settings, db = settings_and_database()
    table = Table("username", "name", "role", "region", "further roles", "active")
    for user in list_users(db):
        table.add_row(
            user.username,
            user.display_name or "",
            user.role.value,
            user.region_code or "",
            ", ".join(f"{g.role.value} {g.region_code or '全国'}" for g in user.grants[1:]),
            "yes" if user.active else "no",
        )
    Console().print(table)


@users_app.command("grant")
def grant(
    username: Annotated[str, typer.Argument(help="The account.")],
    role: Annotated[str, typer.Option(help="admin, analyst, reporter, evaluator or public.")],
    region: Annotated[
        str | None, typer.Option(help="Region code or name the role works in (and under).")
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Who grants it (an admin's account).")
    ] = None,
) -> None:
    """Give an account a further role in a region, beside its own (e.g. an analyst of a
    province who also reports for one county). Recorded in the audit trail."""
    from minsheng.services.users import get_user, grant_role

    try:
        chosen = Role(role)
    except ValueError:
        raise InvalidData(
            f"unknown role {role!r}; choose one of {', '.join(r.value for r in Role)}"
        ) from None
    _settings, db = settings_and_database()
    check_granter(db, user)
    before = len(get_user(db, username).grants)
    account = grant_role(db, username, chosen, region, by=user)
    held = ", ".join(f"{g.role.value} {g.region_code or '全国'}" for g in account.grants)
    verb = "granted" if len(account.grants) > before else "already held"
    Console().print(f"{verb}: {account.username} now holds {held}")


def check_granter(db: object, username: str | None) -> None:
    """Only an admin grants roles (a database without accounts has no one to ask)."""
    from minsheng.services.permissions import check_admin

    check_admin(db, username)  # type: ignore[arg-type]


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
