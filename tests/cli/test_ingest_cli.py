"""``minsheng ingest --json`` and ``minsheng map``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from minsheng.cli.main import app

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"
runner = CliRunner()


def test_ingest_json_for_one_file_is_one_object() -> None:
    result = runner.invoke(app, ["ingest", str(FIXTURES / "targets_only.txt"), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert isinstance(out, dict) and out["indicators"] and out["target_year"] == 2025


def test_ingest_json_for_several_files_is_an_array() -> None:
    files = [str(FIXTURES / "targets_only.txt"), str(FIXTURES / "column_order.txt")]
    result = runner.invoke(app, ["ingest", *files, "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [o["document"] for o in out] == ["targets_only.txt", "column_order.txt"]


def test_a_missing_file_is_one_error_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope.txt"), "--json"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # an error message, not a traceback
    assert "Traceback" not in result.output


def test_map_lists_unmatched_indicators(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(FIXTURES / "column_order.txt"), "--json"])
    path = tmp_path / "plan.json"
    path.write_text(result.stdout, encoding="utf-8")
    mapped = runner.invoke(app, ["map", str(path)])
    assert mapped.exit_code == 0, mapped.output
    assert "新增养老床位" in mapped.output and "need a person" in mapped.output


def test_a_reposted_head_of_a_stored_plan_keeps_its_table_and_says_so(
    cli_env,
    shared_dir: Path,  # noqa: ANN001
) -> None:
    [whole] = sorted((shared_dir / "corpus").glob("004_*.txt"))  # the national plan, whole
    [contents] = sorted((shared_dir / "corpus").glob("plan_national_*_TOC.txt"))  # its contents

    def table() -> list[dict]:
        [plan] = json.loads(runner.invoke(app, ["plans", "--json"]).stdout)
        return json.loads(runner.invoke(app, ["plans", str(plan["id"]), "--json"]).stdout)[
            "indicators"
        ]

    first = runner.invoke(app, ["ingest", str(whole)])
    assert first.exit_code in (0, 3), first.output
    stored = table()
    assert stored
    again = runner.invoke(app, ["ingest", str(contents)])
    assert again.exit_code in (0, 3), again.output
    said = " ".join(again.output.split())  # the console wraps long lines
    assert "version 2" in said and f"the {len(stored)} stored indicators are kept" in said
    assert table() == stored


def test_a_document_that_is_no_plan_is_refused_in_one_message(
    cli_env,
    shared_dir: Path,  # noqa: ANN001
) -> None:
    news = sorted((shared_dir / "corpus").glob("news_*.txt"))
    result = runner.invoke(app, ["ingest", *map(str, news)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "do not read as plans" in result.stderr
    assert all(p.name in result.stderr for p in news)


def test_map_files_unmaps_and_lists_rows_mapped_with_no_domain(
    cli_env, plan_factory, indicator_factory
) -> None:  # noqa: ANN001
    from dataclasses import replace

    from sqlalchemy import update

    from minsheng.services.plans import get_plan, save_extracted_plan
    from minsheng.store.models import PlanIndicatorRow

    plan = plan_factory()
    row = indicator_factory(5, "平均预期寿命", "岁", "78.3", "79", domain=None)
    stored = save_extracted_plan(cli_env, replace(plan, indicators=[*plan.indicators, row]))
    wide = {"COLUMNS": "300"}
    plan_id = str(stored.id)

    done = runner.invoke(app, ["map", plan_id, "--confirm", "5=HE01"], env=wide)
    assert done.exit_code == 0, done.output
    assert "filed under 病有所医 (health_care)" in done.output
    undone = runner.invoke(app, ["map", plan_id, "--unmap", "5"], env=wide)
    assert undone.exit_code == 0, undone.output
    assert "no longer filed under 病有所医 (health_care)" in undone.output
    assert get_plan(cli_env, stored.id).plan.indicators[4].domain_code is None

    runner.invoke(app, ["map", plan_id, "--confirm", "5=HE01"], env=wide)
    with cli_env.session() as session:  # as a mapping confirmed before mappings filed domains
        session.execute(
            update(PlanIndicatorRow)
            .where(PlanIndicatorRow.id == stored.indicator_ids[4])
            .values(domain_code=None, domain_from=None)
        )
    listing = runner.invoke(app, ["map", plan_id], env=wide)
    assert listing.exit_code == 0, listing.output
    assert "1 mapped indicator(s) have no service domain" in listing.output
    assert f"minsheng map {plan_id} --confirm 5=HE01" in listing.output
