"""A region seen through a higher plan and through its own plan, side by side.

One series per canonical indicator makes the comparison honest: the national plan
judged for a county reads the county's own values, and the county's plan reads
the same ones. Rows meet on the canonical indicator both plans name.
"""

from __future__ import annotations

import polars as pl

from minsheng.domain.errors import InvalidData
from minsheng.services.evaluation import evaluate_plan
from minsheng.services.plans import get_plan, list_plans
from minsheng.store.database import Database

#: Columns the region's own plan adds beside each row.
OWN_COLUMNS = ("own_plan", "own_indicator", "own_target", "own_status", "own_rho", "own_reason")


def beside_own_plan(
    db: Database,
    plan_ref: int | str,
    year: int,
    region: str,
    *,
    about_tolerance: float = 0.05,
    published_only: bool = False,
) -> pl.DataFrame:
    """``plan_ref`` judged for ``region``, with the region's own plan's verdict on the same indicator.

    The region's own plan is the stored plan of exactly that region (of the same
    period when there are several). Without one the ``own_*`` columns are empty.
    ``published_only`` judges both on published values alone (the public's view).
    """
    stored = get_plan(db, plan_ref)
    _, results = evaluate_plan(
        db,
        stored.id,
        year,
        region=region,
        about_tolerance=about_tolerance,
        published_only=published_only,
    )
    code = results.get_column("region")[0] if results.height else None
    if code == stored.region_code:
        raise InvalidData("the plan is the region's own plan: nothing to set beside it")
    candidates = [
        s for s in list_plans(db) if s.region_code == code and s.id != stored.id and s.indicators
    ]
    if not candidates or code is None:
        return results.with_columns(
            pl.lit(None, pl.Utf8).alias(c) for c in OWN_COLUMNS
        ).with_columns(pl.col("own_rho").cast(pl.Float64))
    period_end = stored.plan.metadata.period_end
    own = sorted(candidates, key=lambda s: (s.period_end != period_end, -s.indicators, s.id))[0]
    _, own_results = evaluate_plan(
        db, own.id, year, about_tolerance=about_tolerance, published_only=published_only
    )
    beside = (
        own_results.filter((pl.col("region") == code) & pl.col("canonical_code").is_not_null())
        .unique("canonical_code", keep="first", maintain_order=True)
        .select(
            "canonical_code",
            pl.lit(own.title).alias("own_plan"),
            pl.col("indicator").alias("own_indicator"),
            pl.coalesce(pl.col("target_raw"), pl.col("target").cast(pl.Utf8)).alias("own_target"),
            pl.col("status").alias("own_status"),
            pl.col("rho").alias("own_rho"),
            pl.col("reason").alias("own_reason"),
        )
    )
    return results.join(beside, on="canonical_code", how="left", nulls_equal=False)
