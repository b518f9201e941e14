"""Values read in the unit their reader states them in.

A canonical series is shared by every plan mapped to it, and each value keeps the unit
it was entered in (:mod:`minsheng.units` says why). So every reader of stored
values converts them to its own unit here, in one vectorised step over the distinct
(stored unit, wanted unit) pairs, and sets aside the values whose unit measures another
quantity: judged against a target, such a value would be a wrong answer, not a missing one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from minsheng.units import unit_ratio

if TYPE_CHECKING:
    import polars as pl


def in_units(frame: pl.DataFrame, wanted: str = "wanted_unit") -> tuple[pl.DataFrame, pl.DataFrame]:
    """(converted, set aside): ``value`` turned from ``unit`` into the column ``wanted``.

    Both columns are dropped from the result; the rows set aside keep them, so a caller
    can say which values could not be read and why.
    """
    import polars as pl

    same = pl.col("unit").is_null() | pl.col(wanted).is_null() | (pl.col("unit") == pl.col(wanted))
    if frame.select(same.all()).item():  # the usual case, seen without hashing every pair
        return frame.drop("unit", wanted), frame.clear()
    pairs = frame.select(pl.col("unit"), pl.col(wanted)).unique()
    ratios = [unit_ratio(given, goal) for given, goal in pairs.iter_rows()]
    if all(r == (1.0, 1.0) for r in ratios):  # units spelled apart, alike: no join
        return frame.drop("unit", wanted), frame.clear()
    factors = pairs.with_columns(
        pl.Series("_mul", [r[0] if r else None for r in ratios], dtype=pl.Float64),
        pl.Series("_div", [r[1] if r else None for r in ratios], dtype=pl.Float64),
    )
    joined = frame.join(
        factors, on=["unit", wanted], how="left", nulls_equal=True, maintain_order="left"
    )
    readable = pl.col("_mul").is_not_null()
    converted = (
        joined.filter(readable)
        .with_columns(
            pl.when(pl.col("_mul") == pl.col("_div"))
            .then(pl.col("value"))
            .otherwise(pl.col("value") * pl.col("_mul") / pl.col("_div"))
            .alias("value")
        )
        .drop("_mul", "_div", "unit", wanted)
    )
    return converted, joined.filter(~readable).drop("_mul", "_div")
