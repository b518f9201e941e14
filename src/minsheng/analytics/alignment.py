"""Target ambition and alignment with the higher-level plan (evaluation method §6).

For a plan being drafted or reviewed, flag targets that look over-promised or
under-ambitious ("不吊高胃口、不过度承诺"). Rows are matched to the higher-level
plan by canonical indicator code (national → province → prefecture → county).
Every flag states its numbers; none is a verdict.

Flags:

* ``missing_binding`` — a binding indicator of the higher plan is absent locally;
* ``binding_made_anticipatory`` — present, but anticipatory locally;
* ``below_higher_target`` — the local target is worse than the higher plan's in
  the indicator's good direction. Only intensive quantities are compared (rates,
  shares, per-capita and per-thousand figures): a county's total of beds is not
  comparable with the nation's. Only targets of one form are compared — an
  end-year level with a level, a yearly average (``5*`` 年均) with a yearly average;
* ``different_form`` — the two plans state the target in different forms (a yearly
  average against an end-year level or a five-year total): not compared, and said so;
* ``above_history`` / ``below_history`` — the compound rate the target requires,
  r_r = (T/B)^(1/(yT−y0)) − 1, against the region's own rate over the previous
  plan period, r_h = (V_y0 / V_y0−k)^(1/k) − 1, both read in the good direction:
  above when r_r > ``factor`` × r_h (or progress is required where history shows
  none), below when r_r < r_h / ``factor``.
"""

from __future__ import annotations

import polars as pl

from minsheng.analytics.specs import conform_specs
from minsheng.domain.errors import InvalidData

FLAG_COLUMNS = {
    "flag": pl.Utf8,
    "indicator": pl.Utf8,
    "canonical_code": pl.Utf8,
    "local_nature": pl.Utf8,
    "higher_nature": pl.Utf8,
    "local_target": pl.Float64,
    "higher_target": pl.Float64,
    "polarity": pl.Utf8,
    "required_rate": pl.Float64,
    "historical_rate": pl.Float64,
    "history_from": pl.Int64,
    "message": pl.Utf8,
    "message_zh": pl.Utf8,  # the same words in Chinese (pages and reports), written beside each
}
_INTENSIVE = r"率|占比|比例|比重|每|人均|平均|覆盖|%"
_LEVEL = ["reach", "above", "at_least", "below", "at_most", "about"]
#: The form a numeric target states: only targets of one form are compared or combined.
FORMS = {k: "level" for k in _LEVEL} | {
    "cumulative": "cumulative",
    "annual_average": "annual_average",
}
_FORM_WORDS = {
    "level": ("an end-year level", "期末水平值"),
    "cumulative": ("a five-year total", "五年累计值"),
    "annual_average": ("a yearly average", "年均值"),
}


def target_form(prefix: str = "") -> pl.Expr:
    """``level`` / ``cumulative`` / ``annual_average`` from a ``kind`` column; null for
    targets without a number (应保尽保, words)."""
    return pl.col(f"{prefix}kind").replace_strict(FORMS, default=None, return_dtype=pl.Utf8)


def _form_words(prefix: str, zh: bool) -> pl.Expr:
    words = {form: pair[1 if zh else 0] for form, pair in _FORM_WORDS.items()}
    return target_form(prefix).replace_strict(words, default="", return_dtype=pl.Utf8)


def is_intensive(prefix: str = "") -> pl.Expr:
    """Rates, shares, per-capita and per-thousand figures: comparable across levels, averaged not summed."""
    unit = pl.col(f"{prefix}unit").fill_null("")
    name = pl.col(f"{prefix}name").fill_null("")
    return (
        pl.col(f"{prefix}percent").fill_null(False)
        | name.str.contains(_INTENSIVE)
        | unit.str.contains(_INTENSIVE)
    )


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema=FLAG_COLUMNS)


def _flags(pairs: pl.DataFrame, flag: str, message: pl.Expr, message_zh: pl.Expr) -> pl.DataFrame:
    """One ``flag`` a row of local/higher pairs (``h_``-prefixed columns: the higher plan's)."""
    return pairs.select(
        pl.lit(flag).alias("flag"),
        "indicator",
        "canonical_code",
        pl.col("nature").alias("local_nature"),
        pl.col("h_nature").alias("higher_nature"),
        pl.col("target").alias("local_target"),
        pl.col("h_target").alias("higher_target"),
        "polarity",
        message.alias("message"),
        message_zh.alias("message_zh"),
    )


