"""Bulk reads as Arrow (store/bulk.py) give exactly what the row-by-row read gives.

A generated data set: every county of a province, every indicator of a plan, five
years, with corrections (several versions of a value), bounds, synthetic values
and published ones; the plan is then evaluated from both reads.
"""

from __future__ import annotations

import numpy as np
import pytest
from polars.testing import assert_frame_equal
from sqlalchemy import select

from minsheng.analytics.evaluation import evaluate
from minsheng.domain.observations import Observation, ObservationStatus
from minsheng.domain.regions import Level
from minsheng.services.evaluation import plan_specs
from minsheng.services.observations import add_observations
from minsheng.services.plans import load_plan_for_evaluation, save_extracted_plan
from minsheng.services.regions import search_regions
from minsheng.store.models import RegionRow
from minsheng.store.repositories import observations as observations_repo
from minsheng.store.repositories.observations import NewValue, SeriesKey


@pytest.fixture
def generated(seeded_db, plan_factory):  # noqa: ANN001, ANN201 - (db, stored plan)
    stored = save_extracted_plan(seeded_db, plan_factory())
    regions = [
        r.region.code for r in search_regions(seeded_db, level=Level.COUNTY, under="510000")
    ][:60]
    regions += ["510000", "510100"]
    assert len(regions) > 20
    rng = np.random.default_rng(15)
    names = [i.name for i in stored.plan.indicators]
    first, second = [], []
    for name in names:
        for region in regions:
            for year in range(2020, 2025):
                if rng.random() < 0.1:
                    continue  # a year not reported
                value = float(np.round(rng.uniform(0, 120), 2))
                first.append(
                    Observation(
                        name,
                        region,
                        year,
                        value,
                        synthetic=bool(rng.random() < 0.2),
                        status=ObservationStatus.PUBLISHED
                        if rng.random() < 0.5
                        else ObservationStatus.SUBMITTED,
                        bound=str(rng.choice([">", ">=", "<"])) if rng.random() < 0.05 else None,
                    )
                )
                if rng.random() < 0.15:  # a correction: a second version
                    second.append(Observation(name, region, year, value + 1.5))
    add_observations(seeded_db, stored.id, first, "gen")
    add_observations(seeded_db, stored.id, second, "gen")
    return seeded_db, stored


@pytest.mark.parametrize("published_only", [False, True])
def test_bulk_read_equals_the_row_read_and_so_do_the_verdicts(generated, published_only) -> None:  # noqa: ANN001
    db, stored = generated
    plan, bulk = load_plan_for_evaluation(db, stored.id, published_only=published_only)
    _, rows = load_plan_for_evaluation(db, stored.id, published_only=published_only, bulk=False)
    assert bulk.height > 400
    assert bulk.get_column("bound").drop_nulls().len() > 0
    assert_frame_equal(bulk, rows)
    specs = plan_specs(plan)
    cols = ["indicator", "region", "year", "value", "bound"]
    assert_frame_equal(
        evaluate(specs, bulk.select(cols), 2023), evaluate(specs, rows.select(cols), 2023)
    )


def test_a_transaction_that_wrote_reads_its_own_rows(generated) -> None:  # noqa: ANN001
    """The bulk reader's own connection cannot see uncommitted rows; the session's can."""
    db, stored = generated
    pid = int(stored.indicator_ids[0])
    with db.session() as session:
        before = observations_repo.scan_table(session, [pid]).num_rows
        region_id = session.execute(
            select(RegionRow.id).where(RegionRow.code == "510000")
        ).scalar_one()
        key = SeriesKey(pid, None, region_id, 2030)
        observations_repo.append_versions(session, [NewValue(key, 1.0)], "gen")
        assert observations_repo.scan_table(session, [pid]).num_rows == before + 1
        session.rollback()
    with db.session() as session:
        assert observations_repo.scan_table(session, [pid]).num_rows == before
