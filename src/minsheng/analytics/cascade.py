"""Cascade check: do the children's targets together reach the parent's?

For a parent plan and the plans of the regions under it, each indicator they
share (by canonical code) is combined over the children: rates, shares and
per-capita figures (:func:`minsheng.analytics.alignment.is_intensive`) as the
population-weighted mean Σ p_i T_i / Σ p_i, totals (beds, jobs, 【】 five-year
sums) as the sum Σ T_i. The combination is compared with the parent's target
in the indicator's good direction; for intensive indicators every child whose
own target is worse than the parent's is named (a child may fall short while
the weighted whole still reaches the parent, carried by a larger sibling).
"""

from __future__ import annotations

import polars as pl

from minsheng.analytics.alignment import is_intensive

CASCADE_KINDS = ["reach", "above", "at_least", "below", "at_most", "about", "cumulative"]


def cascade(
    parent: pl.DataFrame, children: pl.DataFrame, populations: pl.DataFrame
) -> pl.DataFrame:
    """One row per parent indicator that at least one child shares.

    ``parent``: ``canonical_code, name, unit, percent, kind, target, polarity``.
    ``children``: ``region, canonical_code, target, kind`` (one target per child).
    ``populations``: ``region, population`` (the weights; a child without one
    makes the weighted mean null for that indicator and is listed in ``unweighted``).

    Columns: ``canonical_code, name, parent_target, method`` (``weighted``/``summed``),
    ``combined, children, reaches, short_by, short_children, unweighted``.
    """
    p = parent.filter(
        pl.col("canonical_code").is_not_null()
        & pl.col("kind").is_in(CASCADE_KINDS)
        & pl.col("target").is_not_null()
    )
    p = p.unique("canonical_code", keep="first").with_columns(
        pl.when(is_intensive() & (pl.col("kind") != "cumulative"))
        .then(pl.lit("weighted"))
        .otherwise(pl.lit("summed"))
        .alias("method"),
        pl.when(pl.col("polarity") == "lower").then(-1.0).otherwise(1.0).alias("_good"),
    )
    c = (
        children.filter(
            pl.col("canonical_code").is_not_null()
            & pl.col("target").is_not_null()
            & pl.col("kind").is_in(CASCADE_KINDS)
        )
        .select(
            pl.col("region").cast(pl.Utf8),
            "canonical_code",
            pl.col("target").cast(pl.Float64).alias("child_target"),
        )
        .unique(["region", "canonical_code"], keep="first")
        .join(
            populations.select(
                pl.col("region").cast(pl.Utf8), pl.col("population").cast(pl.Float64)
            ),
            on="region",
            how="left",
        )
        .join(
            p.select("canonical_code", "method", "_good", pl.col("target").alias("parent_target")),
            on="canonical_code",
            how="inner",
        )
    )
    short = (pl.col("_good") * (pl.col("child_target") - pl.col("parent_target")) < 0) & (
        pl.col("method") == "weighted"
    )
    combined = c.group_by("canonical_code").agg(
        pl.len().alias("children"),
        pl.when(pl.col("method").first() == "summed")
        .then(pl.col("child_target").sum())
        .when(pl.col("population").is_null().any())
        .then(None)
        .otherwise(
            (pl.col("child_target") * pl.col("population")).sum() / pl.col("population").sum()
        )
        .alias("combined"),
        pl.col("region").filter(short).sort().alias("short_children"),
        pl.col("region").filter(pl.col("population").is_null()).sort().alias("unweighted"),
    )
    out = p.join(combined, on="canonical_code", how="inner").with_columns(
        (pl.col("_good") * (pl.col("combined") - pl.col("target")) >= -1e-9).alias("reaches"),
        pl.when(pl.col("_good") * (pl.col("combined") - pl.col("target")) < -1e-9)
        .then((pl.col("target") - pl.col("combined")).abs())
        .alias("short_by"),
    )
    return out.select(
        "canonical_code", "name", pl.col("target").alias("parent_target"), "method", "combined",
        "children", "reaches", "short_by", "short_children", "unweighted",
    ).sort("canonical_code")  # fmt: skip
