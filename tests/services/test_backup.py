"""Backup → restore → the same evaluation, byte for byte in its JSON; the schema version checked."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minsheng.cli.main import app
from minsheng.domain.errors import Conflict, InvalidData
from minsheng.services.backup import backup_database, restore_database
from minsheng.services.observations import add_observation, correct_observation
from minsheng.services.plans import save_extracted_plan
from minsheng.store.database import Database

runner = CliRunner()


@pytest.fixture
def live(tmp_path: Path, _seeded_sqlite_template: Path, plan_factory, monkeypatch) -> Database:  # noqa: ANN001
    (tmp_path / "data").mkdir()
    path = tmp_path / "data" / "minsheng.db"
    shutil.copyfile(_seeded_sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    stored = save_extracted_plan(db, plan_factory())
    for year, value in ((2021, 90.5), (2022, 91.0), (2023, 91.8)):
        add_observation(db, "学前教育毛入园率", "510000", year, value, None, plan=stored.id)
    monkeypatch.setenv("MINSHENG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("MINSHENG_DATABASE_URL", raising=False)
    return db


def _evaluation() -> str:
    result = runner.invoke(app, ["evaluate", "1", "--year", "2023", "--json"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_backup_then_restore_gives_the_same_evaluation_byte_for_byte(
    live: Database, tmp_path: Path
) -> None:
    before = _evaluation()
    made = runner.invoke(app, ["backup", str(tmp_path / "copy.db")])
    assert made.exit_code == 0, made.output
    correct_observation(live, "学前教育毛入园率", "510000", 2023, 70.0, None, 1, reason="test")
    assert _evaluation() != before  # the live database moved on
    refused = runner.invoke(app, ["restore", str(tmp_path / "copy.db")])
    assert refused.exit_code != 0 and "--yes" in refused.stderr
    done = runner.invoke(app, ["restore", str(tmp_path / "copy.db"), "--yes"])
    assert done.exit_code == 0, done.output
    assert _evaluation() == before


def test_a_backup_never_overwrites_a_file(live: Database, tmp_path: Path) -> None:
    existing = tmp_path / "precious.txt"
    existing.write_text("keep me")
    with pytest.raises(Conflict):
        backup_database(live, existing)
    assert existing.read_text() == "keep me"


def test_restore_checks_the_schema_version(live: Database, tmp_path: Path) -> None:
    copy = backup_database(live, tmp_path / "copy.db").path
    with sqlite3.connect(copy) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    with pytest.raises(InvalidData, match="9999_from_the_future"):
        restore_database(live, copy, confirmed=True)
    not_a_backup = tmp_path / "notes.db"
    not_a_backup.write_bytes(b"plain text, not a database" * 100)
    with pytest.raises(InvalidData, match="not a minsheng backup"):
        restore_database(live, not_a_backup, confirmed=True)
