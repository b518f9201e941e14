"""``minsheng regions``: the whole county level with parent chains, filters, clear mistakes."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from minsheng.cli.main import app
from minsheng.domain.regions import NATIONAL_CODE, Level, level_of_code

runner = CliRunner()


def test_county_level_lists_at_least_2800_units_each_chained_to_a_province(cli_env) -> None:
    result = runner.invoke(app, ["regions", "--level", "county", "--chain", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) >= 2800
    for row in rows:
        assert row["level"] == "county"
        chain = row["chain"]
        assert chain[0] == row["code"] and chain[-1] == NATIONAL_CODE
        assert level_of_code(chain[-2]) is Level.PROVINCE, row
        assert row["code"].startswith(chain[-2][:2])


def test_count_flag_agrees_with_the_listing(cli_env) -> None:
    counted = runner.invoke(app, ["regions", "--level", "county", "--count"])
    listed = runner.invoke(app, ["regions", "--level", "county", "--format", "tsv"])
    assert int(counted.output.strip()) == len(listed.output.strip().splitlines()) >= 2800


def test_under_and_query_filter_by_ancestor_and_name(cli_env) -> None:
    result = runner.invoke(
        app, ["regions", "--under", "510000", "--level", "prefecture", "--format", "tsv"]
    )
    lines = [line.split("\t") for line in result.output.strip().splitlines()]
    assert lines and all(
        code.startswith("51") and level == "prefecture" for code, _, level, _ in lines
    )
    name = lines[0][1]
    found = runner.invoke(app, ["regions", name, "--format", "tsv", "--chain"])
    assert any(line.split("\t")[0] == lines[0][0] for line in found.output.strip().splitlines())


def test_the_table_shows_a_chain(cli_env) -> None:
    result = runner.invoke(app, ["regions", "510104", "--chain"])
    assert result.exit_code == 0
    assert "510104" in result.output and "›" in result.output


def test_an_unknown_level_is_one_clear_error(cli_env) -> None:
    result = runner.invoke(app, ["regions", "--level", "village"])
    assert result.exit_code == 1
    assert "unknown level 'village'" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_ancestor_is_not_found(cli_env) -> None:
    result = runner.invoke(app, ["regions", "--under", "999999"])
    assert result.exit_code == 1
    assert "999999" in result.output
