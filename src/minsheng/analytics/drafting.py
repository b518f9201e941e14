"""Evidence for drafting the next plan's targets, and proposals from stated rules.

For each indicator of a 2021–2025 plan the drafting team asks: where did we end
(the final grade, method §5), where is our own trend going (§4: least-squares
line and compound rate, carried to the new target year; the range the two
give), where do our peers stand (percentile, median, best quartile), what does
the level above demand, how far is the hard bound (a share cannot pass 100 %),
and is a candidate target over-promised or timid (§6: the required compound
rate against the region's own). :func:`evidence` answers all of it in one
vectorised pass over the observations; :func:`propose` turns a stated rule into
a number per indicator.

Rules (``RULES``): ``pace`` keeps the 2021–2025 pace (the compound rate where
defined, else the least-squares slope, else the level held); ``higher`` reaches
the higher plan's target (held at the 2025 value when already beyond it);
``peers`` closes half the gap to the peers' best quartile. A rule that cannot
apply (no higher target, no peers, already in the best quartile) falls back to
``pace`` and says so. Qualitative targets (应保尽保, 动态清零, words) are carried.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from minsheng.analytics.alignment import ambition_flag
from minsheng.analytics.specs import conform_specs
from minsheng.domain.drafting_rules import RULES

#: Target kinds that ask for a level in the target year.
LEVEL_KINDS = ["reach", "above", "at_least", "below", "at_most", "about"]
#: Kinds whose yearly observations are flows (a five-year total, an annual average).
FLOW_KINDS = ["cumulative", "annual_average"]
CARRIED_KINDS = ["full_coverage", "keep_zero", "qualitative", "multiple"]


def _is_share() -> pl.Expr:
    """A percentage share: bounded above by 100 (the unit or the cells say %)."""
    return pl.col("percent").fill_null(False) | (
        pl.col("unit").fill_null("").str.strip_chars() == "%"
    )


def evidence(
    specs: pl.DataFrame,
    observations: pl.DataFrame,
    *,
    region: str,
    base_year: int,
    to_year: int,
    peers: pl.DataFrame | None = None,
    higher: pl.DataFrame | None = None,
    grades: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per spec with the drafting evidence.

    ``observations``: ``indicator, region, year, value`` (indicator = spec key).
    ``peers``: ``indicator, region, value`` — one value per peer region (the
    region itself is left out here). ``higher``: ``canonical_code, higher_target,
    higher_kind, higher_nature, higher_target_raw, higher_percent``. ``grades``:
    ``indicator, grade`` (the final evaluation at ``base_year``).

    Trend (method §4): least squares through the plan's baseline point (y0, B)
    — when y0 itself was not observed — and the observations y0 < t ≤ base_year,
    evaluated at ``to_year``; compound rate r = (V/V_first)^(1/(t − t_first)) − 1
    carried as V (1 + r)^(to_year − t). Projections are clipped to [0, 100] for
    shares and at 0 otherwise. Flow kinds (【】 totals, annual averages) give the
    period total and the annual mean of the observed plan years.
    """
    s = conform_specs(specs)
    obs = (
        observations.select(
            pl.col("indicator").cast(pl.Utf8),
            pl.col("region").cast(pl.Utf8),
            pl.col("year").cast(pl.Int64),
            pl.col("value").cast(pl.Float64),
        )
        .filter((pl.col("region") == region) & pl.col("value").is_not_null())
        .join(s.select("indicator", "y0", "kind", "baseline"), on="indicator", how="inner")
        .filter((pl.col("year") >= pl.col("y0")) & (pl.col("year") <= base_year))
        .group_by("indicator", "year")
        .agg(pl.col("value").mean(), pl.col("y0").first(), pl.col("kind").first())
    )
    observed_y0 = obs.filter(pl.col("year") == pl.col("y0")).select("indicator").unique()
    baseline_points = (
        s.filter(pl.col("kind").is_in(LEVEL_KINDS) & pl.col("baseline").is_not_null())
        .join(observed_y0, on="indicator", how="anti")
        .select(
            "indicator", pl.col("y0").alias("year"), pl.col("baseline").alias("value"), "y0", "kind"
        )
    )
    levels = pl.concat([obs.filter(pl.col("kind").is_in(LEVEL_KINDS)), baseline_points]).sort(
        "indicator", "year"
    )
    x = pl.col("year").cast(pl.Float64)
    trend = levels.group_by("indicator").agg(
        pl.len().alias("points"),
        pl.col("year").first().alias("first_year"),
        pl.col("value").first().alias("first_value"),
        x.sum().alias("_sx"),
        pl.col("value").sum().alias("_sy"),
        (x * x).sum().alias("_sxx"),
        (x * pl.col("value")).sum().alias("_sxy"),
    )
    latest = (
        obs.filter(pl.col("year") <= base_year)
        .sort("year")
        .group_by("indicator")
        .agg(pl.col("year").last().alias("value_year"), pl.col("value").last().alias("value"))
    )
    flows = (
        obs.filter(pl.col("kind").is_in(FLOW_KINDS) & (pl.col("year") > pl.col("y0")))
        .group_by("indicator")
        .agg(
            pl.col("value").sum().alias("period_total"),
            pl.col("value").mean().alias("annual_mean"),
            pl.len().alias("flow_years"),
        )
    )
    t = (
        s.join(latest, on="indicator", how="left")
        .join(trend, on="indicator", how="left")
        .join(flows, on="indicator", how="left")
    )
    n = pl.col("points").cast(pl.Float64)
    denominator = n * pl.col("_sxx") - pl.col("_sx") ** 2
    slope = pl.when((pl.col("points") >= 2) & (denominator != 0)).then(
        (n * pl.col("_sxy") - pl.col("_sx") * pl.col("_sy")) / denominator
    )
    span = (pl.col("value_year") - pl.col("first_year")).cast(pl.Float64)
    rate = pl.when(
        (pl.col("value") > 0)
        & (pl.col("first_value") > 0)
        & (span > 0)
        & pl.col("kind").is_in(LEVEL_KINDS)
    ).then((pl.col("value") / pl.col("first_value")).pow(1.0 / span) - 1)
    upper = pl.when(_is_share()).then(pl.lit(100.0))
    t = t.with_columns(
        slope.alias("slope"), rate.alias("historical_rate"), upper.alias("upper_bound")
    )

    def clip(e: pl.Expr) -> pl.Expr:
        """Into [0, upper bound]: no share passes 100 %, no quantity falls below 0.

        No projection stays none: ``max_horizontal`` skips nulls and would make it 0."""
        clipped = pl.min_horizontal(
            pl.max_horizontal(e, pl.lit(0.0)), pl.col("upper_bound").fill_null(float("inf"))
        )
        return pl.when(e.is_not_null()).then(clipped)

    t = t.with_columns(
        clip(pl.col("_sy") / n + pl.col("slope") * (to_year - pl.col("_sx") / n)).alias("linear"),
        clip(
            pl.col("value") * (1 + pl.col("historical_rate")).pow(to_year - pl.col("value_year"))
        ).alias("compound"),
    ).with_columns(
        pl.min_horizontal("linear", "compound").alias("range_low"),
        pl.max_horizontal("linear", "compound").alias("range_high"),
        pl.when(pl.col("polarity") == "lower")
        .then(pl.col("value"))
        .when(pl.col("upper_bound").is_not_null())
        .then(pl.col("upper_bound") - pl.col("value"))
        .alias("headroom"),
    )
    t = _with_peers(t, peers, region)
    t = _with_higher(t, higher)
    if grades is not None and grades.height:
        t = t.join(
            grades.select("indicator", "grade").unique("indicator"), on="indicator", how="left"
        )
    else:
        t = t.with_columns(pl.lit(None, pl.Utf8).alias("grade"))
    return t.drop("_sx", "_sy", "_sxx", "_sxy").with_columns(
        pl.lit(base_year).alias("base_year"), pl.lit(to_year).alias("to_year")
    )


