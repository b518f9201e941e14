"""Progress of every plan indicator × region at an evaluation year (method §3–§5).

One vectorised pass over the observations: they are joined to their specs
(:mod:`minsheng.analytics.specs`), reduced per indicator × region to a few
sums (latest value, total, mean, least-squares moments, years that held), and
the status, ρ, expected value, projections, final grade and the Open SDG
class are then column expressions (:mod:`minsheng.analytics.rules`). No Python
loop touches an observation row.

Definitions (evaluation method §3): B baseline in year y0, T target in year yT,
V the latest observation with year t ≤ Y inside the plan period (y0 < t ≤ yT),
e = (t − y0)/(yT − y0), ρ = s(V − B)/|T − B| with s the good direction
(= (V − B)/(T − B) when the target moves the good way), E_t = B + e(T − B).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from minsheng.analytics import rules
from minsheng.analytics.specs import conform_specs
from minsheng.domain.errors import InvalidData

#: Columns of :func:`evaluate`'s result: the verdicts, then the calculation record.
RESULT_COLUMNS = (
    "indicator", "region", "year", "data_year", "status", "rho", "elapsed", "expected",
    "warning", "notice", "projected_linear", "anticipated_ratio", "likely", "grade",
    "sdg_progress",
    # calculation record: enough to re-derive every verdict by hand
    "baseline", "target", "value", "y0", "yT", "target_kind", "polarity", "polarity_inferred",
    "method", "baseline_source", "years_observed", "years_held", "total", "mean",
    "required_rate", "actual_rate", "reason", "reason_zh",
    # context
    "name", "part", "unit", "seq", "plan", "nature", "domain", "domain_code", "canonical_code",
    "baseline_raw", "target_raw", "judged_by", "judged_at",
)  # fmt: skip

OBSERVATION_COLUMNS = ("indicator", "region", "year", "value")


def _check_observations(observations: pl.DataFrame) -> pl.DataFrame:
    missing = [c for c in OBSERVATION_COLUMNS if c not in observations.columns]
    if missing:
        raise InvalidData(f"observations lack column(s): {', '.join(missing)}")
    keys = [
        pl.col(c) if observations.schema[c] == pl.Categorical else pl.col(c).cast(pl.Utf8)
        for c in ("indicator", "region")
    ]
    bound = (
        pl.col("bound").cast(pl.Utf8)
        if "bound" in observations.columns
        else pl.lit(None, pl.Utf8).alias("bound")
    )
    bad = (
        observations.filter(~pl.col("bound").is_in(list(BOUNDS)) & pl.col("bound").is_not_null())
        if "bound" in observations.columns
        else None
    )
    if bad is not None and bad.height:
        raise InvalidData(f"bound must be one of {', '.join(BOUNDS)}, not {bad['bound'][0]!r}")
    return observations.select(
        *keys,
        pl.col("year").cast(pl.Int64),
        pl.col("value").cast(pl.Float64),
        bound,
    )


#: Comparators of a value known only as a bound (``>95``): the true value lies beyond it.
BOUNDS = (">", ">=", "<", "<=")


def _pairs(specs: pl.DataFrame, regions: pl.Series) -> pl.DataFrame:
    """Every spec × region it applies to: its own region, or each region given."""
    fixed = specs.filter(pl.col("region").is_not_null())
    open_ = specs.filter(pl.col("region").is_null())
    parts = [fixed]
    if open_.height and regions.len():
        crossed = open_.drop("region").join(regions.to_frame("region"), how="cross")
        parts.append(crossed.select(specs.columns))
    pairs = pl.concat(parts, how="vertical") if len(parts) > 1 else fixed
    # judged for another region, the baseline year is the plan's own (2020), not the year a
    # footnote gave for the plan region's figure (2019 data): the region's value is for y0
    foreign = pl.col("plan_region").is_not_null() & (pl.col("region") != pl.col("plan_region"))
    return pairs.with_columns(
        pl.when(foreign & pl.col("y0_nominal").is_not_null())
        .then(pl.col("y0_nominal"))
        .otherwise(pl.col("y0"))
        .alias("y0")
    ).with_row_index("pair_id")


def _codes(keys: pl.Series, column: pl.Series) -> tuple[np.ndarray, np.ndarray, int]:
    """Small integer codes 0..n-1 for the pairs' keys, and the same codes (or -1) for a column.

    A categorical column (as a store's dictionary-encoded keys arrive) is mapped
    through its physical codes, which polars shares between frames; a string
    column is cast to an Enum of the keys.
    """
    if column.dtype == pl.Categorical:
        key_phys = keys.cast(pl.Categorical).to_physical().cast(pl.Int64).to_numpy()
        col_phys = column.to_physical().cast(pl.Int64).fill_null(-1).to_numpy()
        size = int(max(key_phys.max(initial=0), col_phys.max(initial=0))) + 2
        present = np.zeros(size, dtype=bool)
        present[key_phys] = True
        lookup = np.cumsum(present) - 1  # compact codes, no sort
        lookup[~present] = -1
        lookup[-1] = -1  # where a null (-1) lands
        return lookup[key_phys], lookup[col_phys], int(present.sum())
    cats = keys.unique(maintain_order=True)
    enum = pl.Enum(cats.cast(pl.Utf8).to_list())
    key_codes = keys.cast(pl.Utf8).cast(enum).to_physical().cast(pl.Int64).to_numpy()
    col_codes = (
        column.cast(pl.Utf8)
        .cast(enum, strict=False)
        .to_physical()
        .cast(pl.Int64)
        .fill_null(-1)
        .to_numpy()
    )
    return key_codes, col_codes, cats.len()


def _pair_index(pairs: pl.DataFrame, obs: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """For each observation that belongs to a pair: (its pair's index, its row in ``obs``).

    The (indicator, region) keys are mapped to small integers once (polars Enum
    casts), and an observation finds its pair by a table lookup — no hash join
    over the observation rows. When two pairs share a key (the same indicator
    name judged twice for one region) a join keeps every match instead.
    """
    pi, oi, n_ind = _codes(pairs.get_column("indicator"), obs.get_column("indicator"))
    pr, orr, n_reg = _codes(pairs.get_column("region"), obs.get_column("region"))
    n_reg = max(n_reg, 1)
    pair_key = pi * n_reg + pr
    ids = np.arange(pairs.height, dtype=np.int64)
    known = (oi >= 0) & (orr >= 0)
    rows = np.flatnonzero(known)
    obs_key = oi[rows] * n_reg + orr[rows]
    dense = n_ind * n_reg <= 20_000_000
    if dense:
        table = np.full(n_ind * n_reg, -1, dtype=np.int64)
        table[pair_key] = ids
        unique_keys = bool((table[pair_key] == ids).all())
    else:
        order = np.argsort(pair_key, kind="stable")
        sorted_keys = pair_key[order]
        unique_keys = not (sorted_keys[1:] == sorted_keys[:-1]).any()
    if not unique_keys:
        keyed = obs.with_row_index("_row").join(
            pairs.select("pair_id", "indicator", "region"), on=["indicator", "region"], how="inner"
        )
        pair_ids = keyed.get_column("pair_id").to_numpy().astype(np.int64)
        return pair_ids, keyed.get_column("_row").to_numpy().astype(np.int64)
    if dense:
        pair = table[obs_key]
    else:
        pos = np.clip(np.searchsorted(sorted_keys, obs_key), 0, max(sorted_keys.size - 1, 0))
        found = sorted_keys.size > 0
        pair = (
            np.where(sorted_keys[pos] == obs_key, order[pos], -1)
            if found
            else np.full(obs_key.size, -1)
        )
    hit = pair >= 0
    return pair[hit], rows[hit]


def _reduce(
    pairs: pl.DataFrame, obs: pl.DataFrame, year: int, full_coverage_level: float
) -> pl.DataFrame:
    """Per pair: latest year and value, total, mean, regression moments, years held.

    The reductions are NumPy ``bincount`` / ``maximum.at`` over the pair index of
    each observation: linear time, no sort, and duplicates of the latest year are
    averaged so the result never depends on row order.
    """
    n_pairs = pairs.height
    pair, rows = _pair_index(pairs, obs)
    yr = obs.get_column("year").to_numpy()
    val = obs.get_column("value").to_numpy()
    bound = obs.get_column("bound")
    if bound.null_count() == bound.len():  # no value is a bound, as in most data: no text read
        bdir, strict = np.zeros(bound.len()), np.zeros(bound.len())
    else:
        bdir = (
            bound.replace_strict(
                {">": 1, ">=": 1, "<": -1, "<=": -1}, default=0, return_dtype=pl.Int8
            )
            .to_numpy()
            .astype(np.float64)
        )
        strict = bound.is_in([">", "<"]).fill_null(False).to_numpy().astype(np.float64)
    if rows.size != obs.height:  # some observations belong to no pair
        yr, val, bdir, strict = yr[rows], val[rows], bdir[rows], strict[rows]
    y0 = pairs.get_column("y0").to_numpy()[pair]
    yT = pairs.get_column("yT").to_numpy()[pair]
    zero_pair = (pairs.get_column("kind") == "keep_zero").to_numpy()
    base = (yr == y0) & (yr <= year)
    ip = (yr > y0) & (yr <= np.minimum(yT, year)) & ~np.isnan(val)
    p, y, v, x = pair[ip], yr[ip], val[ip], (yr[ip] - y0[ip]).astype(np.float64)
    bd, bs = bdir[ip], strict[ip]
    zero_kind = zero_pair[p]
    holds = np.where(zero_kind, v <= rules.EPS, v >= full_coverage_level - rules.EPS)

    def total(w: np.ndarray | None, idx: np.ndarray = p) -> np.ndarray:
        return np.bincount(idx, weights=w, minlength=n_pairs).astype(np.float64, copy=False)

    count = total(None)
    latest = np.full(n_pairs, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(latest, p, y)
    at_latest = y == latest[p]
    latest_n = total(None, p[at_latest])
    has = count > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        value = total(v[at_latest], p[at_latest]) / latest_n
        # the latest value's bound: a direction only when every value of that year agrees
        latest_dir = total(bd[at_latest], p[at_latest]) / latest_n
        latest_strict = total(bs[at_latest], p[at_latest]) > 0
        sums = total(v)
        mean = sums / count
        base_n = total(None, pair[base])
        base_obs = total(val[base], pair[base]) / base_n
        # the latest year that did not hold (full coverage, keep zero), for the reason in words
        failed = ~holds
        fail_year = np.full(n_pairs, np.iinfo(np.int64).min, dtype=np.int64)
        np.maximum.at(fail_year, p[failed], y[failed])
        at_fail = failed & (y == fail_year[p])
        fail_value = total(v[at_fail], p[at_fail]) / total(None, p[at_fail])
    return pl.DataFrame(
        {
            "pair_id": np.arange(n_pairs, dtype=np.uint32),
            "data_year": np.where(has, latest, 0),
            "value": value,
            "years_observed": count.astype(np.int64),
            "years_held": total(holds.astype(np.float64)).astype(np.int64),
            "total": np.where(has, sums, np.nan),
            "mean": mean,
            "_sx": total(x),
            "_sxy": total(x * v),
            "_sxx": total(x * x),
            "_base_obs": base_obs,
            "_bdir": np.where(np.abs(np.nan_to_num(latest_dir)) == 1, latest_dir, 0).astype(
                np.int8
            ),
            "_bstrict": latest_strict,
            "_fail_year": fail_year,
            "_fail_value": fail_value,
        }
    ).with_columns(
        pl.when(pl.col("years_observed") > 0).then(pl.col("data_year")).alias("data_year"),
        pl.when(pl.col("_fail_value").is_not_nan()).then(pl.col("_fail_year")).alias("_fail_year"),
        pl.col("value", "total", "mean", "_base_obs", "_fail_value").fill_nan(None),
    )


def _apply_judgements(result: pl.DataFrame, judgements: pl.DataFrame | None) -> pl.DataFrame:
    """An analyst's judgement settles a qualitative target (method §1: who and when)."""
    if judgements is None or judgements.height == 0:
        return result.with_columns(
            pl.lit(None, pl.Utf8).alias("judged_by"), pl.lit(None, pl.Utf8).alias("judged_at")
        )
    for col in ("indicator", "status"):
        if col not in judgements.columns:
            raise InvalidData(f"judgements lack column {col!r}")
    valid = set(rules.STATUS_ORDER) | {"not_assessable", "no_data"}
    bad = judgements.filter(~pl.col("status").is_in(list(valid)))
    if bad.height:
        raise InvalidData(
            f"judgement status must be one of {sorted(valid)}, got {bad['status'][0]!r}"
        )
    j = judgements.with_columns(
        *(
            pl.lit(None, pl.Utf8).alias(c)
            for c in ("region", "judged_by", "judged_at", "grade")
            if c not in judgements.columns
        )
    ).select(
        pl.col("indicator").cast(pl.Utf8),
        pl.col("region").cast(pl.Utf8),
        pl.col("status").cast(pl.Utf8).alias("_j_status"),
        pl.col("grade").cast(pl.Utf8).alias("_j_grade"),
        pl.col("judged_by").cast(pl.Utf8),
        pl.col("judged_at").cast(pl.Utf8),
    )
    specific = j.filter(pl.col("region").is_not_null())
    general = j.filter(pl.col("region").is_null()).drop("region").unique("indicator", keep="last")
    out = result.join(
        specific.unique(["indicator", "region"], keep="last"),
        on=["indicator", "region"],
        how="left",
    )
    out = out.join(general, on="indicator", how="left", suffix="_g")
    for c in ("_j_status", "_j_grade", "judged_by", "judged_at"):
        out = out.with_columns(pl.coalesce(c, f"{c}_g").alias(c)).drop(f"{c}_g")
    judged = (pl.col("target_kind") == "qualitative") & pl.col("_j_status").is_not_null()
    # a judged status warns like any other (method §3): binding lagging/regressing → warning
    lag = pl.col("status").is_in(["lagging", "regressing"])
    binding = (pl.col("nature") == "binding").fill_null(False)
    return (
        out.with_columns(
            pl.when(judged).then(pl.col("_j_status")).otherwise(pl.col("status")).alias("status"),
            pl.when(judged).then(None).otherwise(pl.col("reason")).alias("reason"),
            pl.when(judged).then(None).otherwise(pl.col("reason_zh")).alias("reason_zh"),
            pl.when(judged).then(pl.col("_j_grade")).otherwise(pl.col("grade")).alias("grade"),
            pl.when(judged)
            .then(pl.lit("analyst_judgement"))
            .otherwise(pl.col("method"))
            .alias("method"),
            pl.when(judged).then(pl.col("judged_by")).alias("judged_by"),
            pl.when(judged).then(pl.col("judged_at")).alias("judged_at"),
        )
        .with_columns(
            (lag & binding).alias("warning"),
            (lag & ~binding).alias("notice"),
        )
        .drop("_j_status", "_j_grade")
    )


def evaluate(
    specs: pl.DataFrame,
    observations: pl.DataFrame,
    year: int,
    *,
    regions: list[str] | None = None,
    about_tolerance: float = 0.05,
    full_coverage_level: float = 100.0,
    judgements: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Judge every spec × region at evaluation year ``year`` (method §3–§5).

    Parameters
    ----------
    specs
        From :func:`minsheng.analytics.specs.specs_frame` (or several stacked). A
        spec with a ``region`` judges that region only (a region's own plan);
        one without is judged for every region in ``regions``.
    observations
        Long table ``indicator, region, year, value`` (indicator = spec key).
    regions
        Regions for specs without one; default: every region observed.
    about_tolerance
        Relative band for ``about`` (左右) targets (Settings.about_tolerance).
    full_coverage_level
        The value at which a ``full_coverage`` year holds (100 = 100 %).
    judgements
        Optional ``indicator, [region], status, [grade], [judged_by], [judged_at]``
        for qualitative targets.

    Returns one row per indicator × region with :data:`RESULT_COLUMNS`.
    """
    specs = conform_specs(specs)
    obs = _check_observations(observations)
    if regions is None:
        region_list = obs.get_column("region").unique().cast(pl.Utf8).sort()
    else:
        region_list = pl.Series("region", [str(r) for r in regions], dtype=pl.Utf8)
    pairs = _pairs(specs, region_list)
    reduced = _reduce(pairs, obs, year, full_coverage_level)
    table = pl.concat([pairs, reduced.drop("pair_id")], how="horizontal")
    table = rules.judge(
        table, year=year, about_tolerance=about_tolerance, full_coverage_level=full_coverage_level
    )
    table = _apply_judgements(table, judgements)
    return table.select(RESULT_COLUMNS)
