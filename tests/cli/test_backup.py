"""``minsheng backup`` → wreck the database → ``minsheng restore`` → the same evaluation, byte for byte.

The database is the real demo (plans read from ../shared/corpus, national
statistics, synthetic gaps); on SQLite the file is deleted, on PostgreSQL every
table is dropped, before the restore.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from minsheng.cli.main import app
from minsheng.services.demo import build_demo
from minsheng.services.plans import list_plans

SHARED = (Path(__file__).parents[2] / ".." / "shared").resolve()
runner = CliRunner()


@pytest.fixture
def demo_env(empty_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    assert (SHARED / "corpus").is_dir(), f"the shared material is missing: {SHARED}"
    build_demo(empty_db, SHARED)
    monkeypatch.setenv("MINSHENG_DATABASE_URL", empty_db.url)
    monkeypatch.setenv("MINSHENG_DATA_DIR", str(tmp_path / "data"))
    return empty_db


def _evaluations(plan_ids: list[int]) -> bytes:
    out = []
    for plan_id in plan_ids:
        result = runner.invoke(app, ["evaluate", str(plan_id), "--year", "2024", "--json"])
        assert result.exit_code == 0, result.output
        out.append(result.stdout_bytes)
    return b"\n".join(out)


def _wreck(db) -> None:  # noqa: ANN001
    db.dispose()
    if db.is_sqlite:
        path = Path(db.url.split("///", 1)[1])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    with db.engine.begin() as connection:
        for name in db.table_names():
            connection.execute(text(f'DROP TABLE "{name}" CASCADE'))
    db.dispose()


@pytest.mark.slow
def test_backup_wreck_restore_gives_the_same_evaluation_byte_for_byte(
    demo_env, tmp_path: Path
) -> None:
    # plans judged in 2024: the 2026–2030 targets are no plan of that year
    plans = [p.id for p in list_plans(demo_env)
             if p.indicators and (p.period_start or 0) <= 2024 <= (p.period_end or 9999)][:3]  # fmt: skip
    assert plans
    first = _evaluations(plans)
    assert len(first) > 1000  # real results, not an empty list

    backup = tmp_path / "minsheng.backup"
    made = runner.invoke(app, ["backup", str(backup)])
    assert made.exit_code == 0, made.output
    assert "schema revision" in made.output and backup.stat().st_size > 0

    _wreck(demo_env)
    broken = runner.invoke(app, ["evaluate", str(plans[0]), "--year", "2024", "--json"])
    assert broken.exit_code == 1  # the database really is gone

    restored = runner.invoke(app, ["restore", str(backup)])
    assert restored.exit_code == 0, restored.output
    assert _evaluations(plans) == first


def test_restore_asks_before_replacing_data_and_refuses_a_newer_backup(
    demo_env, tmp_path: Path
) -> None:
    backup = tmp_path / "minsheng.backup"
    assert runner.invoke(app, ["backup", str(backup)]).exit_code == 0
    plans_before = len(list_plans(demo_env))

    declined = runner.invoke(app, ["restore", str(backup)], input="n\n")
    assert declined.exit_code == 1 and "holds" in declined.output and "rows" in declined.output
    again = runner.invoke(app, ["restore", str(backup), "--yes"])
    assert again.exit_code == 0, again.output
    assert len(list_plans(demo_env)) == plans_before

    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("not a database", encoding="utf-8")
    refused = runner.invoke(app, ["restore", str(not_a_backup), "--yes"])
    assert refused.exit_code == 1
    assert refused.output.count("\n") == 1 and "not a minsheng backup" in refused.output

    if demo_env.is_sqlite:
        newer = tmp_path / "newer.backup"
        shutil.copyfile(backup, newer)
        connection = sqlite3.connect(newer)
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
        connection.commit()
        connection.close()
        refused = runner.invoke(app, ["restore", str(newer), "--yes"])
        assert refused.exit_code == 1
        assert "newer minsheng" in refused.output and "9999" in refused.output
        assert len(list_plans(demo_env)) == plans_before
