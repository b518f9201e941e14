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

    missing_year = CliRunner().invoke(app, [*args, "--store-as", "ED01"])
    assert missing_year.exit_code == 1 and "--year" in missing_year.output

    result = CliRunner().invoke(app, [*args, "--store-as", "ED01", "--year", "2024"])
    assert result.exit_code == 0, result.output
    versions = history(cli_env, "ED01", "510104", 2024)
    assert [v.value for v in versions] == [50.0]