def _with_peers(t: pl.DataFrame, peers: pl.DataFrame | None, region: str) -> pl.DataFrame:
    if peers is None or peers.height == 0:
        return t.with_columns(
            pl.lit(0, pl.UInt32).alias("peer_count"),
            *(
                pl.lit(None, pl.Float64).alias(c)
                for c in ("peer_median", "peer_best_quartile", "percentile")
            ),
        )
    p = peers.select(
        pl.col("indicator").cast(pl.Utf8),
        pl.col("region").cast(pl.Utf8),
        pl.col("value").cast(pl.Float64),
    )
    p = p.filter((pl.col("region") != region) & pl.col("value").is_not_null())
    joined = p.join(
        t.select("indicator", "polarity", pl.col("value").alias("own")), on="indicator", how="inner"
    )
    worse = (
        pl.when(pl.col("polarity") == "lower")
        .then(pl.col("value") > pl.col("own"))
        .otherwise(pl.col("value") < pl.col("own"))
    )
    stats = joined.group_by("indicator").agg(
        pl.len().alias("peer_count"),
        pl.col("value").median().alias("peer_median"),
        pl.col("value").quantile(0.25, "linear").alias("_q25"),
        pl.col("value").quantile(0.75, "linear").alias("_q75"),
        pl.col("polarity").first().alias("_pol"),
        # percentile rank in the good direction: peers worse than us, ties counting half
        (
            (
                worse.cast(pl.Float64).sum()
                + 0.5 * (pl.col("value") == pl.col("own")).cast(pl.Float64).sum()
            )
            / pl.len()
            * 100
        ).alias("percentile"),
    )
    stats = stats.with_columns(
        pl.when(pl.col("_pol") == "lower")
        .then(pl.col("_q25"))
        .otherwise(pl.col("_q75"))
        .alias("peer_best_quartile")
    ).drop("_q25", "_q75", "_pol")
    return t.join(stats, on="indicator", how="left").with_columns(pl.col("peer_count").fill_null(0))


