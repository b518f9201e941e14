"""Moving a plan indicator's own series into the canonical series it is mapped to.

One series per (indicator, region, year): once a plan indicator is mapped, its
values belong to the canonical indicator, where every plan naming that
indicator finds them. The move re-keys the versions (their history — who, when,
which source — travels with them) and writes an audit row per (region, year).
Where the canonical series already holds a different value the canonical one
stays current: the plan's value stays in its old series and the conflict is
reported, unless the caller asks to add it as the canonical series' next version.
A withdrawn value is no value: a plan's withdrawn value brings nothing, and a plan's
value meets a withdrawn canonical one as it would an empty key (its next version).

The functions take a Core ``Connection`` and name only the columns they use, so
the schema migration that moves the values of plans mapped before this rule
existed (revision 0002) runs the very same code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from minsheng.store.models.base import UtcDateTime
from minsheng.units import convert

_obs = sa.table(
    "observations",
    sa.column("id", sa.Integer),
    sa.column("plan_indicator_id", sa.Integer),
    sa.column("canonical_id", sa.Integer),
    sa.column("region_id", sa.Integer),
    sa.column("year", sa.Integer),
    sa.column("value", sa.Float),
    sa.column("unit", sa.String),
    sa.column("source", sa.String),
    sa.column("note", sa.Text),
    sa.column("entered_by", sa.String),
    sa.column("entered_at", UtcDateTime()),
    sa.column("status", sa.String),
    sa.column("version", sa.Integer),
    sa.column("synthetic", sa.Boolean),
)
# the withdrawal flag (revision 0010), read apart: revision 0002 runs this code without it
_flags = sa.table("observations", sa.column("id", sa.Integer), sa.column("withdrawn", sa.Boolean))
_moves = sa.table(
    "series_moves",
    sa.column("plan_indicator_id", sa.Integer),
    sa.column("plan_indicator_name", sa.String),
    sa.column("canonical_id", sa.Integer),
    sa.column("region_id", sa.Integer),
    sa.column("year", sa.Integer),
    sa.column("versions", sa.Integer),
    sa.column("value", sa.Float),
    sa.column("canonical_value", sa.Float),
    sa.column("outcome", sa.String),
    sa.column("moved_by", sa.String),
    sa.column("moved_at", UtcDateTime()),
)
_regions = sa.table("regions", sa.column("id", sa.Integer), sa.column("code", sa.String))
_plan_indicators = sa.table(
    "plan_indicators",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("canonical_id", sa.Integer),
)

#: Outcomes of one (region, year): re-keyed; equal values already there; different values
#: there (nothing moved); different values there and the plan's added as the next version.
OUTCOMES = ("moved", "same", "conflict", "appended")


@dataclass(frozen=True)
class SeriesMove:
    """What happened to one (region, year) of a plan indicator's own series."""

    plan_indicator_id: int
    plan_indicator_name: str
    canonical_id: int
    region_id: int
    year: int
    versions: int
    value: float
    canonical_value: float | None
    outcome: str
    moved_by: str | None = None
    moved_at: datetime | None = None
    region_code: str | None = None


def _current(rows: list[sa.Row]) -> dict[tuple[int, int], sa.Row]:
    """The highest version of each (region, year)."""
    best: dict[tuple[int, int], sa.Row] = {}
    for row in rows:
        key = (row.region_id, row.year)
        if key not in best or best[key].version < row.version:
            best[key] = row
    return best


def _withdrawals(connection: Connection, ids: list[int]) -> set[int]:
    """Which of these versions are withdrawals (none in a schema from before revision 0010)."""
    if "withdrawn" not in {c["name"] for c in sa.inspect(connection).get_columns("observations")}:
        return set()
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        found.update(
            connection.scalars(
                sa.select(_flags.c.id).where(_flags.c.id.in_(part), _flags.c.withdrawn)
            )
        )
    return found


def _same(mine: sa.Row, theirs: sa.Row) -> bool:
    """Whether the canonical value, read in the plan's unit, is the plan's value."""
    here = convert(theirs.value, theirs.unit, mine.unit)
    return here is not None and abs(mine.value - here) <= 1e-12 * max(1.0, abs(here))


