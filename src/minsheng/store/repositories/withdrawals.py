"""Withdrawn values: which versions a withdrawal takes out of every reading of current values.

A withdrawal is a version of its key with ``withdrawn`` set; it and every version before
it are no value any more, and a value entered again later is a version after it. The
bulk scan (:func:`minsheng.store.repositories.observations.scan_table`) is the one reader
evaluation, dashboards, reports, exports and the published view go through, and it leaves
those versions out here, so no face has to know about withdrawals: with the withdrawn
versions gone, "the latest version" (of any status, or the latest published one) is the
value entered after the withdrawal, or nothing. Withdrawals are few; they are read through
a partial index that holds only them, and a scan without any costs one small query.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.store.models import ObservationVersionRow, RegionRow

if TYPE_CHECKING:
    import pyarrow as pa

#: (plan_indicator_id, canonical_id, region code, year) of one stored value
Key = tuple[int | None, int | None, str, int]


def withdrawn_through(
    session: Session,
    plan_indicator_ids: Sequence[int] = (),
    canonical_ids: Sequence[int] = (),
    region: str | None = None,
) -> dict[Key, int]:
    """The last withdrawn version of each key of these series that has one.

    All withdrawals are read, through the index that holds only them, and those of other
    series set aside here: naming the series in the query made the engines follow the
    series' index through every version of them instead.
    """
    o = ObservationVersionRow
    stmt = (
        select(o.plan_indicator_id, o.canonical_id, RegionRow.code, o.year, func.max(o.version))
        .join(RegionRow, RegionRow.id == o.region_id)
        .where(o.withdrawn)
        .group_by(o.plan_indicator_id, o.canonical_id, RegionRow.code, o.year)
    )
    if region is not None:
        stmt = stmt.where(RegionRow.code == region)
    plans, canonicals = {int(i) for i in plan_indicator_ids}, {int(i) for i in canonical_ids}
    return {
        (pid, cid, code, int(year)): int(version)
        for pid, cid, code, year, version in session.execute(stmt)
        if (pid in plans if pid is not None else cid in canonicals)
    }


def drop_withdrawn(table: pa.Table, through: dict[Key, int]) -> pa.Table:
    """``table`` (scanned versions) without the withdrawals and the versions before them.

    Only rows of a region and year some withdrawal names are looked at one by one; the
    rest are kept by two vectorised membership tests, in their order.
    """
    if not through or table.num_rows == 0:
        return table
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    codes = pa.array(sorted({k[2] for k in through}), pa.string())
    years = pa.array(sorted({k[3] for k in through}), table.schema.field("year").type)
    near = pc.and_(
        pc.is_in(table["region_code"], value_set=codes), pc.is_in(table["year"], value_set=years)
    )
    at = pc.indices_nonzero(near).to_numpy()
    if not len(at):
        return table
    rows = table.select(["plan_indicator_id", "canonical_id", "region_code", "year", "version"])
    dropped = [
        i
        for i, (pid, cid, code, year, version) in zip(
            at, zip(*rows.take(pa.array(at)).to_pydict().values(), strict=True), strict=True
        )
        if version <= through.get((pid, cid, code, year), 0)
    ]
    if not dropped:
        return table
    keep = np.ones(table.num_rows, dtype=bool)
    keep[dropped] = False
    return table.filter(pa.array(keep))