def compare_with_higher(local: pl.DataFrame, higher: pl.DataFrame) -> pl.DataFrame:
    """Flags from the higher-level plan: missing or softened binding indicators, lower targets."""
    local, higher = conform_specs(local), conform_specs(higher)
    loc = local.filter(pl.col("canonical_code").is_not_null())
    hi = higher.filter(pl.col("canonical_code").is_not_null()).unique(
        "canonical_code", keep="first", maintain_order=True
    )
    hi = hi.select(
        "canonical_code",
        pl.col("name").alias("h_name"),
        pl.col("nature").alias("h_nature"),
        pl.col("kind").alias("h_kind"),
        pl.col("target").alias("h_target"),
        pl.col("target_raw").alias("h_target_raw"),
        pl.col("percent").alias("h_percent"),
        pl.col("unit").alias("h_unit"),
    )
    missing = hi.join(loc.select("canonical_code"), on="canonical_code", how="anti").filter(
        pl.col("h_nature") == "binding"
    )
    flags = [
        _flags(
            missing.with_columns(
                pl.col("h_name").alias("indicator"),
                pl.lit(None, pl.Utf8).alias("nature"),
                pl.lit(None, pl.Float64).alias("target"),
                pl.lit(None, pl.Utf8).alias("polarity"),
            ),
            "missing_binding",
            pl.format(
                "binding in the higher plan (target {}), absent here",
                pl.col("h_target_raw").fill_null("—"),
            ),
            pl.format(
                "上级规划的约束性指标（目标{}），本规划未列", pl.col("h_target_raw").fill_null("—")
            ),
        )
    ]
    both = loc.join(hi, on="canonical_code", how="inner")
    softened = both.filter((pl.col("h_nature") == "binding") & (pl.col("nature") == "anticipatory"))
    flags.append(
        _flags(
            softened,
            "binding_made_anticipatory",
            pl.format(
                "binding in the higher plan, anticipatory here (target {} vs {})",
                pl.col("target_raw").fill_null("—"),
                pl.col("h_target_raw").fill_null("—"),
            ),
            pl.format(
                "上级规划为约束性，本规划为预期性（目标{}，上级{}）",
                pl.col("target_raw").fill_null("—"),
                pl.col("h_target_raw").fill_null("—"),
            ),
        )
    )
    both = both.with_columns(target_form().alias("_form"), target_form("h_").alias("_h_form"))
    stated = pl.col("target").is_not_null() & pl.col("h_target").is_not_null()
    other_form = both.filter(
        stated & pl.col("_form").is_not_null() & pl.col("_h_form").is_not_null()
        & (pl.col("_form") != pl.col("_h_form"))
    )  # fmt: skip
    local_raw = pl.col("target_raw").fill_null(pl.col("target").cast(pl.Utf8))
    higher_raw = pl.col("h_target_raw").fill_null(pl.col("h_target").cast(pl.Utf8))
    flags.append(
        _flags(
            other_form,
            "different_form",
            pl.format(
                "stated as {} here ({}) and as {} in the higher plan ({}): not compared",
                _form_words("", zh=False),
                local_raw,
                _form_words("h_", zh=False),
                higher_raw,
            ),
            pl.format(
                "本规划以{}表述（{}），上级规划以{}表述（{}），口径不同，未作比较",
                _form_words("", zh=True),
                local_raw,
                _form_words("h_", zh=True),
                higher_raw,
            ),
        )  # fmt: skip
    )
    comparable = (
        pl.col("_form").is_in(["level", "annual_average"])
        & (pl.col("_form") == pl.col("_h_form"))
        & pl.col("target").is_not_null()
        & pl.col("h_target").is_not_null()
        & (pl.col("percent").fill_null(False) == pl.col("h_percent").fill_null(False))
        & is_intensive()
        & (
            pl.col("h_percent").fill_null(False)
            | pl.col("h_name").fill_null("").str.contains(_INTENSIVE)
            | pl.col("h_unit").fill_null("").str.contains(_INTENSIVE)
        )
    )
    worse = (
        pl.when(pl.col("polarity") == "higher").then(pl.col("target") < pl.col("h_target"))
        .when(pl.col("polarity") == "lower").then(pl.col("target") > pl.col("h_target"))
        .otherwise(False)
    )  # fmt: skip
    below = both.filter(comparable & worse)
    yearly = pl.when(pl.col("_form") == "annual_average")
    flags.append(
        _flags(
            below,
            "below_higher_target",
            pl.format(
                "target {} is below the higher plan's {} ({} is better){}",
                local_raw,
                higher_raw,
                pl.col("polarity"),
                yearly.then(pl.lit("; both yearly averages")).otherwise(pl.lit("")),
            ),
            pl.format(
                "目标{}不及上级规划的{}（{}{}）",
                local_raw,
                higher_raw,
                pl.when(pl.col("polarity") == "lower")
                .then(pl.lit("越低越好"))
                .otherwise(pl.lit("越高越好")),
                yearly.then(pl.lit("；均为年均值")).otherwise(pl.lit("")),
            ),
        )
    )
    out = pl.concat(
        [
            f.with_columns(
                pl.lit(None, pl.Float64).alias("required_rate"),
                pl.lit(None, pl.Float64).alias("historical_rate"),
                pl.lit(None, pl.Int64).alias("history_from"),
            ).select(list(FLAG_COLUMNS))
            for f in flags
        ],
        how="vertical_relaxed",
    )
    return out.cast(FLAG_COLUMNS)  # type: ignore[arg-type]


