"""Data quality: reporting completeness and timeliness, and outliers (as DHIS2 users expect).

Completeness is the DHIS2 "reporting rate": of the (indicator, region, year)
cells a plan expects, how many hold a value, and how many arrived by the due
date of their year ("reporting rate on time").

Outliers use the modified z-score of Iglewicz & Hoaglin (1993, *How to Detect
and Handle Outliers*): M = 0.6745 (x − median) / MAD, MAD the median absolute
deviation, |M| > threshold (3.5 by default, ``Settings.outlier_threshold``) is
an outlier. It is computed twice: across regions (one indicator, one year) and
across years (one indicator, one region). Where MAD is 0 the mean absolute
deviation stands in (M = (x − median) / (1.253314 · MeanAD)), as IBM's and
Iglewicz–Hoaglin's notes suggest; with fewer than ``min_group`` values no score
is given. An outlier is a question to the reporting unit, never a refusal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

import polars as pl

from minsheng.domain.errors import InvalidData

MAD_SCALE = 0.6745
MEANAD_SCALE = 1.253314


def expected_cells(
    indicators: Sequence[str], regions: Sequence[str], years: Sequence[int]
) -> pl.DataFrame:
    """Every (indicator, region, year) a plan asks to be reported."""
    return (
        pl.DataFrame({"indicator": list(indicators)}, schema={"indicator": pl.Utf8})
        .join(pl.DataFrame({"region": list(regions)}, schema={"region": pl.Utf8}), how="cross")
        .join(pl.DataFrame({"year": list(years)}, schema={"year": pl.Int64}), how="cross")
    )


def completeness(
    observations: pl.DataFrame,
    expected: pl.DataFrame,
    *,
    due_dates: Mapping[int, date] | None = None,
) -> pl.DataFrame:
    """One row per expected cell: reported, its value, and whether it came on time.

    ``observations`` needs ``indicator, region, year, value`` and, for timeliness,
    ``reported_at`` (date or datetime of the first version). ``due_dates`` maps a
    data year to its due date (e.g. 2023 → 2024-03-31); ``on_time`` is null where
    either is unknown.
    """
    for col in ("indicator", "region", "year", "value"):
        if col not in observations.columns:
            raise InvalidData(f"observations lack column {col!r}")
    obs = (
        observations.select(
            pl.col("indicator").cast(pl.Utf8),
            pl.col("region").cast(pl.Utf8),
            pl.col("year").cast(pl.Int64),
            pl.col("value").cast(pl.Float64),
            (
                pl.col("reported_at").cast(pl.Datetime)
                if "reported_at" in observations.columns
                else pl.lit(None, pl.Datetime)
            ).alias("reported_at"),
        )
        .group_by("indicator", "region", "year")
        .agg(pl.col("value").drop_nulls().last().alias("value"), pl.col("reported_at").min())
    )
    grid = expected.select(
        pl.col("indicator").cast(pl.Utf8),
        pl.col("region").cast(pl.Utf8),
        pl.col("year").cast(pl.Int64),
    ).join(obs, on=["indicator", "region", "year"], how="left")
    dues = pl.DataFrame(
        {
            "year": list((due_dates or {}).keys()),
            "due": [
                datetime.combine(d, datetime.max.time())
                if isinstance(d, date) and not isinstance(d, datetime)
                else d
                for d in (due_dates or {}).values()
            ],
        },
        schema={"year": pl.Int64, "due": pl.Datetime},
    )
    grid = grid.join(dues, on="year", how="left")
    reported = pl.col("value").is_not_null()
    return grid.with_columns(
        reported.alias("reported"),
        pl.when(reported & pl.col("reported_at").is_not_null() & pl.col("due").is_not_null())
        .then(pl.col("reported_at") <= pl.col("due"))
        .alias("on_time"),
        pl.when(reported)
        .then(
            (pl.col("reported_at").dt.date() - pl.col("due").dt.date())
            .dt.total_days()
            .clip(lower_bound=0)
        )
        .alias("days_late"),
    ).sort("indicator", "region", "year")


def completeness_summary(cells: pl.DataFrame, by: Sequence[str] = ("region",)) -> pl.DataFrame:
    """Reporting rate and on-time rate per group (DHIS2's two reporting-rate figures)."""
    keys = list(by)
    return (
        cells.group_by(keys)
        .agg(
            pl.len().alias("expected"),
            pl.col("reported").sum().alias("reported"),
            pl.col("on_time").fill_null(False).sum().alias("on_time"),
        )
        .with_columns(
            (pl.col("reported") / pl.col("expected")).alias("reporting_rate"),
            (pl.col("on_time") / pl.col("expected")).alias("on_time_rate"),
        )
        .sort(keys)
    )


def _modified_z(value: pl.Expr, group: list[str], min_group: int) -> pl.Expr:
    median = value.median().over(group)
    dev = (value - median).abs()
    mad = dev.median().over(group)
    mean_ad = dev.mean().over(group)
    n = value.count().over(group)
    z = (
        pl.when(n < min_group).then(None)
        .when(mad > 0).then(MAD_SCALE * (value - median) / mad)
        .when(mean_ad > 0).then((value - median) / (MEANAD_SCALE * mean_ad))
        .otherwise(0.0)
    )  # fmt: skip
    return z


def outliers(
    observations: pl.DataFrame, *, threshold: float = 3.5, min_group: int = 3
) -> pl.DataFrame:
    """Modified z-scores across regions and across years, with the outlier flags.

    Returns the observations with ``z_regions``, ``z_years`` and the booleans
    ``outlier_regions``, ``outlier_years`` and ``outlier`` (either). A ``level`` column,
    when there is one, compares each region with regions of its own level only: a
    prefecture's 万张 of beds is no peer of a county's, nor of the nation's.
    """
    for col in ("indicator", "region", "year", "value"):
        if col not in observations.columns:
            raise InvalidData(f"observations lack column {col!r}")
    if threshold <= 0:
        raise InvalidData("the outlier threshold must be positive")
    v = pl.col("value")
    peers = ["level"] if "level" in observations.columns else []
    out = observations.filter(v.is_not_null() & v.is_not_nan()).with_columns(
        _modified_z(v, ["indicator", "year", *peers], min_group).alias("z_regions"),
        _modified_z(v, ["indicator", "region"], min_group).alias("z_years"),
    )
    return out.with_columns(
        (pl.col("z_regions").abs() > threshold).fill_null(False).alias("outlier_regions"),
        (pl.col("z_years").abs() > threshold).fill_null(False).alias("outlier_years"),
    ).with_columns((pl.col("outlier_regions") | pl.col("outlier_years")).alias("outlier"))
