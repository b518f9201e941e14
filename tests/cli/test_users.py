from typer.testing import CliRunner

from minsheng.cli.main import app
from minsheng.services.plans import save_extracted_plan
from minsheng.services.users import authenticate

runner = CliRunner()


def test_add_list_and_a_reporter_kept_to_their_region(cli_env, plan_factory, tmp_path) -> None:
    added = runner.invoke(
        app,
        ["users", "add", "wang", "--role", "reporter", "--region", "510104", "--password-stdin"],
        input="s3cret-pass\n",
    )
    assert added.exit_code == 0, added.output
    assert authenticate(cli_env, "wang", "s3cret-pass").region_code == "510104"
    listing = runner.invoke(app, ["users", "list"])
    assert "wang" in listing.output and "s3cret" not in listing.output

    save_extracted_plan(cli_env, plan_factory())
    sheet = tmp_path / "obs.csv"
    sheet.write_text(
        "indicator,region,year,value\n学前教育毛入园率,510105,2023,91\n", encoding="utf-8"
    )
    refused = runner.invoke(app, ["import", str(sheet), "--user", "wang"])
    assert refused.exit_code == 1
    assert "510105" in refused.output and "Traceback" not in refused.output


def test_bad_accounts_are_refused_with_one_line(cli_env) -> None:
    short = runner.invoke(
        app, ["users", "add", "li", "--role", "analyst", "--password-stdin"], input="short\n"
    )
    assert short.exit_code == 1 and "at least" in short.output
    no_region = runner.invoke(
        app, ["users", "add", "li", "--role", "reporter", "--password-stdin"], input="long-enough\n"
    )
    assert no_region.exit_code == 1 and "--region" in no_region.output
    bad_role = runner.invoke(
        app, ["users", "add", "li", "--role", "boss", "--password-stdin"], input="long-enough\n"
    )
    assert bad_role.exit_code == 1 and "unknown role" in bad_role.output


def test_grant_a_further_role_only_as_an_admin(cli_env) -> None:
    for name, role, region in [("boss", "admin", None), ("wang", "reporter", "510104")]:
        args = ["users", "add", name, "--role", role, "--password-stdin"]
        added = runner.invoke(app, args + (["--region", region] if region else []),
                              input="long-enough\n")  # fmt: skip
        assert added.exit_code == 0, added.output
    refused = runner.invoke(
        app, ["users", "grant", "wang", "--role", "analyst", "--region", "510000", "--user", "wang"]
    )
    assert refused.exit_code == 1 and "may not manage accounts" in refused.output
    granted = runner.invoke(
        app, ["users", "grant", "wang", "--role", "analyst", "--region", "510000", "--user", "boss"]
    )
    assert granted.exit_code == 0, granted.output
    assert "analyst 510000" in granted.output
    assert "analyst 510000" in runner.invoke(app, ["users", "list"]).output
