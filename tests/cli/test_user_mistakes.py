"""Mistakes users make at the command line: each is named for what it is, in one line,
with a non-zero exit — an unknown or ambiguous region is that, never a plan choice that
failed, never a default."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from minsheng.cli.main import app
from minsheng.services.plans import save_extracted_plan

runner = CliRunner()


@pytest.fixture
def two_plans(cli_env, plan_factory):  # noqa: ANN201
    """A province's and a county's plan with the same wording: a name alone fits both."""
    province = save_extracted_plan(cli_env, plan_factory(region_code="510000"))
    county = save_extracted_plan(
        cli_env, plan_factory(region_code="500118", title="示例县“十四五”公共服务规划")
    )
    return province, county


def _one_error(result, *words: str) -> str:  # noqa: ANN001
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[0].startswith("error: "), result.output
    for word in words:
        assert word in result.output, result.output
    return result.output


@pytest.mark.parametrize("command", ["history", "correct"])
@pytest.mark.parametrize(
    ("region", "said"),
    [("没有这个地方", "no region with code or name '没有这个地方'"), ("朝阳区", "ambiguous")],
)
def test_a_bad_region_of_one_value_is_named_not_a_plan_choice(
    two_plans, command: str, region: str, said: str
) -> None:
    name = two_plans[0].plan.indicators[0].name
    args = [command, name, region, "2023"]
    if command == "correct":
        args += ["91", "--reason", "typo"]
    output = _one_error(runner.invoke(app, args), said)
    assert "plans" not in output  # not "the indicators fit 2 plans"


def test_an_ambiguous_region_in_a_plan_file_is_a_numbered_row(two_plans, tmp_path: Path) -> None:
    province, _ = two_plans
    path = tmp_path / "obs.csv"
    name = province.plan.indicators[0].name
    path.write_text(
        f"指标,地区,年份,数值\n{name},成都市,2023,91\n{name},鼓楼区,2023,92\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["import", str(path), "--plan", str(province.id)])
    output = _one_error(result, "obs.csv", "nothing was imported")
    assert "row 3, region:" in output and "ambiguous" in output


@pytest.mark.parametrize(
    "args",
    [
        ["regions", "--level", "town", "--count"],  # was a ValueError traceback
        ["regions", "--level", "town"],
        ["equity", "ED01", "--under", "510000", "--level", "town", "--year", "2023"],
    ],
)
def test_an_unknown_level_is_one_line_everywhere(cli_env, args: list[str]) -> None:
    _one_error(runner.invoke(app, args), "unknown level 'town'", "county")


def test_a_level_is_read_in_any_case(cli_env) -> None:
    result = runner.invoke(app, ["regions", "--level", "County", "--count"])
    assert result.exit_code == 0, result.output
    assert int(result.output.strip()) > 2000


def test_a_template_holds_only_regions_its_import_accepts(two_plans, tmp_path: Path) -> None:
    """A template for 成都市 in the county's plan was written, then its import refused."""
    _, county = two_plans
    out = tmp_path / "fill.xlsx"
    args = ["template", str(county.id), "--out", str(out), "--regions"]
    _one_error(runner.invoke(app, [*args, "永川,成都市"]), "510100", "500118")
    assert not out.exists()
    assert runner.invoke(app, [*args, "永川"]).exit_code == 0


def test_a_plan_of_unknown_region_gets_no_national_template(
    cli_env, plan_factory, tmp_path
) -> None:  # noqa: ANN001
    """Its template listed 全国 and the provinces: the unknown region taken for the nation."""
    from dataclasses import replace

    plan = plan_factory()
    plan = replace(plan, metadata=replace(plan.metadata, region_code=None, level=None))
    stored = save_extracted_plan(cli_env, plan)
    out = tmp_path / "fill.xlsx"
    result = runner.invoke(app, ["template", str(stored.id), "--out", str(out)])
    _one_error(result, "unknown", f"minsheng plans {stored.id} --region")
    assert not out.exists()


def test_a_mistyped_region_is_said_before_the_password_is_asked(cli_env) -> None:
    """The password was asked (twice) and only then was the region found not to exist."""
    result = runner.invoke(
        app, ["users", "add", "wang", "--role", "reporter", "--region", "永州川"]
    )
    output = _one_error(result, "no region with code or name '永州川'")
    assert "password" not in output


@pytest.mark.parametrize(
    ("region", "said"),
    [
        ("通州区", "ambiguous (110112"),
        ("没有这个地方", "no region with code or name '没有这个地方'"),
    ],
)
def test_a_bad_region_in_a_file_without_plan_is_a_numbered_row(
    two_plans, tmp_path: Path, region: str, said: str
) -> None:
    """Without --plan, two plans with the same wording are told apart by the file's
    regions; a region that names none (or two) left the tie, and the import said only
    'the indicators fit 2 plans', hiding the row that was wrong."""
    name = two_plans[0].plan.indicators[0].name
    path = tmp_path / "obs.csv"
    path.write_text(f"指标,地区,年份,数值\n{name},{region},2023,91\n", encoding="utf-8")
    output = _one_error(
        runner.invoke(app, ["import", str(path)]), "obs.csv", "row 2, region:", said
    )
    assert "fit 2 plans" not in output


def test_a_negative_correction_is_a_value_not_an_option(two_plans, tmp_path: Path) -> None:
    """``minsheng correct … -0.5`` said 'No such option: -0.5' (exit 2): it is a value, read
    and judged as one — a count cannot be negative, so the validator refuses it (exit 1)."""
    province, _ = two_plans
    name = province.plan.indicators[3].name  # a count: only a change may be negative
    path = tmp_path / "obs.csv"
    path.write_text(f"指标,地区,年份,数值\n{name},510000,2023,1.5\n", encoding="utf-8")
    assert runner.invoke(app, ["import", str(path), "--plan", str(province.id)]).exit_code == 0
    args = ["correct", name, "510000", "2023", "-0.5", "--plan", str(province.id)]
    result = runner.invoke(app, [*args, "--reason", "revised bulletin"])
    assert result.exit_code == 1, result.output
    assert "= -0.5 cannot be negative" in result.output and "No such option" not in result.output
    mistyped = runner.invoke(app, [*args, "--reasn", "revised bulletin"])  # still a usage error
    assert mistyped.exit_code == 2 and "--reasn" in mistyped.output
