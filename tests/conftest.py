"""Shared fixtures: a fresh database per test, on SQLite and (when available) PostgreSQL.

``db`` is parametrised over both engines. The PostgreSQL case runs only when
``MINSHENG_TEST_POSTGRES_URL`` names a server (``./run test`` and CI start one);
each test then gets its own schema, dropped afterwards, so tests never see each
other's rows. ``seeded_db`` adds the reference data ``minsheng init`` loads.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

POSTGRES_URL = os.environ.get("MINSHENG_TEST_POSTGRES_URL")

ENGINES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not POSTGRES_URL, reason="MINSHENG_TEST_POSTGRES_URL is not set"),
        ],
    ),
]


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def empty_db(engine_name: str, tmp_path: Path) -> Iterator:
    """A database with no tables at all (for migration tests)."""
    from sqlalchemy import create_engine, text

    from minsheng.store.database import Database

    if engine_name == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'minsheng.db'}")
        yield database
        database.dispose()
        return
    assert POSTGRES_URL
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    database = Database(POSTGRES_URL, schema=schema)
    try:
        yield database
    finally:
        database.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def db(empty_db):  # noqa: ANN001, ANN201 - a Database
    """A fresh database, migrated to head, with no rows."""
    empty_db.upgrade()
    return empty_db


@pytest.fixture(scope="session")
def _seeded_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file initialised once per run; tests get a copy of it."""
    from minsheng.services.setup import init_database
    from minsheng.store.database import Database

    path = tmp_path_factory.mktemp("seed") / "template.db"
    database = Database(f"sqlite:///{path}")
    init_database(database)
    database.dispose()
    return path


@pytest.fixture
def seeded_db(engine_name: str, tmp_path: Path, request: pytest.FixtureRequest):  # noqa: ANN201
    """A fresh database with the region tree, the nine domains and the catalogue loaded."""
    from minsheng.services.setup import init_database
    from minsheng.store.database import Database

    if engine_name == "sqlite":
        path = tmp_path / "seeded.db"
        shutil.copyfile(request.getfixturevalue("_seeded_sqlite_template"), path)
        database = Database(f"sqlite:///{path}")
        yield database
        database.dispose()
        return
    database = request.getfixturevalue("empty_db")
    init_database(database)
    yield database
