"""The scan of observations leaves withdrawn values out: the withdrawal and every version before it.

Every reader of current values (evaluation, reports, exports, the spread, the checks of a
file against stored values) goes through this one scan, on each of its paths: SQLite's
packed read, the row-by-row read, and one region's read with provenance.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import select

from minsheng.domain.observations import Observation
from minsheng.services.observations import add_observations, history
from minsheng.services.plans import save_extracted_plan
from minsheng.services.withdrawals import withdraw_observation
from minsheng.store.models import ObservationVersionRow, PlanIndicatorRow
from minsheng.store.repositories import observations as observations_repo


def _scan(db, plan_id: int, **kwargs) -> list[tuple]:  # noqa: ANN001
    """(plan indicator | canonical id, region, year, version, value) of every scanned version."""
    with db.session() as session:
        pairs = session.execute(
            select(PlanIndicatorRow.id, PlanIndicatorRow.canonical_id).where(
                PlanIndicatorRow.plan_id == plan_id
            )
        ).all()
        table = observations_repo.scan_table(
            session,
            [p for p, c in pairs if c is None],
            [c for _, c in pairs if c is not None],
            **kwargs,
        )
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return sorted(
        (p or -c, r, y, v, x)
        for p, c, r, y, v, x in frame.select(
            "plan_indicator_id", "canonical_id", "region_code", "year", "version", "value"
        ).iter_rows()
    )


def test_every_path_of_the_scan_leaves_withdrawn_values_out(seeded_db, plan_factory) -> None:  # noqa: ANN001
    stored = save_extracted_plan(seeded_db, plan_factory())
    names = [i.name for i in stored.plan.indicators][:2]
    values = [
        Observation(name, region, year, 80.0 + i + year % 10)
        for i, name in enumerate(names)
        for region in ("510100", "510300")
        for year in (2021, 2022)
    ]
    add_observations(seeded_db, stored.id, values, "gen")
    before = {path: _scan(seeded_db, stored.id, **path_args) for path, path_args in PATHS.items()}
    # withdrawn, entered again and withdrawn again: all three versions and the first go
    withdraw_observation(seeded_db, names[0], "510100", 2021, None, plan=stored.id, reason="x")
    add_observations(seeded_db, stored.id, [Observation(names[0], "510100", 2021, 85.0)], "gen")
    withdraw_observation(seeded_db, names[0], "510100", 2021, None, plan=stored.id, reason="y")
    # withdrawn, then entered again: the value entered again is the only version read
    withdraw_observation(seeded_db, names[1], "510300", 2022, None, plan=stored.id, reason="z")
    add_observations(seeded_db, stored.id, [Observation(names[1], "510300", 2022, 70.0)], "gen")
    versions = history(seeded_db, names[0], "510100", 2021, stored.id)
    assert [v.withdrawn for v in versions] == [False, True, False, True]
    gone = _series(versions[0])
    again = _series(history(seeded_db, names[1], "510300", 2022, stored.id)[0])
    for path, path_args in PATHS.items():
        after = _scan(seeded_db, stored.id, **path_args)
        expected = [r for r in before[path] if r[:3] not in (gone, again)]
        if path != "one region":
            assert len(expected) == len(before[path]) - 2  # the two keys, one version each
            expected.append((*again, 3, 70.0))
        assert after == sorted(expected), path


#: the scan's paths: SQLite's packed read, the row-by-row read, one region with provenance
PATHS: dict[str, dict] = {
    "bulk": {},
    "row by row": {"bulk": False},
    "one region": {"region": "510100", "provenance": True},
}


def _series(value) -> tuple:  # noqa: ANN001 - a StoredValue
    """A stored value's key as :func:`_scan` names it."""
    return (value.key.plan_indicator_id or -value.key.canonical_id, value.region_code,
            value.key.year)  # fmt: skip


def test_values_stored_before_the_migration_are_no_withdrawals(seeded_db, plan_factory) -> None:  # noqa: ANN001
    """A database upgraded from revision 0009 holds ordinary versions (withdrawn is false)."""
    from alembic import command

    db = seeded_db
    stored = save_extracted_plan(db, plan_factory())
    name = stored.plan.indicators[0].name
    add_observations(db, stored.id, [Observation(name, "510100", 2021, 90.0)], "gen")
    config = db.alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0009")
    db.upgrade()
    with db.session() as session:
        flags = session.scalars(select(ObservationVersionRow.withdrawn)).all()
        assert flags == [False]
    assert [v.value for v in history(db, name, "510100", 2021, stored.id)] == [90.0]
    assert [row[4] for row in _scan(db, stored.id)] == [90.0]
