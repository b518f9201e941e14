"""What the ``minsheng standards`` modules share: the console, the LIST argument, JSON output."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

console = Console()

ListArg = Annotated[str, typer.Argument(help="A list: its id, or its name (latest version).")]


def fold_table(*headers: str, title: str | None = None) -> Table:
    """A table whose cells fold onto more lines rather than cut Chinese names with an ellipsis."""
    out = Table(title=title)
    for header in headers:
        out.add_column(header, overflow="fold")
    return out


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for other programs.")]


def echo_json(value: object) -> None:
    """Dataclasses (and lists/dicts of them) as JSON; dates as ISO text, enums by value."""
    import dataclasses
    import json

    def plain(v: object) -> object:
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            return {f.name: plain(getattr(v, f.name)) for f in dataclasses.fields(v)}
        if isinstance(v, dict):
            return {str(k): plain(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [plain(x) for x in v]
        return v

    typer.echo(json.dumps(plain(value), ensure_ascii=False, indent=2, default=str))
