"""The one way into the store: ``Database(url)`` with a transaction per ``session()``.

SQLite is the zero-set-up default (a file in the data directory, created with
its folder on first use, foreign keys switched on for every connection);
PostgreSQL is reached by URL. ``upgrade()`` runs the Alembic migrations shipped
inside the package, so no ``alembic.ini`` is needed at run time.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool, StaticPool

from minsheng.domain.errors import Conflict

log = logging.getLogger(__name__)

MIGRATIONS = "minsheng.store:migrations"


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _enable_sqlite_wal(dbapi_connection: Any, _record: Any) -> None:
    """Write-ahead logging: readers never block the writer, and a crash (kill -9, power)
    leaves the file consistent — a transaction is in the log whole or not at all."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _is_locked(exc: BaseException) -> bool:
    from sqlalchemy.exc import OperationalError

    return isinstance(exc, OperationalError) and "locked" in str(exc.orig)


class Database:
    """An engine and a session factory for one database URL.

    ``schema`` (PostgreSQL only) puts every table in that schema by setting the
    connection's search path; the tests use it to give each test a fresh schema.
    """

    def __init__(
        self, url: str, *, schema: str | None = None, echo: bool = False, busy_timeout: float = 30.0
    ) -> None:
        self.url = url
        self.busy_timeout = busy_timeout
        self.schema = schema
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {"echo": echo, "future": True}
        if self.is_sqlite:
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
                # A file database needs no pool; a fresh connection per session keeps
                # the pragma in force and lets several processes share the file.
                kwargs["poolclass"] = NullPool
                # A writer that meets another's lock waits this long, then says it is busy.
                kwargs["connect_args"] = {"timeout": busy_timeout}
            else:
                # An in-memory database lives as long as its one connection.
                kwargs["poolclass"] = StaticPool
                kwargs["connect_args"] = {"check_same_thread": False}
        elif schema:
            kwargs["connect_args"] = {"options": f"-csearch_path={schema}"}
        self.engine: Engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _enable_sqlite_foreign_keys)
            if parsed.database and parsed.database != ":memory:":
                event.listen(self.engine, "connect", _enable_sqlite_wal)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def from_settings(cls, settings: Any) -> Database:
        """The database a :class:`minsheng.settings.Settings` points at."""
        return cls(settings.database_url, busy_timeout=settings.busy_timeout)

    def __repr__(self) -> str:
        return f"Database({make_url(self.url).render_as_string(hide_password=True)!r})"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException as exc:
            session.rollback()
            if _is_locked(exc):
                raise Conflict(
                    f"the database is busy: another process held it for more than "
                    f"{self.busy_timeout:g} s (MINSHENG_BUSY_TIMEOUT); nothing was written, try again"
                ) from None
            raise
        finally:
            session.close()

    def alembic_config(self) -> Any:
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(files("minsheng.store") / "migrations"))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return config

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema up to ``revision`` with the shipped migrations."""
        from alembic import command

        config = self.alembic_config()
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def table_names(self) -> list[str]:
        return sorted(inspect(self.engine).get_table_names())

    def dispose(self) -> None:
        self.engine.dispose()
