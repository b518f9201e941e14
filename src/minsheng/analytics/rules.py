"""The method's rules as polars column expressions (evaluation method §3, §4, §5).

:func:`judge` turns the per-pair reductions of :mod:`minsheng.analytics.evaluation`
into verdicts. Each rule is one ``when/then`` chain evaluated for all
indicator × region pairs at once. Decisions where the method is silent are
written down in docs/evaluation.md and marked "decision" below.

References: evaluation method §3 (status), §4 (projections; UN ESCAP,
*Asia and the Pacific SDG Progress Report*, anticipated-progress ratio), §5
(grades); Open SDG / Statistics Canada progress measurement (CAGR ratio,
thresholds 0.95 / 0.6 / 0).
"""

from __future__ import annotations

import polars as pl

from minsheng.analytics import reasons
from minsheng.analytics.alignment import is_intensive

EPS = 1e-9
#: Status from worst to best, for ordering and monotonicity checks.
STATUS_ORDER = ("regressing", "lagging", "on_track", "achieved")
LEVEL = ("reach", "above", "at_least", "below", "at_most", "about")
SDG_THRESHOLDS = (0.95, 0.6, 0.0)
#: Names of levels (a bracketed target on one is a change, not a sum of yearly values) …
_LEVEL_NAME = r"率|占比|比例|比重|寿命|年限|人均|每千|每万|每百"
#: … unless the yearly values are themselves changes (growth, reduction).
_CHANGE_NAME = r"增长|增速|增幅|提高|提升|降低|下降|减少|降幅|新增"

c = pl.col


def _tol(target: pl.Expr) -> pl.Expr:
    return EPS * (1.0 + target.abs())


def condition(x: pl.Expr, about_tolerance: float) -> pl.Expr:
    """Whether value ``x`` satisfies the target condition of its row's form."""
    T, kind, pol = c("target"), c("kind"), c("_pol")
    tol = _tol(T)
    band = (x - T).abs() <= about_tolerance * T.abs() + tol
    directional = (
        pl.when(pol == 1).then(x >= T - tol).when(pol == -1).then(x <= T + tol).otherwise(band)
    )
    return (
        pl.when(kind == "above").then(x > T)
        .when(kind == "at_least").then(x >= T - tol)
        .when(kind == "below").then(x < T)
        .when(kind == "at_most").then(x <= T + tol)
        # decision: past the band in the good direction also holds ("5左右" on higher-better)
        .when(kind == "about").then(band | ((pol == 1) & (x >= T)) | ((pol == -1) & (x <= T)))
        .when(kind.is_in(["reach", "annual_average"])).then(directional)
        .when(kind == "cumulative")
        .then(pl.when(c("_s") >= 0).then(x >= T - tol).otherwise((c("data_year") == c("yT")) & (x <= T + tol)))
        .otherwise(None)
    )  # fmt: skip


def _level_indicator() -> pl.Expr:
    """A level (rate, share, per-capita figure, life expectancy), not an amount that flows."""
    name = c("name").fill_null("")
    level = (
        c("percent").fill_null(False)
        | name.str.contains(_LEVEL_NAME)
        | c("unit").fill_null("").str.contains("%")
    )
    return level & ~name.str.contains(_CHANGE_NAME)


