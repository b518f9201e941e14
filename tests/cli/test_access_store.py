from typer.testing import CliRunner

from minsheng.cli.main import app
from minsheng.services.observations import history


def test_coverage_can_store_its_shares_as_observations(cli_env, tmp_path) -> None:
    demand = tmp_path / "d.csv"
    demand.write_text(
        "id,x,y,population,region\na,0,0,100,510104\nb,3000,0,100,510104\n", encoding="utf-8"
    )
    supply = tmp_path / "s.csv"
    supply.write_text("id,x,y,capacity\nf,0,0,1\n", encoding="utf-8")
    args = ["access", "coverage", "-d", str(demand), "-s", str(supply), "-r", "500"]

    missing_year = CliRunner().invoke(app, [*args, "--store-as-new", "15分钟托育覆盖率"])
    assert missing_year.exit_code == 1 and "--year" in missing_year.output

    # a share is not a reported statistic: refused in one line, nothing stored
    refused = CliRunner().invoke(app, [*args, "--store-as", "ED01", "--year", "2024"])
    assert refused.exit_code == 1 and "--replace" in refused.output
    assert "Traceback" not in refused.output
    assert history(cli_env, "ED01", "510104", 2024) == []

    new = [*args, "--store-as-new", "15分钟托育覆盖率", "--year", "2024", "--user", "wang"]
    result = CliRunner().invoke(app, new)
    assert result.exit_code == 0, result.output
    assert "DM01" in result.output
    versions = history(cli_env, "15分钟托育覆盖率", "510104", 2024)
    assert [(v.value, v.entered_by) for v in versions] == [(50.0, "wang")]
