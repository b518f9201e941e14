"""``minsheng plans``: list, show, confirm a mapping, link a higher-level plan."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from minsheng.cli.main import app
from minsheng.services.plans import get_plan, save_extracted_plan

runner = CliRunner()


def test_no_plans_yet(cli_env) -> None:
    result = runner.invoke(app, ["plans"])
    assert result.exit_code == 0
    assert "no plans" in result.output


def test_list_and_show(cli_env, plan_factory) -> None:
    stored = save_extracted_plan(cli_env, plan_factory())
    listed = runner.invoke(app, ["plans", "--json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert [(r["id"], r["title"], r["indicators"]) for r in rows] == [
        (stored.id, stored.plan.metadata.title, len(stored.plan.indicators))
    ]
    shown = runner.invoke(app, ["plans", str(stored.id), "--json"])
    data = json.loads(shown.output)
    assert [row["name"] for row in data["indicators"]] == [i.name for i in stored.plan.indicators]
    assert [row["id"] for row in data["indicators"]] == list(stored.indicator_ids)
    table = runner.invoke(app, ["plans", str(stored.id)])
    assert table.exit_code == 0 and str(stored.indicator_ids[0]) in table.output


def test_confirm_a_mapping_and_link_a_higher_plan(cli_env, plan_factory) -> None:
    upper = save_extracted_plan(cli_env, plan_factory(title="上级规划"))
    lower = save_extracted_plan(cli_env, plan_factory(region_code="510100", title="下级规划"))
    row_id = lower.indicator_ids[2]
    result = runner.invoke(
        app, ["plans", "下级", "--confirm", f"{row_id}=CH01", "--higher", str(upper.id)]
    )
    assert result.exit_code == 0, result.output
    again = get_plan(cli_env, lower.id)
    assert again.plan.indicators[2].canonical_code == "CH01"
    assert again.plan.higher_plan_id == upper.id


def test_mistakes_are_one_clear_error(cli_env, plan_factory) -> None:
    stored = save_extracted_plan(cli_env, plan_factory())
    bad = runner.invoke(app, ["plans", str(stored.id), "--confirm", "CH01"])
    assert bad.exit_code == 1 and "ROW_ID=CODE" in bad.output
    missing = runner.invoke(app, ["plans", "no such plan"])
    assert missing.exit_code == 1 and "no plan" in missing.output
    assert "Traceback" not in bad.output + missing.output


def test_set_a_region_and_delete_a_plan(cli_env, plan_factory) -> None:
    from dataclasses import replace

    from minsheng.domain.observations import Observation
    from minsheng.services.observations import add_observations
    from minsheng.services.plans import list_plans

    plan = plan_factory(title="某地规划")
    plan.metadata = replace(plan.metadata, region_code=None, region_name=None, level=None)
    stored = save_extracted_plan(cli_env, plan)
    shown = runner.invoke(app, ["plans", str(stored.id)])
    assert "unknown" in shown.output and "--region" in shown.output
    set_region = runner.invoke(app, ["plans", str(stored.id), "--region", "重慶市永川區"])
    assert set_region.exit_code == 0, set_region.output
    assert get_plan(cli_env, stored.id).region_code == "500118"
    ambiguous = runner.invoke(app, ["plans", str(stored.id), "--region", "朝阳区"])
    assert ambiguous.exit_code == 1 and "110105" in ambiguous.output

    name = stored.plan.indicators[2].name
    add_observations(cli_env, stored.id, [Observation(name, "500118", 2022, 2.6)], "alice")
    asked = runner.invoke(app, ["plans", str(stored.id), "--delete"])  # not a terminal: no prompt
    assert asked.exit_code == 1 and "--observations keep" in asked.output
    kept = runner.invoke(app, ["plans", str(stored.id), "--delete", "--observations", "keep"])
    assert kept.exit_code == 1 and "unmapped" in kept.output  # nowhere to keep them
    gone = runner.invoke(app, ["plans", str(stored.id), "--delete", "--observations", "delete"])
    assert gone.exit_code == 0, gone.output
    assert "deleted: 1" in gone.output and list_plans(cli_env) == []
    assert "Traceback" not in asked.output + kept.output + gone.output


def test_confirming_reports_moved_values_and_conflicts(cli_env, plan_factory) -> None:
    from minsheng.services.observations import add_observation, history

    stored = save_extracted_plan(cli_env, plan_factory(region_code="510100", title="下级规划"))
    name, row_id = stored.plan.indicators[2].name, stored.indicator_ids[2]
    add_observation(cli_env, name, "510100", 2022, 2.1, "wang", plan=stored.id)
    add_observation(cli_env, name, "510100", 2023, 2.3, "wang", plan=stored.id)
    add_observation(cli_env, "CH01", "510100", 2023, 2.5, "stats", plan="catalogue")

    wide = {"COLUMNS": "300"}
    result = runner.invoke(
        app, ["plans", str(stored.id), "--confirm", f"{row_id}=CH01", "--user", "li"], env=wide
    )
    assert result.exit_code == 0, result.output
    assert "1 value(s) moved" in result.output
    assert "conflict" in result.output and "510100, 2023" in result.output
    assert [v.value for v in history(cli_env, "CH01", "510100", 2023)] == [2.5]
    assert [v.value for v in history(cli_env, "CH01", "510100", 2022)] == [2.1]


def test_correct_a_row_of_a_stored_plan(cli_env, plan_factory) -> None:  # noqa: ANN001
    stored = save_extracted_plan(cli_env, plan_factory())
    no_reason = runner.invoke(app, ["plans", str(stored.id), "--correct", "3.target=5"])
    assert no_reason.exit_code == 1 and "--reason" in no_reason.output
    assert "Traceback" not in no_reason.output
    done = runner.invoke(
        app, ["plans", str(stored.id), "--correct", "3.target=5", "--reason", "read one row off"]
    )
    assert done.exit_code == 0, done.output
    assert "version 2" in done.output and "4.5* → 5" in done.output
    assert get_plan(cli_env, stored.id).plan.indicators[2].target.value == 5.0
    wrong = runner.invoke(app, ["plans", str(stored.id), "--correct", "3.colour=red"])
    assert wrong.exit_code == 1 and "colour" in wrong.output


def test_a_write_from_the_command_line_is_audited_as_from_this_user_and_machine(
    cli_env, plan_factory
) -> None:  # noqa: ANN001
    import getpass
    import socket

    from minsheng.store.repositories.audit import events

    stored = save_extracted_plan(cli_env, plan_factory())
    done = runner.invoke(
        app, ["plans", str(stored.id), "--correct", "3.target=5", "--reason", "misread"]
    )
    assert done.exit_code == 0, done.output
    with cli_env.session() as session:
        latest = events(session, None, None, 1)[0]
    assert latest.action == "plan.correct"
    assert latest.origin == f"cli:{getpass.getuser()}@{socket.gethostname()}"


def test_confirming_files_a_row_the_plan_gave_no_domain(
    cli_env, plan_factory, indicator_factory
) -> None:  # noqa: ANN001
    from dataclasses import replace

    plan = plan_factory()
    row = indicator_factory(5, "平均预期寿命", "岁", "78.3", "79", domain=None)
    stored = save_extracted_plan(cli_env, replace(plan, indicators=[*plan.indicators, row]))
    row_id = stored.indicator_ids[4]
    result = runner.invoke(
        app, ["plans", str(stored.id), "--confirm", f"{row_id}=HE01"], env={"COLUMNS": "300"}
    )
    assert result.exit_code == 0, result.output
    assert "filed under 病有所医 (health_care)" in result.output
    assert get_plan(cli_env, stored.id).plan.indicators[4].domain_code == "health_care"
