"""Roll-ups of evaluation results: counts by status, rankings, the multi-level view.

Every function takes the frame of :func:`minsheng.analytics.evaluation.evaluate`
(or several stacked) and returns a new frame. The share "achieved or on track"
is taken over the *assessed* indicators (those with a status other than
``no_data`` and ``not_assessable``), which is how a development and reform
commission reports it; the share over all indicators is given beside it so a
reader sees how much was not assessed. Binding warnings are listed first (method §5).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from minsheng.domain.errors import InvalidData
from minsheng.domain.evaluation import Status
from minsheng.domain.regions import Level, level_of_code, parent_code_of

STATUSES = [s.value for s in Status]
_PRIORITY = {
    "regressing": 0,
    "lagging": 1,
    "no_data": 2,
    "undetermined": 2,
    "on_track": 3,
    "achieved": 4,
    "not_assessable": 5,
}


def status_counts(results: pl.DataFrame, by: Sequence[str] = ("plan",)) -> pl.DataFrame:
    """Counts by status per group, with the share achieved or on track and the warnings.

    Columns: the ``by`` keys, one count column per status, ``total``,
    ``assessed``, ``share_good`` (= (achieved + on_track) / assessed),
    ``share_good_of_all``, ``warnings``, ``notices``, ``not_completed_binding``.
    """
    keys = list(by)
    missing = [k for k in [*keys, "status"] if k not in results.columns]
    if missing:
        raise InvalidData(f"results lack column(s): {', '.join(missing)}")
    binding = (
        (pl.col("nature") == "binding").fill_null(False)
        if "nature" in results.columns
        else pl.lit(False)
    )
    counts = [(pl.col("status") == s).sum().alias(s) for s in STATUSES]
    out = results.group_by(keys).agg(
        *counts,
        pl.len().alias("total"),
        pl.col("warning").sum().alias("warnings"),
        pl.col("notice").sum().alias("notices"),
        ((pl.col("grade") == "not_completed") & binding).sum().alias("not_completed_binding"),
    )
    good = pl.col("achieved") + pl.col("on_track")
    assessed = (
        pl.col("total") - pl.col("no_data") - pl.col("not_assessable") - pl.col("undetermined")
    )
    return out.with_columns(
        assessed.alias("assessed"),
        pl.when(assessed > 0).then(good / assessed).alias("share_good"),
        (good / pl.col("total")).alias("share_good_of_all"),
    ).sort(keys, nulls_last=True)


def by_plan(results: pl.DataFrame) -> pl.DataFrame:
    return status_counts(results, ["plan"])


def by_domain(results: pl.DataFrame) -> pl.DataFrame:
    """Per service domain (the catalogue's nine; the table's own label where unmapped)."""
    frame = results.with_columns(pl.coalesce("domain_code", "domain").alias("service_domain"))
    return status_counts(frame, ["service_domain"])


def by_region(results: pl.DataFrame) -> pl.DataFrame:
    return status_counts(results, ["region"])


def warnings_first(results: pl.DataFrame) -> pl.DataFrame:
    """The report order: binding not completed, binding warnings, notices, then the rest.

    Within each band the worse status first, then the plan's own row order.
    """
    binding = (pl.col("nature") == "binding").fill_null(False)
    band = (
        pl.when((pl.col("grade") == "not_completed") & binding).then(0)
        .when(pl.col("warning")).then(1)
        .when(pl.col("notice")).then(2)
        .otherwise(3)
    )  # fmt: skip
    priority = pl.col("status").replace_strict(_PRIORITY, default=9, return_dtype=pl.Int64)
    return (
        results.with_columns(band.alias("_band"), priority.alias("_prio"))
        .sort(["_band", "_prio", "seq", "indicator", "region"], nulls_last=True)
        .drop("_band", "_prio")
    )


def rank_regions(results: pl.DataFrame, parent: str | None = None) -> pl.DataFrame:
    """Rank regions (optionally only the children of ``parent``) by their share on track.

    Ties are broken by the mean ρ (each capped at 1: overachieving one target does not
    make up for another's shortfall) and then the number of warnings (fewer first);
    rank 1 is best; regions equal on all three share a rank (1, 2, 2, 4) and are
    listed by code. Regions with nothing assessed come last, unranked.
    """
    frame = results
    if parent is not None:
        children = [
            r for r in frame.get_column("region").unique().to_list() if _parent(r) == parent
        ]
        frame = frame.filter(pl.col("region").is_in(children))
    counts = status_counts(frame, ["region"]).join(
        frame.group_by("region").agg(pl.col("rho").clip(upper_bound=1.0).mean().alias("mean_rho")),
        on="region",
    )
    keys = ["share_good", "mean_rho", "warnings"]
    ranked = counts.sort([*keys, "region"], descending=[True, True, False, False], nulls_last=True)
    # competition ranking (1, 2, 2, 4): regions equal on every key share the better rank
    position = pl.int_range(1, pl.len() + 1)
    return ranked.with_columns(position.alias("rank")).with_columns(
        pl.when(pl.col("share_good").is_not_null())
        .then(pl.col("rank").min().over(keys))
        .alias("rank")
    )


def _parent(code: str) -> str | None:
    try:
        return parent_code_of(code)
    except InvalidData:
        return None


def stack_levels(evaluations: Sequence[tuple[Any, pl.DataFrame]]) -> pl.DataFrame:
    """The multi-level view: several plans, each judged against its own targets, stacked.

    ``evaluations`` holds (plan, results) pairs where plan is a domain
    :class:`~minsheng.domain.plans.Plan` or a mapping with ``title``, ``level`` and
    ``region_code``. Adds ``plan_title``, ``level``, ``level_rank`` (0 national …
    3 county) and ``plan_region`` and orders top-down.
    """
    frames = []
    for plan, results in evaluations:
        info = _plan_info(plan)
        if info["level"] is None and info["region_code"]:
            info["level"] = level_of_code(info["region_code"]).value
        rank = Level(info["level"]).rank if info["level"] else None
        frames.append(
            results.with_columns(
                pl.lit(info["title"], pl.Utf8).alias("plan_title"),
                pl.lit(info["level"], pl.Utf8).alias("level"),
                pl.lit(rank, pl.Int64).alias("level_rank"),
                pl.lit(info["region_code"], pl.Utf8).alias("plan_region"),
            )
        )
    if not frames:
        raise InvalidData("no evaluations to stack")
    return pl.concat(frames, how="diagonal_relaxed").sort(
        ["level_rank", "plan_region"], nulls_last=True, maintain_order=True
    )


def _plan_info(plan: Any) -> dict[str, Any]:
    if isinstance(plan, Mapping):
        level = plan.get("level")
        return {
            "title": plan.get("title"),
            "level": level.value if isinstance(level, Level) else level,
            "region_code": plan.get("region_code"),
        }
    meta = plan.metadata
    return {
        "title": meta.title or plan.source_file,
        "level": meta.level.value if meta.level else None,
        "region_code": meta.region_code,
    }
