"""Settings, read and validated once by a face (CLI or web app) from ``MINSHENG_*`` variables.

Nothing reads the environment at import time; the CLI builds one Settings when a
command starts and hands it down. :meth:`Settings.from_env` reads the variables and a
pydantic model checks them, so a bad value is refused in one line naming the variable
(:class:`~minsheng.domain.errors.InvalidData`), never a traceback deep in a command.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from minsheng.domain.errors import InvalidData
from minsheng.domain.limits import Limits


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "minsheng"


# The default of every variable, in one place: the model's fields take them, and with no
# MINSHENG_* variable set they are the settings as they stand (nothing to check).
DEFAULTS: dict[str, Any] = {
    "data_dir": None,
    "database_url": None,
    "about_tolerance": 0.05,
    "outlier_threshold": 3.5,
    "busy_timeout": 30.0,
    "max_file_mb": 50.0,
    "max_line_chars": 1_000_000,
    "max_cells": 5_000_000,
    "max_nesting": 200,
    "secret_key": None,
    "max_columns": 1000,
}


def _model() -> Any:  # noqa: ANN401 - a pydantic model class built on first use
    """The model that checks the variables, built when one is set (not for ``--help``).

    A plain pydantic model: ``from_env`` already picks the ``MINSHENG_*`` variables out of
    the environment it is given, so pydantic-settings' own sources had nothing left to do
    and its import (with the plugin scan it brings) cost 50 ms of every command. With no
    variable set there is nothing to check, and pydantic's import with the model's build
    (0.1 s of every command) is skipped.
    """
    from pydantic import BaseModel, ConfigDict, Field, field_validator

    d = DEFAULTS

    class _Env(BaseModel):
        model_config = ConfigDict(extra="ignore", frozen=True)

        data_dir: Path | None = d["data_dir"]
        database_url: str | None = Field(default=d["database_url"], min_length=1)
        about_tolerance: float = Field(
            default=d["about_tolerance"], ge=0, lt=1, allow_inf_nan=False
        )
        outlier_threshold: float = Field(default=d["outlier_threshold"], gt=0, allow_inf_nan=False)
        busy_timeout: float = Field(default=d["busy_timeout"], ge=0, le=3600, allow_inf_nan=False)
        max_file_mb: float = Field(default=d["max_file_mb"], gt=0, le=100_000, allow_inf_nan=False)
        max_line_chars: int = Field(default=d["max_line_chars"], ge=1000)
        max_cells: int = Field(default=d["max_cells"], ge=1000)
        max_nesting: int = Field(default=d["max_nesting"], ge=10, le=10_000)
        secret_key: str | None = Field(default=d["secret_key"], min_length=16)
        max_columns: int = Field(default=d["max_columns"], ge=10, le=1_000_000)

        @field_validator("database_url")
        @classmethod
        def _url(cls, value: str | None) -> str | None:
            if value is None:
                return value
            from sqlalchemy.engine import make_url
            from sqlalchemy.exc import ArgumentError

            try:
                make_url(value)
            except ArgumentError:
                raise ValueError(
                    "expected e.g. sqlite:///path/minsheng.db or postgresql+psycopg://user@host/db"
                ) from None
            return value

    return _Env


class Settings:
    """What a face needs to know: where the data lives, tolerances, and the input limits."""

    # class-level defaults, readable without an instance (Settings.outlier_threshold)
    about_tolerance: float = 0.05
    outlier_threshold: float = 3.5
    busy_timeout: float = 30.0

    def __init__(
        self,
        data_dir: Path,
        database_url: str,
        about_tolerance: float = 0.05,  # ±5 % for "about" (左右) targets, evaluation method §1
        outlier_threshold: float = 3.5,  # modified z-score above which a value is an outlier
        busy_timeout: float = 30.0,  # seconds a writer waits for a locked SQLite database
        limits: Limits | None = None,
        secret_key: str | None = None,  # signs API tokens and sessions; unset: random per process
    ) -> None:
        self.data_dir = data_dir
        self.database_url = database_url
        self.about_tolerance = about_tolerance
        self.outlier_threshold = outlier_threshold
        self.busy_timeout = busy_timeout
        self.limits = limits or Limits()
        self.secret_key = secret_key

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Read and check every ``MINSHENG_*`` variable; InvalidData names the first bad one."""
        source = dict(os.environ if env is None else env)
        values: dict[str, Any] = {
            k[len("MINSHENG_") :].lower(): v
            for k, v in source.items()
            if k.startswith("MINSHENG_") and v != "" and k[len("MINSHENG_") :].lower() in DEFAULTS
        }
        if not values:
            return cls._of(SimpleNamespace(**DEFAULTS))
        from pydantic import ValidationError

        try:
            parsed = _model()(**values)
        except ValidationError as exc:
            first = exc.errors()[0]
            name = "MINSHENG_" + str(first["loc"][0]).upper() if first["loc"] else "MINSHENG_*"
            given = source.get(name, "")
            raise InvalidData(
                f"setting {name}={given!r} is not valid: {first['msg'].lower()}"
            ) from None
        return cls._of(parsed)

    @classmethod
    def _of(cls, parsed: Any) -> Settings:  # noqa: ANN401 - the checked values, by name
        data_dir = Path(parsed.data_dir or default_data_dir()).expanduser()
        url = parsed.database_url or f"sqlite:///{data_dir / 'minsheng.db'}"
        return cls(
            data_dir=data_dir,
            database_url=url,
            about_tolerance=parsed.about_tolerance,
            outlier_threshold=parsed.outlier_threshold,
            busy_timeout=parsed.busy_timeout,
            limits=Limits(
                max_file_bytes=int(parsed.max_file_mb * 1024 * 1024),
                max_line_chars=parsed.max_line_chars,
                max_cells=parsed.max_cells,
                max_nesting=parsed.max_nesting,
                max_columns=parsed.max_columns,
            ),
            secret_key=parsed.secret_key,
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def __repr__(self) -> str:
        return f"Settings(data_dir={self.data_dir!s}, database={self.database_url.split('@')[-1]})"