def _prepare(t: pl.LazyFrame, about_tolerance: float) -> pl.LazyFrame:
    kind = c("kind")
    # decision: a bracketed target on a level indicator (人均预期寿命〔1〕) is its change over
    # the period, V − L0, with L0 the level at y0: observed, else a baseline cell that is a level
    change = (kind == "cumulative") & _level_indicator()
    base_is_level = ~c("baseline_raw").fill_null("").str.contains(r"^\s*[【〔\[［]")
    level0 = pl.coalesce(c("_base_obs"), pl.when(base_is_level).then(c("baseline")))
    # a plan judged for a region other than its own: that region's own baseline-year value
    # where observed, else the plan's (said so by baseline_source = plan_region)
    foreign = (c("plan_region").is_not_null() & (c("region") != c("plan_region"))).fill_null(False)
    own_first = foreign & (kind != "cumulative") & c("_base_obs").is_not_null()
    t = t.with_columns(
        change.alias("_change"),
        foreign.alias("_foreign"),
        is_intensive().alias("_intensive"),
        # decision: one year's value is no baseline for a five-year total (cumulative)
        pl.when(change).then(level0)
        .when(own_first).then(c("_base_obs"))
        .otherwise(pl.coalesce("baseline", pl.when(kind != "cumulative").then(c("_base_obs")))).alias("B"),
        pl.when(change & c("_base_obs").is_not_null()).then(pl.lit("observed"))
        .when(own_first).then(pl.lit("observed"))
        .when(c("baseline").is_not_null() & foreign).then(pl.lit("plan_region"))
        .when(c("baseline").is_not_null()).then(pl.lit("plan"))
        .when(c("_base_obs").is_not_null() & (kind != "cumulative")).then(pl.lit("observed")).alias("baseline_source"),
        c("years_observed").fill_null(0),
        c("years_held").fill_null(0),
        ((c("data_year") - c("y0")) / (c("yT") - c("y0"))).alias("elapsed"),
        pl.when(c("polarity") == "higher").then(1).when(c("polarity") == "lower").then(-1).otherwise(0).alias("_pol"),
        kind.is_in(LEVEL).alias("_level"),
    )  # fmt: skip
    gap = c("target") - c("B")
    t = t.with_columns(
        # the good direction: a comparator speaks for itself, else polarity, else T − B for "keep"
        pl.when(kind.is_in(["above", "at_least"])).then(1)
        .when(kind.is_in(["below", "at_most"])).then(-1)
        .when(c("_pol") != 0).then(c("_pol"))
        .otherwise(pl.when(gap > 0).then(1).when(gap < 0).then(-1).otherwise(0)).alias("_s"),
        (gap.abs() <= _tol(c("target"))).fill_null(False).alias("_flat"),
        pl.when(c("_change")).then(c("value") - c("B"))
        .when(kind == "cumulative").then(c("total"))
        .when(kind == "annual_average").then(c("mean"))
        .otherwise(c("value")).alias("_x"),
    )  # fmt: skip
    t = t.with_columns(c("_pol").fill_null(0))
    t = t.with_columns(condition(c("_x"), about_tolerance).alias("_cond"))
    return _bounded_condition(t, about_tolerance)


def _bounded_condition(t: pl.LazyFrame, about_tolerance: float) -> pl.LazyFrame:
    """A level reported only as a bound (``>95``) meets the target only if every value
    beyond the bound does, fails it only if none does; otherwise it is not shown (null).

    ``>95`` meets ``>95`` and ``≥95`` but does not prove ``≥96``; ``<5`` fails ``≥95``.
    """
    if "_bdir" not in t.collect_schema().names():
        return t.with_columns(pl.lit(0, pl.Int8).alias("_bdir"), pl.lit(False).alias("_bstrict"))
    bdir = c("_bdir").fill_null(0)
    nudge = pl.when(c("_bstrict").fill_null(False)).then(2 * _tol(c("target"))).otherwise(0.0)
    beyond = condition(c("_x") + bdir.cast(pl.Float64) * nudge, about_tolerance)
    held_level = (c("kind") == "about") & (c("_pol") == 0)  # a band: a bound never shows it
    bounded = (bdir != 0) & c("_level") & ~c("_change")
    cond = (
        pl.when(~bounded).then(c("_cond"))
        .when(held_level).then(pl.lit(None, pl.Boolean))
        .when(bdir == c("_s")).then(pl.when(beyond).then(True).otherwise(pl.lit(None, pl.Boolean)))
        .when(bdir == -c("_s")).then(pl.when(beyond).then(pl.lit(None, pl.Boolean)).otherwise(False))
        .otherwise(pl.lit(None, pl.Boolean))
    )  # fmt: skip
    return t.with_columns(cond.alias("_cond"), (bounded & cond.is_null()).alias("_unshown"))


