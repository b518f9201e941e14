"""The demo, built from the real documents: the national plan judged for a county finds the county's data.

The county (永川区, 500118) reports under its own plan's wording; one series per
canonical indicator means the national plan, judged for the county, reads the
very same values and the county's own baselines. Needs ../shared (fails without it).
"""

from __future__ import annotations

import polars as pl
import pytest

from minsheng.domain.errors import InvalidData
from minsheng.domain.regions import Level
from minsheng.services.demo import build_demo, find_shared_dir
from minsheng.services.evaluation import evaluate_plan
from minsheng.services.plans import list_plans, load_plan_for_evaluation

COUNTY = "500118"


@pytest.fixture
def demo(seeded_db):  # noqa: ANN001, ANN201
    build_demo(seeded_db, find_shared_dir())
    summaries = list_plans(seeded_db)
    national = [s for s in summaries if s.level == Level.NATIONAL.value and s.indicators]
    county = [s for s in summaries if s.region_code == COUNTY and s.indicators]
    assert len(national) >= 1 and len(county) == 1, "the corpus holds both plans"
    return seeded_db, max(national, key=lambda s: s.indicators).id, county[0].id


@pytest.mark.parametrize("year", [2023, 2025])
def test_the_national_plan_judged_for_the_county_judges_the_countys_values(demo, year) -> None:
    db, national_id, county_id = demo
    county_plan, county_obs = load_plan_for_evaluation(db, county_id)
    code_of = {i.name: i.canonical_code for i in county_plan.indicators if i.canonical_code}
    # the canonical series hold every region's values: the county's are its own
    county_obs = county_obs.filter(
        pl.col("indicator").is_in(list(code_of)) & (pl.col("region") == COUNTY)
    ).with_columns(pl.col("indicator").replace_strict(code_of).alias("code"))
    reported = set(
        county_obs.filter(pl.col("year").is_between(2021, year)).get_column("code").to_list()
    )
    own_2020 = {
        r["code"]: r["value"]
        for r in county_obs.filter(pl.col("year") == 2020).iter_rows(named=True)
    }

    _, results = evaluate_plan(db, national_id, year, region=COUNTY)
    national_codes = set(results.get_column("canonical_code").drop_nulls().to_list())
    shared = reported & national_codes
    assert len(shared) >= 10, "the county reports most catalogue indicators of the national plan"
    judged = results.filter(pl.col("canonical_code").is_in(list(shared)))
    assert judged.get_column("region").unique().to_list() == [COUNTY]
    assert judged.filter(pl.col("status") == "no_data").height == 0, judged.filter(
        pl.col("status") == "no_data"
    ).select("canonical_code", "reason")
    # level targets are judged from the county's own 2020 value wherever it has one
    levels = judged.filter(
        pl.col("canonical_code").is_in(list(own_2020))
        & (pl.col("status") != "not_assessable")
        & (pl.col("method") == "planned_change")
    )
    assert levels.height >= 5
    for row in levels.iter_rows(named=True):
        assert row["baseline_source"] == "observed", row
        assert row["baseline"] == pytest.approx(own_2020[row["canonical_code"]])
    # every status other than achieved says why, with the numbers it rests on
    for row in judged.filter(pl.col("status") != "achieved").iter_rows(named=True):
        assert row["reason"], row


def test_the_county_plan_and_the_national_plan_read_one_series(demo) -> None:
    db, national_id, county_id = demo
    _, national = evaluate_plan(db, national_id, 2024, region=COUNTY)
    _, county = evaluate_plan(db, county_id, 2024)
    both = national.join(
        county.select("canonical_code", "value", "data_year"),
        on="canonical_code",
        suffix="_county",
    ).filter(
        pl.col("canonical_code").is_not_null()
        & (pl.col("method") == "planned_change")
        & pl.col("value_county").is_not_null()
    )
    assert both.height >= 5
    assert both.get_column("value").to_list() == both.get_column("value_county").to_list()


def test_the_county_is_seen_through_both_plans_side_by_side(demo) -> None:
    from minsheng.services.region_view import beside_own_plan

    db, national_id, county_id = demo
    side = beside_own_plan(db, national_id, 2024, COUNTY)
    _, county = evaluate_plan(db, county_id, 2024)
    paired = side.filter(pl.col("own_status").is_not_null())
    assert paired.height >= 10
    own = {r["canonical_code"]: r["status"] for r in county.iter_rows(named=True)}
    for row in paired.iter_rows(named=True):
        assert row["own_status"] == own[row["canonical_code"]]
    # the county's own plan is not set beside itself
    with pytest.raises(InvalidData):
        beside_own_plan(db, county_id, 2024, COUNTY)


def test_every_corpus_document_is_a_plan_once_a_copy_of_one_or_said_to_be_none(
    seeded_db,  # noqa: ANN001
) -> None:
    from minsheng.services.demo import DOCUMENT_SUFFIXES
    from minsheng.services.mapping import read_documents, reads_as_plan

    shared = find_shared_dir()
    build = build_demo(seeded_db, shared)
    documents = sorted(
        p for p in (shared / "corpus").iterdir() if p.suffix.lower() in DOCUMENT_SUFFIXES
    )
    ids = [p.id for p in build.plans]
    assert len(ids) == len(set(ids)), "a plan is listed once, however many copies were read"
    accounted = [p.source for p in build.plans] + list(build.same_plan) + build.not_plans
    assert sorted(accounted) == [p.name for p in documents]
    assert set(build.same_plan.values()) <= set(ids)
    none = [e for e in read_documents(None, documents) if not reads_as_plan(e)]
    assert sorted(e.document for e in none) == sorted(build.not_plans)
    stored = {s.title for s in list_plans(seeded_db)}
    assert not any(name in stored for name in build.not_plans)  # none stored under its file name