def ambition_flag(required: pl.Expr, historical: pl.Expr, factor: float = 1.5) -> pl.Expr:
    """``above_history`` / ``below_history`` / null from two rates read in the good direction.

    Above: the target needs more than ``factor`` × the region's own rate, or progress
    where its history shows none; below: less than the rate ÷ ``factor``.
    """
    return (
        pl.when(
            ((historical > 0) & (required > factor * historical))
            | ((historical <= 0) & (required > 0))
        )
        .then(pl.lit("above_history"))
        .when((historical > 0) & (required < historical / factor))
        .then(pl.lit("below_history"))
    )


def compare_with_history(
    specs: pl.DataFrame,
    history: pl.DataFrame,
    *,
    region: str | None = None,
    factor: float = 1.5,
    lookback: int = 5,
) -> pl.DataFrame:
    """Required compound rate against the region's own rate over the previous period.

    ``history`` is ``indicator, region, year, value`` (indicator = spec key). The
    historical rate runs from the earliest year in [y0 − lookback, y0) to the
    value at y0 (the plan's baseline where the history lacks y0).
    """
    if factor <= 1:
        raise InvalidData("factor must be above 1")
    specs = conform_specs(specs)
    hist = history
    if region is not None:
        hist = hist.filter(pl.col("region").cast(pl.Utf8) == str(region))
    s = specs.filter(
        pl.col("kind").is_in([*_LEVEL]) & (pl.col("baseline") > 0) & (pl.col("target") > 0)
    )
    joined = hist.select(
        pl.col("indicator").cast(pl.Utf8),
        pl.col("year").cast(pl.Int64),
        pl.col("value").cast(pl.Float64),
    ).join(s.select("indicator", "y0"), on="indicator", how="inner")
    start = (
        joined.filter(
            (pl.col("year") < pl.col("y0"))
            & (pl.col("year") >= pl.col("y0") - lookback)
            & (pl.col("value") > 0)
        )
        .sort("year")
        .group_by("indicator")
        .agg(pl.col("year").first().alias("history_from"), pl.col("value").first().alias("v_from"))
    )
    at_base = (
        joined.filter(pl.col("year") == pl.col("y0"))
        .group_by("indicator")
        .agg(pl.col("value").mean().alias("v_base"))
    )
    t = s.join(start, on="indicator", how="inner").join(at_base, on="indicator", how="left")
    v0 = pl.coalesce("v_base", "baseline")
    sign = pl.when(pl.col("polarity") == "lower").then(-1.0).otherwise(1.0)
    t = t.with_columns(
        (
            (pl.col("target") / pl.col("baseline")).pow(1.0 / (pl.col("yT") - pl.col("y0"))) - 1
        ).alias("required_rate"),
        ((v0 / pl.col("v_from")).pow(1.0 / (pl.col("y0") - pl.col("history_from"))) - 1).alias(
            "historical_rate"
        ),
    ).with_columns(
        (sign * pl.col("required_rate")).alias("_gr"),
        (sign * pl.col("historical_rate")).alias("_gh"),
    )
    t = t.with_columns(ambition_flag(pl.col("_gr"), pl.col("_gh"), factor).alias("flag")).filter(
        pl.col("flag").is_not_null()
    )
    pct = lambda c: (pl.col(c) * 100).round(2).cast(pl.Utf8)  # noqa: E731
    return t.select(
        "flag",
        "indicator",
        "canonical_code",
        pl.col("nature").alias("local_nature"),
        pl.lit(None, pl.Utf8).alias("higher_nature"),
        pl.col("target").alias("local_target"),
        pl.lit(None, pl.Float64).alias("higher_target"),
        "polarity",
        "required_rate",
        "historical_rate",
        "history_from",
        pl.format(
            "requires {}% a year; {}–{} the region moved {}% a year",
            pct("required_rate"),
            pl.col("history_from"),
            pl.col("y0"),
            pct("historical_rate"),
        ).alias("message"),
        pl.format(
            "要求年均{}%；{}—{}年本地区年均{}%",
            pct("required_rate"),
            pl.col("history_from"),
            pl.col("y0"),
            pct("historical_rate"),
        ).alias("message_zh"),
    ).cast(FLAG_COLUMNS)  # type: ignore[arg-type]


def align(
    local: pl.DataFrame,
    higher: pl.DataFrame | None = None,
    *,
    history: pl.DataFrame | None = None,
    region: str | None = None,
    factor: float = 1.5,
) -> pl.DataFrame:
    """Every §6 flag for a local plan: against the higher plan and against its own history."""
    parts = []
    if higher is not None:
        parts.append(compare_with_higher(local, higher))
    if history is not None:
        parts.append(compare_with_history(local, history, region=region, factor=factor))
    return pl.concat(parts, how="vertical") if parts else _empty()