def _progress(t: pl.LazyFrame) -> pl.LazyFrame:
    kind, B, T, x = c("kind"), c("B"), c("target"), c("_x")
    rho_level = pl.when(B.is_not_null() & ~c("_flat")).then(c("_s") * (x - B) / (T - B).abs())
    return t.with_columns(
        pl.when(c("_level") | (kind == "annual_average")).then(rho_level)
        .when((kind == "cumulative") & (T.abs() > EPS)).then(x / T)
        .alias("rho"),
        pl.when(c("_level")).then(B + c("elapsed") * (T - B))
        .when(kind == "cumulative").then(c("elapsed") * T)
        .when((kind == "annual_average") & c("data_year").is_not_null()).then(T)
        .when(kind == "full_coverage").then(pl.lit(None, pl.Float64))
        .when((kind == "keep_zero") & c("data_year").is_not_null()).then(pl.lit(0.0))
        .alias("expected"),
        ((c("years_held") == c("years_observed")) & (c("years_observed") > 0)).alias("_all_hold"),
    )  # fmt: skip


def _status(t: pl.LazyFrame) -> pl.LazyFrame:
    kind, rho, e = c("kind"), c("rho"), c("elapsed")
    measurable = kind.is_in([*LEVEL, "cumulative", "annual_average", "full_coverage", "keep_zero"])
    needs_value = kind.is_in([*LEVEL, "cumulative", "annual_average"])
    level_status = (
        pl.when(c("_cond"))
        .then(pl.lit("achieved"))
        .when(c("B").is_null())
        .then(pl.lit("no_data"))
        .when(c("_flat"))
        .then(
            # T = B: the condition alone decides; "no worse than B" is lagging (method §3)
            pl.when((c("_s") != 0) & (c("_s") * (c("_x") - c("B")) >= -EPS))
            .then(pl.lit("lagging"))
            .otherwise(pl.lit("regressing"))
        )
        .when(rho < 0)
        .then(pl.lit("regressing"))
        .when((kind == "about") & (c("_pol") == 0) & (rho > 1))
        .then(pl.lit("lagging"))  # decision: overshoot of a held level
        .when(rho >= e - EPS)
        .then(pl.lit("on_track"))
        .otherwise(pl.lit("lagging"))
    )
    average_status = (
        pl.when(c("_cond"))
        .then(pl.lit("achieved"))
        .when(rho < 0)
        .then(pl.lit("regressing"))
        .otherwise(pl.lit("lagging"))  # decision: the mean is already measured against T itself
    )
    cumulative_status = (
        pl.when(c("_s") >= 0)
        .then(
            pl.when(c("_cond"))
            .then(pl.lit("achieved"))
            .when(rho < 0)
            .then(pl.lit("regressing"))
            .when(rho >= e - EPS)
            .then(pl.lit("on_track"))
            .otherwise(pl.lit("lagging"))
        )
        .otherwise(  # decision: a cap on a five-year total (lower is better)
            pl.when(c("_x") > c("target") + EPS)
            .then(pl.lit("regressing"))
            .when(c("_cond"))
            .then(pl.lit("achieved"))
            .when(rho <= e + EPS)
            .then(pl.lit("on_track"))
            .otherwise(pl.lit("lagging"))
        )
    )
    worse_than_b = (
        pl.when(kind == "keep_zero")
        .then(c("value") > c("B") + EPS)
        .otherwise(c("value") < c("B") - EPS)
    )
    every_year_status = (
        pl.when(c("_all_hold") & (c("data_year") == c("yT")))
        .then(pl.lit("achieved"))
        .when(c("_all_hold"))
        .then(pl.lit("on_track"))
        .when(worse_than_b.fill_null(False))
        .then(pl.lit("regressing"))
        .otherwise(pl.lit("lagging"))
    )
    # decision: a plan judged for one of its regions sets that region no total (a national
    # count of beds is no target for a county); rates, shares and per-capita figures apply
    total_elsewhere = c("_foreign") & ~c("_intensive") & measurable
    status = (
        pl.when(~measurable).then(pl.lit("not_assessable"))
        .when(total_elsewhere).then(pl.lit("not_assessable"))
        .when(needs_value & c("target").is_null()).then(pl.lit("not_assessable"))
        .when(c("years_observed") == 0).then(pl.lit("no_data"))
        .when(c("_change") & c("B").is_null()).then(pl.lit("no_data"))
        .when(c("_unshown")).then(pl.lit("undetermined"))
        .when(c("_level")).then(level_status)
        .when(kind == "annual_average").then(average_status)
        .when(kind == "cumulative").then(cumulative_status)
        .otherwise(every_year_status)
    )  # fmt: skip
    method = (
        pl.when(~measurable | total_elsewhere).then(pl.lit("not_assessable"))
        .when(c("_level") & c("_flat")).then(pl.lit("condition_only"))
        .when(c("_level")).then(pl.lit("planned_change"))
        .when(c("_change")).then(pl.lit("cumulative_change"))
        .when(kind == "cumulative").then(pl.lit("cumulative_share"))
        .when(kind == "annual_average").then(pl.lit("annual_average"))
        .otherwise(pl.lit("every_year"))
    )  # fmt: skip
    # the reason's words are chosen here and written after the pipeline (reasons.word)
    t = t.with_columns(
        status.alias("status"),
        reasons.case(measurable, needs_value, total_elsewhere),
        method.alias("method"),
    )
    return t.with_columns(reasons.keep_figures())


