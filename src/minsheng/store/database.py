"""The one way into the store: ``Database(url)`` with a transaction per ``session()``.

SQLite is the zero-set-up default (a file in the data directory, created with
its folder on first use, foreign keys switched on for every connection);
PostgreSQL is reached by URL. ``upgrade()`` runs the Alembic migrations shipped
inside the package, so no ``alembic.ini`` is needed at run time.

Crash safety (docs/operations.md): a SQLite file runs in WAL mode with
``synchronous=FULL`` and a busy timeout; a migration runs inside one transaction
on both engines; a writer that meets another writer's lock waits ``busy_timeout``
seconds (SQLite ``busy_timeout``, PostgreSQL ``lock_timeout``) and then fails
with :class:`~minsheng.domain.errors.Unavailable`, as does a full disk — one
line for the user, and the transaction rolled back whole.
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
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool, StaticPool

from minsheng.domain.errors import Unavailable

log = logging.getLogger(__name__)

MIGRATIONS = "minsheng.store:migrations"

#: Seconds a writer waits for another writer before saying the database is busy.
DEFAULT_BUSY_TIMEOUT = 30.0
BUSY_MESSAGE = "the database is busy (another process is writing); try again"
FULL_MESSAGE = "the disk holding the database is full; nothing was written"

_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_FULL = 5, 6, 13
_PG_LOCK_NOT_AVAILABLE, _PG_DISK_FULL = "55P03", "53100"


def _sqlite_on_connect(busy_ms: int) -> Any:
    """Pragmas every SQLite connection needs, set as it opens (they are per connection).

    WAL lets readers go on while one process writes, and a process killed mid-write
    leaves the main file untouched (the uncommitted tail of the log is ignored).
    ``synchronous=FULL`` syncs the log at every commit: NORMAL would be as safe
    against a killed process but could lose the last commits on a power cut, and an
    import a reporter was told is stored must stay stored; our writes are few, large
    transactions, so the one extra fsync per commit costs nothing measurable.
    """

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute("PRAGMA journal_mode=WAL")  # stays "memory" for :memory:
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    return on_connect


def _postgres_on_connect(busy_ms: int) -> Any:
    """``lock_timeout``, committed at once so the pool's first rollback cannot undo it."""

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"SET lock_timeout = {busy_ms}")
        cursor.close()
        dbapi_connection.commit()

    return on_connect


#: Key in a connection's ``info`` set while its transaction holds writes not yet committed.
WROTE = "minsheng_wrote"
_READS = ("SELECT", "WITH", "PRAGMA", "SET", "SHOW", "BEGIN")


def note_writes(engine: Engine) -> None:
    """Mark a connection whose open transaction wrote something (cleared at commit/rollback).

    A bulk reader on a connection of its own (:mod:`minsheng.store.bulk`) sees only
    committed rows; it may stand in for the session's connection only while that
    transaction has written nothing.
    """

    def before(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.lstrip().upper().startswith(_READS):
            conn.info[WROTE] = True

    def ended(conn: Any) -> None:
        conn.info.pop(WROTE, None)

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "commit", ended)
    event.listen(engine, "rollback", ended)

    def reset(_dbapi: Any, record: Any, _state: Any) -> None:
        record.info.pop(WROTE, None)

    event.listen(engine.pool, "reset", reset)


def unavailable(exc: BaseException) -> Unavailable | None:
    """The domain error for a lock or full disk met by the driver, or None for anything else.

    ``exc`` is SQLAlchemy's wrapper or the driver's own error (a repository that
    streams with the driver directly, e.g. PostgreSQL COPY, meets it unwrapped).
    """
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    code = getattr(orig, "sqlite_errorcode", None)
    sqlstate = getattr(orig, "sqlstate", None)
    if code is None and sqlstate is None and not isinstance(exc, DBAPIError):
        return None
    text = str(orig).lower()
    if (code is not None and code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)) or (
        sqlstate == _PG_LOCK_NOT_AVAILABLE
    ):
        return Unavailable(BUSY_MESSAGE)
    if (code is not None and code & 0xFF == _SQLITE_FULL) or sqlstate == _PG_DISK_FULL:
        return Unavailable(FULL_MESSAGE)
    if "database is locked" in text:
        return Unavailable(BUSY_MESSAGE)
    if "disk is full" in text or "no space left on device" in text:
        return Unavailable(FULL_MESSAGE)
    return None


@contextmanager
def store_errors() -> Iterator[None]:
    """Turn a driver's lock and full-disk errors into one line a user can act on."""
    try:
        yield
    except Exception as exc:
        mapped = unavailable(exc)
        if mapped is None:
            raise
        raise mapped from exc


class Database:
    """An engine and a session factory for one database URL.

    ``schema`` (PostgreSQL only) puts every table in that schema by setting the
    connection's search path; the tests use it to give each test a fresh schema.
    """

    def __init__(
        self,
        url: str,
        *,
        schema: str | None = None,
        echo: bool = False,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
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
        busy_ms = max(0, round(busy_timeout * 1000))
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_on_connect(busy_ms))
        elif parsed.get_backend_name() == "postgresql":
            event.listen(self.engine, "connect", _postgres_on_connect(busy_ms))
        note_writes(self.engine)
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
            with store_errors():
                yield session
                session.commit()
        except BaseException:
            session.rollback()
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
        """Bring the schema up to ``revision`` with the shipped migrations, all or nothing.

        Python's sqlite3 opens a transaction only before INSERT/UPDATE/DELETE, so a
        CREATE TABLE would otherwise commit on its own and a migration killed half-way
        would leave half a schema. ``BEGIN IMMEDIATE`` first puts every statement in
        one transaction (SQLite's DDL is transactional, as PostgreSQL's is).
        """
        from alembic import command

        config = self.alembic_config()
        with store_errors(), self.engine.begin() as connection:
            if self.is_sqlite:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
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