def _with_higher(t: pl.DataFrame, higher: pl.DataFrame | None) -> pl.DataFrame:
    columns = {
        "higher_target": pl.Float64,
        "higher_kind": pl.Utf8,
        "higher_nature": pl.Utf8,
        "higher_target_raw": pl.Utf8,
        "higher_percent": pl.Boolean,
    }
    if higher is None or higher.height == 0:
        return t.with_columns(*(pl.lit(None, d).alias(c) for c, d in columns.items()))
    h = higher.filter(pl.col("canonical_code").is_not_null()).unique("canonical_code", keep="first")
    h = h.select("canonical_code", *(pl.col(c).cast(d) for c, d in columns.items()))
    return t.join(h, on="canonical_code", how="left")


def _good(polarity: pl.Expr) -> pl.Expr:
    return pl.when(polarity == "lower").then(-1.0).otherwise(1.0)


def propose(
    ev: pl.DataFrame,
    rule: str = "pace",
    rules: Mapping[str, str] | None = None,
    *,
    candidates: Mapping[str, float] | None = None,
    factor: float = 1.5,
) -> pl.DataFrame:
    """Add a proposed target per row from ``rule`` (or ``rules[indicator]``), with the §6 check.

    Adds ``rule`` (asked), ``rule_used`` (applied; ``carry`` for qualitative
    targets, ``hold`` when no trend exists), ``fallback`` (why the asked rule did not
    apply), ``proposed`` (rounded to the precision of the plan's own cells),
    ``proposed_kind``, ``required_rate`` = (T/V)^(1/(to_year − t)) − 1,
    ``ambition`` (``above_history``/``below_history``/null, :func:`ambition_flag`),
    ``proposed_nature`` (binding when the higher plan's indicator is binding) and
    ``short_of_higher`` (the proposal falls short of a comparable higher target).
    ``candidates`` (indicator → value) are an analyst's own targets: they replace the
    rule's number (``rule_used = candidate``) and get the same §6 check.
    """
    for r in {rule, *(rules or {}).values()}:
        if r not in RULES:
            from minsheng.domain.errors import InvalidData

            raise InvalidData(f"unknown rule {r!r}: choose one of {', '.join(RULES)}")
    asked = pl.col("indicator").replace_strict(
        dict(rules or {}), default=pl.lit(rule), return_dtype=pl.Utf8
    )
    t = ev.with_columns(asked.alias("rule"))
    good = _good(pl.col("polarity"))
    level = pl.col("kind").is_in(LEVEL_KINDS)
    keep = pl.col("polarity") == "keep"
    projected = pl.coalesce("compound", "linear")
    # keeping the pace never proposes going backwards: a worsening trend holds the 2025 level
    worsening = ~keep & (good * (projected - pl.col("value")) < 0)
    trend = pl.coalesce(pl.when(~keep & ~worsening).then(projected), "value")
    flow = (
        pl.when(pl.col("kind") == "cumulative")
        .then(pl.col("annual_mean") * (pl.col("to_year") - pl.col("base_year")))
        .when(pl.col("kind") == "annual_average")
        .then(pl.col("annual_mean"))
    )
    pace = pl.when(level).then(trend).otherwise(flow)
    pace_used = (
        pl.when(level & (keep | worsening.fill_null(False) | projected.is_null()))
        .then(pl.lit("hold"))
        .when(pl.col("kind").is_in(FLOW_KINDS) | level)
        .then(pl.lit("pace"))
    )
    comparable = (
        level
        & pl.col("higher_target").is_not_null()
        & pl.col("higher_kind").is_in(LEVEL_KINDS)
        & (pl.col("percent").fill_null(False) == pl.col("higher_percent").fill_null(False))
    )
    beyond_higher = good * (pl.col("higher_target") - pl.col("value")) <= 0
    higher_value = (
        pl.when(comparable & pl.col("value").is_not_null())
        .then(pl.when(beyond_higher).then(pl.col("value")).otherwise(pl.col("higher_target")))
        .when(comparable)
        .then(pl.col("higher_target"))
    )
    gap = pl.col("peer_best_quartile") - pl.col("value")
    peers_value = pl.when(
        level & pl.col("peer_best_quartile").is_not_null() & (good * gap > 0)
    ).then(pl.col("value") + 0.5 * gap)
    peers_why = (
        pl.when(~level).then(pl.lit("not a level target"))
        .when(pl.col("peer_count").fill_null(0) == 0).then(pl.lit("no peer observed"))
        .when(pl.col("value").is_null()).then(pl.lit("no 2025 value"))
        .otherwise(pl.lit("already in the peers' best quartile"))
    )  # fmt: skip
    higher_why = (
        pl.when(~level)
        .then(pl.lit("not a level target"))
        .otherwise(pl.lit("no comparable higher-level target"))
    )
    carried = pl.col("kind").is_in(CARRIED_KINDS)
    t = t.with_columns(
        (comparable & beyond_higher).fill_null(False).alias("beyond_higher"),
        worsening.fill_null(False).alias("trend_worsening"),
        pace.alias("_pace"),
        pace_used.alias("_pace_used"),
        higher_value.alias("_higher"),
        peers_value.alias("_peers"),
        comparable.fill_null(False).alias("_comparable"),
    )
    chosen = (
        pl.when(pl.col("rule") == "higher").then(pl.col("_higher"))
        .when(pl.col("rule") == "peers").then(pl.col("_peers"))
    )  # fmt: skip
    t = t.with_columns(
        pl.when(carried).then(pl.lit("carry"))
        .when(chosen.is_not_null()).then(pl.col("rule"))
        .otherwise(pl.col("_pace_used"))
        .alias("rule_used"),
        pl.when(~carried & chosen.is_null() & (pl.col("rule") == "higher")).then(higher_why)
        .when(~carried & chosen.is_null() & (pl.col("rule") == "peers")).then(peers_why)
        .alias("fallback"),
        pl.when(carried).then(None).otherwise(pl.coalesce(chosen, "_pace")).alias("_raw_proposed"),
    )  # fmt: skip

    def decimals(column: str) -> pl.Expr:
        return pl.col(column).fill_null("").str.extract(r"\d\.(\d+)").str.len_chars().fill_null(0)

    own_cells = pl.any_horizontal(
        pl.col(c).fill_null("").str.contains(r"\d") for c in ("baseline_raw", "target_raw")
    )
    # a row with no number of its own (a catalogue row added to the draft) takes the
    # higher target's decimals, else the two decimals of the widest rounding
    digits = (
        pl.when(own_cells)
        .then(pl.max_horizontal(decimals("baseline_raw"), decimals("target_raw"), pl.lit(0)))
        .when(pl.col("higher_target_raw").fill_null("").str.contains(r"\d"))
        .then(decimals("higher_target_raw"))
        .otherwise(pl.lit(2))
        .clip(0, 2)
    )
    scale = pl.lit(10.0).pow(digits)
    scaled = pl.col("_raw_proposed") * scale
    # a held level is rounded the good way, so that rounding never proposes going backwards
    # (beyond the higher target only matters when that rule was used: the pace rounds to nearest)
    held = (pl.col("rule_used") == "hold") | (
        (pl.col("rule_used") == "higher") & pl.col("beyond_higher")
    )
    proposed = (
        pl.when(held & (pl.col("polarity") == "lower"))
        .then((scaled + 1e-9).floor())
        .when(held)
        .then((scaled - 1e-9).ceil())
        .otherwise(scaled.round(0))
    ) / scale
    t = t.with_columns(
        proposed.alias("proposed"), pl.col("kind").alias("proposed_kind"), digits.alias("digits")
    )
    if candidates:
        given = pl.col("indicator").replace_strict(
            dict(candidates), default=None, return_dtype=pl.Float64
        )
        t = t.with_columns(
            pl.when(given.is_not_null())
            .then(pl.lit("candidate"))
            .otherwise(pl.col("rule_used"))
            .alias("rule_used"),
            pl.when(given.is_not_null()).then(None).otherwise(pl.col("fallback")).alias("fallback"),
            pl.coalesce(given, pl.col("proposed")).alias("proposed"),
        )
    span = (pl.col("to_year") - pl.col("value_year")).cast(pl.Float64)
    required = pl.when(level & (pl.col("proposed") > 0) & (pl.col("value") > 0) & (span > 0)).then(
        (pl.col("proposed") / pl.col("value")).pow(1.0 / span) - 1
    )
    t = t.with_columns(required.alias("required_rate")).with_columns(
        # a share proposed at 100 % can ask no more: "timid" would be noise there
        pl.when(
            (pl.col("polarity") != "lower")
            & (pl.col("proposed") >= pl.col("upper_bound").fill_null(float("inf")))
        )
        .then(None)
        .otherwise(
            ambition_flag(good * pl.col("required_rate"), good * pl.col("historical_rate"), factor)
        )
        .alias("ambition"),
        pl.when(pl.col("higher_nature") == "binding")
        .then(pl.lit("binding"))
        .otherwise(pl.col("nature"))
        .alias("proposed_nature"),
        # a proposal that stops short of the level above's target, whichever rule gave it:
        # the drafting team must see it beside the number (consistency with the higher plan)
        (pl.col("_comparable") & (good * (pl.col("higher_target") - pl.col("proposed")) > 0))
        .fill_null(False)
        .alias("short_of_higher"),
    )
    return t.drop("_pace", "_pace_used", "_higher", "_peers", "_raw_proposed", "_comparable")