def move_plan_series(
    connection: Connection,
    plan_indicator_id: int,
    canonical_id: int,
    moved_by: str | None,
    *,
    append_conflicts: bool = False,
) -> list[SeriesMove]:
    """Move the plan indicator's own values into ``canonical_id``'s series; audit every key."""
    name = connection.execute(
        sa.select(_plan_indicators.c.name).where(_plan_indicators.c.id == plan_indicator_id)
    ).scalar_one()
    o = _obs.c
    own_rows = list(
        connection.execute(sa.select(_obs).where(o.plan_indicator_id == plan_indicator_id))
    )
    if not own_rows:
        return []
    own = _current(own_rows)
    counts: dict[tuple[int, int], int] = {}
    for row in own_rows:
        counts[(row.region_id, row.year)] = counts.get((row.region_id, row.year), 0) + 1
    regions = sorted({r for r, _ in own})
    canonical = _current(
        list(
            connection.execute(
                sa.select(_obs).where(o.canonical_id == canonical_id, o.region_id.in_(regions))
            )
        )
    )
    codes = dict(
        connection.execute(
            sa.select(_regions.c.id, _regions.c.code).where(_regions.c.id.in_(regions))
        ).all()
    )
    gone = _withdrawals(connection, [r.id for r in (*own.values(), *canonical.values())])
    now = datetime.now(UTC)
    moves: list[SeriesMove] = []
    for key in sorted(own):
        mine, theirs = own[key], canonical.get(key)
        region_id, year = key
        if theirs is None:
            outcome = "moved"
            connection.execute(
                sa.update(_obs)
                .where(
                    o.plan_indicator_id == plan_indicator_id,
                    o.region_id == region_id,
                    o.year == year,
                )
                .values(plan_indicator_id=None, canonical_id=canonical_id)
            )
        elif mine.id in gone:
            outcome = "same"  # the plan's series holds no value (withdrawn): nothing to bring
        elif theirs.id in gone or (append_conflicts and not _same(mine, theirs)):
            # the plan's value as the canonical series' next version: asked for, or the
            # canonical value was withdrawn (a withdrawn value is no value to agree with)
            outcome = "appended"
            connection.execute(
                sa.insert(_obs).values(
                    plan_indicator_id=None,
                    canonical_id=canonical_id,
                    region_id=region_id,
                    year=year,
                    value=mine.value,
                    unit=mine.unit,
                    source=mine.source,
                    note=f"moved from plan indicator {plan_indicator_id} ({name})",
                    entered_by=moved_by,
                    entered_at=now,
                    status=mine.status,
                    version=theirs.version + 1,
                    synthetic=mine.synthetic,
                )
            )
        elif _same(mine, theirs):
            outcome = "same"
        else:
            outcome = "conflict"
        moves.append(
            SeriesMove(
                plan_indicator_id,
                name,
                canonical_id,
                region_id,
                year,
                counts[key],
                mine.value,
                None if theirs is None else theirs.value,
                outcome,
                moved_by,
                now,
                codes.get(region_id),
            )
        )
    connection.execute(
        sa.insert(_moves),
        [
            {
                "plan_indicator_id": m.plan_indicator_id,
                "plan_indicator_name": m.plan_indicator_name,
                "canonical_id": m.canonical_id,
                "region_id": m.region_id,
                "year": m.year,
                "versions": m.versions,
                "value": m.value,
                "canonical_value": m.canonical_value,
                "outcome": m.outcome,
                "moved_by": moved_by,
                "moved_at": now,
            }
            for m in moves
        ],
    )
    return moves


def move_every_mapped_series(connection: Connection, moved_by: str | None) -> list[SeriesMove]:
    """Move the own series of every mapped plan indicator that still has one (the data migration)."""
    o, p = _obs.c, _plan_indicators.c
    pairs = connection.execute(
        sa.select(p.id, p.canonical_id)
        .where(p.canonical_id.is_not(None), p.id.in_(sa.select(o.plan_indicator_id).distinct()))
        .order_by(p.id)
    ).all()
    moves: list[SeriesMove] = []
    for plan_indicator_id, canonical_id in pairs:
        moves += move_plan_series(connection, plan_indicator_id, canonical_id, moved_by)
    return moves


def moves_of(connection: Connection, plan_indicator_id: int) -> list[SeriesMove]:
    """The audit rows of one plan indicator, oldest first."""
    m = _moves.c
    rows = connection.execute(
        sa.select(_moves, _regions.c.code.label("region_code"))
        .join(_regions, _regions.c.id == m.region_id)
        .where(m.plan_indicator_id == plan_indicator_id)
        .order_by(m.moved_at)
    )
    return [
        SeriesMove(
            r.plan_indicator_id,
            r.plan_indicator_name,
            r.canonical_id,
            r.region_id,
            r.year,
            r.versions,
            r.value,
            r.canonical_value,
            r.outcome,
            r.moved_by,
            r.moved_at,
            r.region_code,
        )
        for r in rows
    ]