def _projections(t: pl.LazyFrame, about_tolerance: float) -> pl.LazyFrame:
    kind, B, T = c("kind"), c("B"), c("target")
    has_b = B.is_not_null().cast(pl.Float64)
    n = c("years_observed").cast(pl.Float64) + has_b
    sy = c("total").fill_null(0) + B.fill_null(0)
    sx, sxy, sxx = c("_sx").fill_null(0), c("_sxy").fill_null(0), c("_sxx").fill_null(0)
    span = (c("yT") - c("y0")).cast(pl.Float64)
    since = (c("data_year") - c("y0")).cast(pl.Float64)

    def line(n_: pl.Expr, sy_: pl.Expr, at: pl.Expr) -> pl.Expr:
        den = n_ * sxx - sx * sx
        slope = (n_ * sxy - sx * sy_) / den
        return pl.when((n_ >= 2) & (den > EPS)).then((sy_ - slope * sx) / n_ + slope * at)

    n_obs = c("years_observed").cast(pl.Float64)
    avg_line = line(n_obs, c("total").fill_null(0), (span + 1) / 2)
    projected = (
        pl.when(c("_level")).then(line(n, sy, span))
        .when(kind == "cumulative").then(c("_x") / since * span)
        .when(kind == "annual_average").then(pl.when(n_obs == 1).then(c("mean")).otherwise(avg_line))
    )  # fmt: skip
    positive = (B > 0) & (c("_x") > 0) & (T > 0) & (since > 0)
    r_r = (T / B).pow(1.0 / span) - 1
    r_a = (c("_x") / B).pow(1.0 / since) - 1
    t = t.with_columns(
        pl.when(c("_level") & positive).then(r_r).alias("required_rate"),
        pl.when(c("_level") & positive).then(r_a).alias("actual_rate"),
        projected.alias("projected_linear"),
    )
    # Statistics Canada's R = d · r_a / |r_r| (d the good direction): equal to the ESCAP
    # ratio r_a / r_r when the target moves the good way, and still meaningful when the
    # baseline already met the target (moving away from it is then R < 0, deterioration)
    rated = c("_level") & (c("_s") != 0) & (c("required_rate").abs() > EPS)
    ratio = (
        pl.when(rated).then(c("_s") * c("actual_rate") / c("required_rate").abs())
        .when((kind == "cumulative") & (c("_s") >= 0) & (c("elapsed") > 0)).then(c("rho") / c("elapsed"))
    )  # fmt: skip
    t = t.with_columns(ratio.alias("anticipated_ratio"))
    final = c("data_year") == c("yT")
    likely = (
        pl.when(c("status").is_in(["no_data", "not_assessable", "undetermined"])).then(None)
        .when(final & kind.is_in(["full_coverage", "keep_zero"])).then(c("_all_hold"))
        .when(final).then(c("_cond"))
        .when(c("anticipated_ratio").is_not_null()).then(c("anticipated_ratio") >= 1 - EPS)
        .when(c("projected_linear").is_not_null()).then(condition(c("projected_linear"), about_tolerance))
    )  # fmt: skip
    ratio_, th = c("anticipated_ratio"), SDG_THRESHOLDS
    sdg = (
        pl.when(c("status").is_in(["no_data", "not_assessable", "undetermined"])).then(None)
        .when(kind.is_in(["full_coverage", "keep_zero"])).then(pl.when(c("_all_hold")).then(pl.lit("target_achieved")))
        .when(c("_cond")).then(pl.lit("target_achieved"))
        # decision: T = B (r_r = 0, no ratio): moving the bad way is deterioration, else limited
        .when(c("_level") & (c("_s") != 0) & (c("required_rate").abs() <= EPS))
        .then(pl.when(c("_s") * c("actual_rate") < -EPS).then(pl.lit("deterioration")).otherwise(pl.lit("limited_progress")))
        .when(ratio_.is_null()).then(None)
        .when(ratio_ >= th[0]).then(pl.lit("substantial_progress"))
        .when(ratio_ >= th[1]).then(pl.lit("moderate_progress"))
        .when(ratio_ >= th[2]).then(pl.lit("limited_progress"))
        .otherwise(pl.lit("deterioration"))
    )  # fmt: skip
    return t.with_columns(likely.alias("likely"), sdg.alias("sdg_progress"))


