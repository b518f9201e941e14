"""Every status but achieved explains itself: the ``reason`` in words, as a polars expression.

The words name the numbers the verdict rests on ("2.4988 (2023) is below the target
2.5; behind the expected 2.44 for 2023", "2023 did not hold: 97 < 100"), with six
significant digits, so a value just short of its target never reads as equal to it.
Runs inside :mod:`minsheng.analytics.rules` on the columns it has prepared.
"""

from __future__ import annotations

import polars as pl

c = pl.col


def num(x: pl.Expr) -> pl.Expr:
    """A number in words with enough digits to show why (six significant: 2.4988 stays 2.4988)."""
    text = x.cast(pl.Float64).round_sig_figs(6).cast(pl.Utf8).str.replace(r"\.0$", "")
    return pl.when(x.is_null()).then(pl.lit("—")).otherwise(text)


def explain() -> pl.Expr:
    """The ``reason`` in words for every status but achieved (a reason already set is kept).

    It names the numbers the verdict rests on, e.g. "2.4988 (2023) is below the target
    2.5; behind the expected 2.44 for 2023", "2023 did not hold: 97 < 100".
    """
    kind, s_, st = c("kind"), c("_s"), c("status")
    V, T, B, E, t = num(c("_x")), num(c("target")), num(c("B")), num(c("expected")), c("data_year")
    gap = (
        pl.when(kind == "above").then(pl.lit("is not above"))
        .when(kind == "at_least").then(pl.lit("is below"))
        .when(kind == "below").then(pl.lit("is not below"))
        .when(kind == "at_most").then(pl.lit("is above"))
        .when(kind == "about").then(pl.format("is not within {}% of", num(c("_about") * 100)))
        .when(s_ == 1).then(pl.lit("is below"))
        .when(s_ == -1).then(pl.lit("is above"))
        .otherwise(pl.lit("is not at"))
    )  # fmt: skip
    head = pl.format("{} ({}) {} the target {}", V, t, gap, T)
    behind = pl.format("; behind the expected {} for {}", E, t)
    on_course = pl.format("; on course: expected {} for {}", E, t)
    worse = pl.format("; worse than the baseline {} ({})", B, c("y0"))
    level = (
        pl.when(c("_flat") & (st == "lagging")).then(pl.format("{}; the target equals the baseline", head))
        .when(st == "regressing").then(pl.concat_str(head, worse))
        .when((kind == "about") & (c("_pol") == 0) & (st == "lagging"))
        .then(pl.format("{} ({}) overshoots the level {} to be held", V, t, T))
        .when(st == "on_track").then(pl.concat_str(head, on_course))
        .otherwise(pl.concat_str(head, behind))
    )  # fmt: skip
    change = pl.format(
        "a change of {} since {} ({} → {}) against the {} planned",
        V,
        c("y0"),
        B,
        num(c("value")),
        T,
    )
    total = pl.format(
        "the total {} of {} year(s) against the {} planned", V, c("years_observed"), T
    )
    amount = pl.when(c("_change")).then(change).otherwise(total)
    cumulative = (
        pl.when((s_ < 0) & (st == "regressing")).then(pl.format("the total {} exceeds the cap {}", V, T))
        .when(s_ < 0).then(pl.format("the total {} against the cap {}; the pace allows {} by {}", V, T, E, t))
        .when(st == "regressing").then(pl.format("{}; it went the wrong way", amount))
        .when(st == "on_track").then(pl.concat_str(amount, on_course))
        .otherwise(pl.concat_str(amount, behind))
    )  # fmt: skip
    average = (
        pl.when(st == "regressing")
        .then(pl.format("the mean {} of {} year(s) is worse than the previous period's {}", V, c("years_observed"), B))
        .otherwise(pl.format("the mean {} of {} year(s) is short of the target {}", V, c("years_observed"), T))
    )  # fmt: skip
    bar = (
        pl.when(kind == "keep_zero")
        .then(pl.lit("> 0"))
        .otherwise(pl.format("< {}", num(c("_full"))))
    )
    every_year = (
        pl.when(st == "on_track")
        .then(pl.format("every year observed held ({} of {}); {} not yet observed", c("years_held"), c("years_observed"), c("yT")))
        .when(st == "regressing")
        .then(pl.format("{} did not hold: {} {}; the latest {} is worse than the baseline {}",
                        c("_fail_year"), num(c("_fail_value")), bar, num(c("value")), B))
        .otherwise(pl.format("{} did not hold: {} {}", c("_fail_year"), num(c("_fail_value")), bar))
    )  # fmt: skip
    verdict = (
        pl.when(c("_level")).then(level)
        .when(kind == "annual_average").then(average)
        .when(kind == "cumulative").then(cumulative)
        .otherwise(every_year)
    )  # fmt: skip
    borrowed = pl.format("; baseline {} is the plan's: no {} value for this region", B, c("y0"))
    explained = (
        pl.when(c("baseline_source") == "plan_region")
        .then(pl.concat_str(verdict, borrowed))
        .otherwise(verdict)
    )
    return (
        pl.when(c("reason").is_not_null()).then(c("reason"))
        .when(st.is_in(["achieved", "no_data", "not_assessable"])).then(c("reason"))
        .otherwise(explained)
    )  # fmt: skip
