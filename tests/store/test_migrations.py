"""The shipped migrations build the whole schema, and the models match them exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from minsheng.store.models import Base


def test_upgrade_head_on_an_empty_database_creates_every_table(empty_db) -> None:
    assert empty_db.table_names() == []
    empty_db.upgrade()
    tables = set(empty_db.table_names())
    assert tables == set(Base.metadata.tables) | {"alembic_version"}
    head = ScriptDirectory.from_config(empty_db.alembic_config()).get_current_head()
    assert empty_db.current_revision() == head


def test_models_match_migrations(db) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_upgrade_is_idempotent(db) -> None:
    before = db.current_revision()
    db.upgrade()
    assert db.current_revision() == before


def test_the_data_model_names_every_table_of_the_issue() -> None:
    wanted = {
        "regions",
        "region_populations",
        "plans",
        "service_domains",
        "service_tiers",
        "canonical_indicators",
        "indicator_aliases",
        "plan_indicators",
        "plan_services",
        "observations",
        "standard_lists",
        "standard_items",
        "key_projects",
        "project_progress",
        "users",
        "evaluation_records",
    }
    assert wanted <= set(Base.metadata.tables)


def test_sqlite_database_switches_foreign_keys_on(tmp_path) -> None:
    from sqlalchemy import text

    from minsheng.store.database import Database

    database = Database(f"sqlite:///{tmp_path / 'sub' / 'dir' / 'x.db'}")
    with database.session() as session:
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert (tmp_path / "sub" / "dir" / "x.db").exists()


def test_downgrade_to_base_and_back(db) -> None:
    from alembic import command

    config = db.alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert set(db.table_names()) <= {"alembic_version"}
    db.upgrade()
    assert set(db.table_names()) == set(Base.metadata.tables) | {"alembic_version"}