def _grade(t: pl.LazyFrame) -> pl.LazyFrame:
    kind = c("kind")
    final = (c("data_year") == c("yT")) & ~c("status").is_in(
        ["no_data", "not_assessable", "undetermined"]
    )
    grade = (
        pl.when(~final.fill_null(False)).then(None)
        .when(kind.is_in(["full_coverage", "keep_zero"]))
        .then(pl.when(c("_all_hold")).then(pl.lit("completed")).otherwise(pl.lit("not_completed")))
        .when(c("_cond")).then(pl.lit("completed"))
        .when((c("rho") >= 0.9 - EPS) & (c("_s") >= 0) | (c("rho") >= 0.9 - EPS) & (kind != "cumulative"))
        .then(pl.lit("basically_completed"))
        .otherwise(pl.lit("not_completed"))
    )  # fmt: skip
    lag = c("status").is_in(["lagging", "regressing"])
    binding = (c("nature") == "binding").fill_null(False)
    return t.with_columns(
        grade.alias("grade"),
        (lag & binding).alias("warning"),
        (lag & ~binding).alias("notice"),
    )


def judge(
    t: pl.DataFrame, *, year: int, about_tolerance: float, full_coverage_level: float
) -> pl.DataFrame:
    """Status, ρ, expected value, projections, grade and SDG class for every pair."""
    return reasons.word(_judge(t.lazy(), year, about_tolerance, full_coverage_level).collect())


def _judge(
    t: pl.LazyFrame, year: int, about_tolerance: float, full_coverage_level: float
) -> pl.LazyFrame:
    t = t.with_columns(
        pl.lit(year, pl.Int64).alias("_year"),
        pl.lit(about_tolerance, pl.Float64).alias("_about"),
        pl.lit(full_coverage_level, pl.Float64).alias("_full"),
    )
    t = _prepare(t, about_tolerance)
    t = _progress(t)
    is_fc = (c("kind") == "full_coverage") & c("data_year").is_not_null()
    t = t.with_columns(
        pl.when(is_fc).then(pl.lit(full_coverage_level)).otherwise(c("expected")).alias("expected")
    )
    t = _status(t)
    t = _projections(t, about_tolerance)
    t = _grade(t)
    # a total judged for another region measures nothing against the plan's target
    unjudged = (c("status") == "not_assessable") & c("_foreign") & ~c("_intensive")
    t = t.with_columns(
        pl.when(~unjudged).then(c(x)).alias(x)
        for x in ("rho", "expected", "projected_linear", "anticipated_ratio")
    )
    return t.with_columns(
        pl.lit(year, pl.Int64).alias("year"),
        c("kind").alias("target_kind"),
        c("B").alias("baseline"),
        c("_x").alias("value"),
        c("years_observed").cast(pl.Int64),
        c("years_held").cast(pl.Int64),
    )
