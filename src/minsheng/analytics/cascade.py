"""Cascade check: do the children's targets together reach the parent's?

For a parent plan and the plans of the regions under it, each indicator they
share (by canonical code) is combined over the children: rates, shares and
per-capita figures (:func:`minsheng.analytics.alignment.is_intensive`) as the
population-weighted mean Σ p_i T_i / Σ p_i, totals (beds, jobs, 【】 five-year
sums) as the sum Σ T_i. The combination is compared with the parent's target
in the indicator's good direction; for intensive indicators every child whose
own target is worse than the parent's is named (a child may fall short while
the weighted whole still reaches the parent, carried by a larger sibling).

Only targets of the parent's form are combined (:func:`~minsheng.analytics.alignment.target_form`):
end-year levels with levels, five-year totals with totals, yearly averages with
yearly averages (weighted for rates, summed for amounts: the sum of the children's
yearly averages is the yearly average of their sum). A child stating the target in
another form is left out and named in ``other_form``, never dropped unsaid.
"""

from __future__ import annotations

import polars as pl

from minsheng.analytics.alignment import FORMS, is_intensive, target_form

CASCADE_KINDS = list(FORMS)


def cascade(
    parent: pl.DataFrame, children: pl.DataFrame, populations: pl.DataFrame
) -> pl.DataFrame:
    """One row per parent indicator that at least one child shares.

    ``parent``: ``canonical_code, name, unit, percent, kind, target, polarity``.
    ``children``: ``region, canonical_code, target, kind, unit`` (one target per child).
    ``populations``: ``region, population`` (the weights; a child without one
    makes the weighted mean null for that indicator and is listed in ``unweighted``).

    Columns: ``canonical_code, name, parent_target, form`` (``level``/``cumulative``/
    ``annual_average``), ``method`` (``weighted``/``summed``), ``combined, children,
    reaches, short_by, short_children, unweighted, other_unit`` (children whose total is
    in another unit than the parent's, left out of the sum), ``other_form`` (children whose
    target is in another form than the parent's, left out).
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
        target_form().alias("form"),
    )
    unit = pl.col("unit") if "unit" in children.columns else pl.lit(None, pl.Utf8)
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
            unit.cast(pl.Utf8).alias("child_unit"),
            target_form().alias("child_form"),
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
            p.select(
                "canonical_code",
                "method",
                "_good",
                pl.col("target").alias("parent_target"),
                pl.col("unit").cast(pl.Utf8).alias("parent_unit"),
                "form",
            ),
            on="canonical_code",
            how="inner",
        )
    )
    # a yearly average is not an end-year level nor a five-year total: left out, named
    other_form = pl.col("child_form") != pl.col("form")
    formed = (
        c.filter(other_form)
        .group_by("canonical_code")
        .agg(pl.col("region").sort().alias("other_form"))
    )
    c = c.filter(~other_form)
    # totals in another unit (张 against 万张) cannot be added: such a child is left out, named
    other_unit = (pl.col("method") == "summed") & (
        pl.col("child_unit").fill_null("") != pl.col("parent_unit").fill_null("")
    )
    mismatched = (
        c.filter(other_unit)
        .group_by("canonical_code")
        .agg(pl.col("region").sort().alias("other_unit"))
    )
    c = c.filter(~other_unit)
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
    gap = pl.col("_good") * (pl.col("combined") - pl.col("target"))
    out = (
        p.join(combined, on="canonical_code", how="left")
        .join(mismatched, on="canonical_code", how="left")
        .join(formed, on="canonical_code", how="left")
        .filter(
            pl.col("children").is_not_null()
            | pl.col("other_unit").is_not_null()
            | pl.col("other_form").is_not_null()
        )
        .with_columns(
            pl.col("children").fill_null(0),
            pl.col("other_unit").fill_null([]),
            pl.col("other_form").fill_null([]),
            pl.col("short_children").fill_null([]),
            pl.col("unweighted").fill_null([]),
            (gap >= -1e-9).alias("reaches"),
            pl.when(gap < -1e-9)
            .then((pl.col("target") - pl.col("combined")).abs())
            .alias("short_by"),
        )
    )
    return out.select(
        "canonical_code", "name", pl.col("target").alias("parent_target"), "form", "method",
        "combined", "children", "reaches", "short_by", "short_children", "unweighted",
        "other_unit", "other_form",
    ).sort("canonical_code")  # fmt: skip
