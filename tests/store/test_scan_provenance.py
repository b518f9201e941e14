"""The observation scan narrowed to one region, with where each value came from.

A report lists the values it used with their source and when they were entered; it
reads them through the evaluation's scan (one reader), asking for one region and the
provenance columns. Those rows must be the bulk scan's rows of that region, column for
column, and the bulk scan must go on reading only its own columns.
"""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal
from sqlalchemy import select

from minsheng.domain.observations import Observation, ObservationStatus
from minsheng.services.observations import add_observations
from minsheng.services.plans import save_extracted_plan
from minsheng.store.models import PlanIndicatorRow
from minsheng.store.repositories import observations as observations_repo
from minsheng.store.repositories.observations import PROVENANCE_COLUMNS, SCAN_COLUMNS


def _scan(db, stored, **kwargs) -> pl.DataFrame:  # noqa: ANN001
    """The plan's series as evaluation reads them: unmapped rows' own, mapped rows' catalogue's."""
    with db.session() as session:
        pairs = session.execute(
            select(PlanIndicatorRow.id, PlanIndicatorRow.canonical_id).where(
                PlanIndicatorRow.plan_id == stored.id
            )
        ).all()
        assert any(c is None for _, c in pairs) and any(c is not None for _, c in pairs)
        own = [p for p, c in pairs if c is None]
        canonical = [c for _, c in pairs if c is not None]
        assert observations_repo.scan_table(session, [], [], **kwargs).num_rows == 0
        table = observations_repo.scan_table(session, own, canonical, **kwargs)
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame.sort("plan_indicator_id", "canonical_id", "region_code", "year", "version")


def test_one_regions_scan_with_provenance_is_the_bulk_scans_rows(seeded_db, plan_factory) -> None:  # noqa: ANN001
    plan = plan_factory()
    stored = save_extracted_plan(seeded_db, plan)
    names = [i.name for i in stored.plan.indicators]
    first = [
        Observation(name, region, year, 80.0 + i + year % 10, source=f"{region} 年鉴",
                    synthetic=region == "510300", bound=">" if i == 1 else None,
                    status=ObservationStatus.PUBLISHED if year == 2022 else ObservationStatus.SUBMITTED)
        for i, name in enumerate(names)
        for region in ("510100", "510300", "510000")
        for year in (2021, 2022, 2023)
    ]  # fmt: skip
    add_observations(seeded_db, stored.id, first, "gen")
    add_observations(
        seeded_db, stored.id, [Observation(names[0], "510100", 2022, 99.5, source="更正")], "gen"
    )

    bulk = _scan(seeded_db, stored)
    assert tuple(bulk.columns) == SCAN_COLUMNS  # the evaluation's scan reads no more
    narrow = _scan(seeded_db, stored, region="510100", provenance=True)
    assert tuple(narrow.columns) == (*SCAN_COLUMNS, *PROVENANCE_COLUMNS)
    assert narrow.height == 3 * len(names) + 1
    assert_frame_equal(narrow.select(SCAN_COLUMNS), bulk.filter(pl.col("region_code") == "510100"))
    assert narrow.schema["entered_at"] == pl.Datetime("us")
    assert narrow.get_column("entered_at").null_count() == 0
    corrected = narrow.filter(pl.col("version") == 2)
    assert corrected.select("year", "value", "source").rows() == [(2022, 99.5, "更正")]
    series = pl.col("canonical_id") == corrected.get_column("canonical_id").item()
    first = narrow.filter(series, pl.col("year") == 2022, pl.col("version") == 1)
    assert first.get_column("source").to_list() == ["510100 年鉴"]

    # each narrowing alone: one region without provenance, provenance for every region
    assert_frame_equal(
        _scan(seeded_db, stored, region="510300"), bulk.filter(pl.col("region_code") == "510300")
    )
    assert_frame_equal(_scan(seeded_db, stored, provenance=True).select(SCAN_COLUMNS), bulk)
    assert _scan(seeded_db, stored, region="510400", provenance=True).height == 0
