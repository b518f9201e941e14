"""Alembic environment: runs on a connection handed over by ``Database.upgrade``.

Called from the command line (``alembic -c src/minsheng/store/alembic.ini``) it
builds its own engine from the configured URL instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from minsheng.store.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:  # noqa: ANN001 - Alembic's connection
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    assert url, "set sqlalchemy.url in the Alembic configuration"
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.begin() as own:
        _run(own)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
