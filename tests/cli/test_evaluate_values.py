"""``minsheng evaluate`` (database mode) says which values it judged, and ``--published-only``
judges on the published values the public web pages use (the service's ``published_only``)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from minsheng.cli.main import app
from minsheng.domain.observations import ObservationStatus
from minsheng.services.observations import add_observation
from minsheng.services.plans import save_extracted_plan
from minsheng.services.results import plan_results

runner = CliRunner()


@pytest.fixture
def rate_with_a_newer_submitted_value(cli_env, plan_factory):  # noqa: ANN001, ANN201
    """A plan whose first rate has a published 2023 value (91) and a newer one under review (80)."""
    stored = save_extracted_plan(cli_env, plan_factory())
    name = stored.plan.indicators[0].name
    for value, status in ((91.0, ObservationStatus.PUBLISHED), (80.0, ObservationStatus.SUBMITTED)):
        add_observation(cli_env, name, "510000", 2023, value, "alice", plan=stored.id,
                        status=status)  # fmt: skip
    return stored, name


def _judged(stored, name: str, *more: str) -> tuple[float, str]:  # noqa: ANN001
    result = runner.invoke(
        app, ["evaluate", str(stored.id), "--year", "2023", "--json", "--no-record", *more]
    )
    assert result.exit_code == 0, result.output
    row = next(r for r in json.loads(result.stdout) if r["indicator"] == name)
    return row["value"], result.stderr


def test_evaluate_says_it_judged_every_stored_value(rate_with_a_newer_submitted_value) -> None:  # noqa: ANN001
    value, said = _judged(*rate_with_a_newer_submitted_value)
    assert value == 80.0  # the value under review counts
    [line] = [x for x in said.splitlines() if "judged on" in x]
    assert "every stored value" in line and "全部已存数值" in line and "--published-only" in line


def test_published_only_judges_what_the_public_pages_judge(
    cli_env, rate_with_a_newer_submitted_value
) -> None:  # noqa: ANN001
    stored, name = rate_with_a_newer_submitted_value
    value, said = _judged(stored, name, "--published-only")
    assert value == 91.0
    assert "judged on published values only" in said and "仅已发布数值" in said
    public = next(
        r for r in plan_results(cli_env, stored.id, 2023, published_only=True)
        if r.indicator == name and r.region == "510000"
    )  # fmt: skip
    assert public.value == value


def test_the_table_ends_with_the_line(rate_with_a_newer_submitted_value) -> None:  # noqa: ANN001
    stored, _ = rate_with_a_newer_submitted_value
    result = runner.invoke(app, ["evaluate", str(stored.id), "-y", "2023", "--published-only"])
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().splitlines()[-1].startswith("评估所用数值：仅已发布数值")


def test_published_only_with_a_plan_file_is_refused(tmp_path) -> None:  # noqa: ANN001
    plan, obs = tmp_path / "p.json", tmp_path / "o.csv"
    plan.write_text("{}", encoding="utf-8")
    obs.write_text("indicator,region,year,value\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "--plan", str(plan), "--observations", str(obs),
                                 "-y", "2023", "--published-only"])  # fmt: skip
    assert result.exit_code == 1
    assert "--published-only" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("year", ["2019", "2031"])
def test_a_year_outside_the_plans_period_is_refused(
    rate_with_a_newer_submitted_value, year
) -> None:  # noqa: ANN001
    """--year 2019 judged a 2021–2025 plan with reasons reading "no value in 2021–2019"."""
    stored, _ = rate_with_a_newer_submitted_value
    result = runner.invoke(app, ["evaluate", str(stored.id), "--year", year, "--no-record"])
    assert result.exit_code == 1
    assert f"year {year} is outside plan {stored.id}'s period 2021–2025" in result.output
    assert "Traceback" not in result.output
