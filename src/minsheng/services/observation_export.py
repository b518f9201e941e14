"""A plan's stored values written back out as an observation file import reads unchanged.

The long layout of the fill-in template (``indicator, unit, region_code, region,
year, value``); a value known only as a bound is written with its sign (``>95``),
so exporting and importing again changes nothing. Only the plan's region and the
regions under it are written — the regions ``minsheng import`` accepts for the plan (a
mapped indicator's series holds every region's values, the nation's included).
"""

from __future__ import annotations

import csv
from pathlib import Path

from minsheng.data.divisions import divisions_by_code
from minsheng.domain.errors import InvalidData
from minsheng.domain.regions import code_prefix
from minsheng.store.database import Database

COLUMNS = ("indicator", "unit", "region_code", "region", "year", "value")


def shown_value(value: float, bound: str | None) -> str:
    """``95`` or, for a bound, ``>95``: how the value was reported."""
    return f"{bound or ''}{value:.12g}"


def export_observations(db: Database, plan: int | str, path: str | Path) -> int:
    """Write the current value of every (indicator, region, year) of a plan; returns rows."""
    from minsheng.services.plans import load_plan_for_evaluation

    path = Path(path)
    if path.suffix.lower() != ".csv":
        raise InvalidData(f"{path.name}: values are exported as .csv")
    stored_plan, frame = load_plan_for_evaluation(db, plan)
    if stored_plan.metadata.region_code:
        prefix = code_prefix(stored_plan.metadata.region_code)
        frame = frame.filter(frame["region"].str.starts_with(prefix))
    units = {i.name: i.unit or "" for i in stored_plan.indicators}
    names = divisions_by_code()
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for row in frame.iter_rows(named=True):
            region = names.get(row["region"])
            writer.writerow(
                [
                    row["indicator"],
                    units.get(row["indicator"], ""),
                    row["region"],
                    region.name if region else "",
                    row["year"],
                    shown_value(row["value"], row["bound"]),
                ]
            )
    return frame.height
