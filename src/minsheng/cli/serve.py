"""``minsheng serve``: the web app over the stored database (uvicorn).

FastAPI, uvicorn and Jinja2 are imported inside the command, so ``minsheng --help``
stays quick.
"""

from __future__ import annotations

from typing import Annotated

import typer

HostOption = Annotated[
    str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")
]
PortOption = Annotated[int, typer.Option(help="Port to listen on.")]


def serve_app(settings, host: str, port: int, banner: str | None = None) -> None:  # noqa: ANN001 - Settings
    """Run the app until interrupted; prints where it listens (and ``banner`` first).

    uvicorn builds the app from the same MINSHENG_* settings (the face ``minsheng.web``
    is a sibling of the CLI, named to uvicorn rather than imported).
    """
    import uvicorn

    from minsheng.services.setup import open_database

    open_database(settings).dispose()  # a missing or empty database is one red line, here
    if banner:
        typer.echo(banner)
    typer.secho(f"minsheng web app: http://{host}:{port}/  (Ctrl+C stops it)", fg="green")
    uvicorn.run(
        "minsheng.web.app:app_from_env", factory=True, host=host, port=port, log_level="warning"
    )


def serve(host: HostOption = "127.0.0.1", port: PortOption = 8000) -> None:
    """Serve the web app (pages and the JSON API under /api) on the stored database."""
    from minsheng.cli.setup import settings_and_database

    settings, db = settings_and_database()
    db.dispose()
    serve_app(settings, host, port)


def register(app: typer.Typer) -> None:
    app.command()(serve)
