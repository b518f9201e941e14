"""Growing the catalogue from the plans read: suggested, added only when a person confirms."""

from __future__ import annotations

from dataclasses import replace

import pytest
from typer.testing import CliRunner

from minsheng.cli.main import app
from minsheng.domain.errors import Conflict, InvalidData, NotFound
from minsheng.ingest.documents.catalogue_matching import THRESHOLD
from minsheng.services.catalogue_growth import add_entry, suggest_entries
from minsheng.services.mapping import store_catalogue
from minsheng.services.observations import add_observation, history
from minsheng.services.plans import get_plan, save_extracted_plan

#: Row 4 of the sample plans: an indicator the national catalogue does not hold.
NAME = "新增城镇就业人数"
#: The city's plan words it in Traditional script, full-width, with a filler word in front.
CITY_NAME = "全市新增城鎮就業人數\u3000"


@pytest.fixture
def two_plans(seeded_db, plan_factory):  # noqa: ANN001, ANN201
    """A province's plan and a city's (Traditional wording), both using NAME, each with a value."""
    province = save_extracted_plan(seeded_db, plan_factory("510000"))
    plan = plan_factory("510100", "示例市“十四五”公共服务规划")
    plan.indicators[3] = replace(plan.indicators[3], name=CITY_NAME)
    city = save_extracted_plan(seeded_db, plan)
    add_observation(seeded_db, NAME, "510000", 2022, 61.5, "wang", plan=province.id)
    add_observation(seeded_db, CITY_NAME, "510100", 2022, 7.2, "zhao", plan=city.id)
    return province, city


def _suggestion(db):  # noqa: ANN001, ANN202
    return next((s for s in suggest_entries(db) if NAME in s.wordings), None)


def _codes(db, plan_id: int) -> list[str | None]:  # noqa: ANN001
    return [i.canonical_code for i in get_plan(db, plan_id).plan.indicators]


def test_names_no_entry_matches_are_suggested_once_across_plans(seeded_db, two_plans) -> None:
    province, city = two_plans
    found = _suggestion(seeded_db)
    assert found is not None
    assert found.plan_ids == sorted([province.id, city.id])
    assert set(found.wordings) == {NAME, CITY_NAME}
    assert (found.unit, found.domain) == ("万人", "employment")
    assert found.proposed_code == "EM02"  # the next code of the employment series (EM01)
    # a close entry would be shown (below the matcher's threshold) so no duplicate is made
    assert found.nearest is None or found.nearest[2] < THRESHOLD
    # a row the catalogue already matches (托位数 = CH01, stored unmapped) is no suggestion
    assert all("托位" not in s.name for s in suggest_entries(seeded_db))


def test_nothing_changes_without_confirmation(seeded_db, two_plans) -> None:
    province, city = two_plans
    before = [c.code for c in store_catalogue(seeded_db)]
    preview = add_entry(seeded_db, CITY_NAME)
    assert not preview.done and preview.indicator.code == "EM02"
    assert [c.code for c in store_catalogue(seeded_db)] == before
    assert _codes(seeded_db, province.id)[3] is None and _codes(seeded_db, city.id)[3] is None
    assert [v.value for v in history(seeded_db, CITY_NAME, "510100", 2022, city.id)] == [7.2]
    assert _suggestion(seeded_db) is not None


def test_confirming_a_suggestion_maps_the_rows_of_both_plans(seeded_db, two_plans) -> None:
    province, city = two_plans
    done = add_entry(seeded_db, NAME, confirm=True, moved_by="li")
    assert done.done and len(done.mapped) == 2
    assert {m.count("moved") for m in done.mapped} == {1}
    entry = next(c for c in store_catalogue(seeded_db) if c.code == "EM02")
    assert (entry.name, entry.unit, entry.domain) == (NAME, "万人", "employment")
    assert CITY_NAME.strip() in entry.aliases  # remembered: the next plan worded so maps by itself
    assert _codes(seeded_db, province.id)[3] == "EM02" and _codes(seeded_db, city.id)[3] == "EM02"
    # the plans' values are now the canonical series'
    assert [v.value for v in history(seeded_db, "EM02", "510000", 2022)] == [61.5]
    assert [v.value for v in history(seeded_db, "EM02", "510100", 2022)] == [7.2]
    assert _suggestion(seeded_db) is None


def test_refusals_are_clear(seeded_db, two_plans) -> None:
    with pytest.raises(Conflict, match="ED01"):
        add_entry(seeded_db, NAME, code="ED01", confirm=True)
    with pytest.raises(InvalidData, match="code"):
        add_entry(seeded_db, NAME, code="新01")
    with pytest.raises(InvalidData, match="domain"):
        add_entry(seeded_db, NAME, domain="nowhere")
    with pytest.raises(InvalidData, match="polarity"):
        add_entry(seeded_db, NAME, polarity="up")
    with pytest.raises(NotFound, match="catalogue suggest"):
        add_entry(seeded_db, "没有这个指标", confirm=True)
    assert _codes(seeded_db, two_plans[0].id)[3] is None


def test_catalogue_commands(cli_env, two_plans) -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["catalogue", "suggest"])
    assert listed.exit_code == 0, listed.output
    assert NAME in listed.output and "EM02" in listed.output
    shown = runner.invoke(app, ["catalogue", "add", NAME])
    assert shown.exit_code == 0 and "nothing changed" in shown.output
    assert _suggestion(cli_env) is not None
    done = runner.invoke(app, ["catalogue", "add", NAME, "--code", "EM09", "--confirm"])
    assert done.exit_code == 0, done.output
    assert "2 row(s)" in done.output and "EM09" in done.output
    again = runner.invoke(app, ["catalogue", "add", NAME, "--confirm"])
    assert again.exit_code == 1 and "error:" in again.output


def _refuse_mapping_of(db, row_id: int) -> None:  # noqa: ANN001
    """A real database refusal on one row's mapping (a trigger), as a row deleted or locked
    by someone else mid-way would give."""
    from sqlalchemy import text

    with db.engine.begin() as conn:
        if db.engine.dialect.name == "sqlite":
            conn.execute(text(
                "CREATE TRIGGER refuse_map BEFORE UPDATE OF canonical_id ON plan_indicators "
                f"WHEN NEW.id = {row_id} BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END"
            ))  # fmt: skip
        else:
            conn.execute(text(
                "CREATE FUNCTION refuse_map() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'refused by trigger'; END $$ LANGUAGE plpgsql"
            ))  # fmt: skip
            conn.execute(text(
                "CREATE TRIGGER refuse_map BEFORE UPDATE OF canonical_id ON plan_indicators "
                f"FOR EACH ROW WHEN (NEW.id = {row_id}) EXECUTE FUNCTION refuse_map()"
            ))  # fmt: skip


def test_confirming_is_all_or_nothing(seeded_db, two_plans) -> None:
    """The second plan's row cannot be mapped: no entry, no mapping, no value moved."""
    from sqlalchemy.exc import DBAPIError

    province, city = two_plans
    before = [c.code for c in store_catalogue(seeded_db)]
    last = max(row.row_id for row in _suggestion(seeded_db).rows)
    _refuse_mapping_of(seeded_db, last)
    with pytest.raises(DBAPIError, match="refused by trigger"):
        add_entry(seeded_db, NAME, confirm=True, moved_by="li")
    assert [c.code for c in store_catalogue(seeded_db)] == before
    assert _codes(seeded_db, province.id)[3] is None and _codes(seeded_db, city.id)[3] is None
    assert [v.value for v in history(seeded_db, NAME, "510000", 2022, province.id)] == [61.5]
    assert _suggestion(seeded_db) is not None
