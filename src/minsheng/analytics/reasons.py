"""Every status but achieved explains itself: the reason in words, as polars expressions.

The words live once, in :data:`minsheng.analytics.reason_templates.TEMPLATES`, English
(``reason``) and Chinese (``reason_zh``) side by side; here the branches that choose a
reason are written once and built for each language. The words name the numbers the
verdict rests on ("2.4988 (2023) is below the target 2.5; behind the expected 2.44 for
2023" / "2.4988（2023年）低于目标2.5；低于2023年应达到的2.44"), with six significant
digits, so a value just short of its target never reads as equal to it.
Runs inside :mod:`minsheng.analytics.rules` on the columns it has prepared.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from minsheng.analytics.reason_templates import (
    COLUMN,
    LANGUAGES,
    PLACEHOLDER,
    TEMPLATES,
    Language,
    placeholders,
)

c = pl.col
Say = Callable[..., pl.Expr]


def num(x: pl.Expr) -> pl.Expr:
    """A number in words with enough digits to show why (six significant: 2.4988 stays 2.4988)."""
    text = x.cast(pl.Float64).round_sig_figs(6).cast(pl.Utf8).str.replace(r"\.0$", "")
    return pl.when(x.is_null()).then(pl.lit("—")).otherwise(text)


def bound_text() -> pl.Expr:
    """The comparator of a value reported only as a bound (``>``, ``≥``, ``<``, ``≤``)."""
    return (
        pl.when(c("_bdir") > 0).then(pl.when(c("_bstrict")).then(pl.lit(">")).otherwise(pl.lit("≥")))
        .otherwise(pl.when(c("_bstrict")).then(pl.lit("<")).otherwise(pl.lit("≤")))
    )  # fmt: skip


#: The numbers the reasons quote, by placeholder. Each is put in words once per row, as a
#: column (:func:`numbers`, added before the reasons and dropped after): every branch of a
#: when/then chain is evaluated on every row, and formatting the same floats in each
#: template branch cost most of the judging (issue 15: 143k verdicts, 2.6 s → 1.0 s).
QUOTED: dict[str, pl.Expr] = {
    "value": c("_x"), "target": c("target"), "baseline": c("B"), "expected": c("expected"),
    "latest": c("value"), "fail_value": c("_fail_value"), "full": c("_full"),
}  # fmt: skip
WORDS = tuple(f"_words_{name}" for name in QUOTED)


def numbers() -> list[pl.Expr]:
    """The quoted numbers in words, one temporary column each (drop :data:`WORDS` after)."""
    return [num(x).alias(w) for x, w in zip(QUOTED.values(), WORDS, strict=True)]


def _said(name: str) -> pl.Expr:
    return c(f"_words_{name}")


def _figures() -> dict[str, pl.Expr]:
    """Every figure a template may name, by its placeholder."""
    bar = (
        pl.when(c("kind") == "keep_zero")
        .then(pl.lit("> 0"))
        .otherwise(pl.format("< {}", _said("full")))
    )
    return {
        "value": _said("value"),
        "target": _said("target"),
        "baseline": _said("baseline"),
        "expected": _said("expected"),
        "latest": _said("latest"),
        "pct": num(c("_about") * 100),
        "year": c("data_year"),
        "y0": c("y0"),
        "yT": c("yT"),
        "years": c("years_observed"),
        "held": c("years_held"),
        "fail_year": c("_fail_year"),
        "fail_value": _said("fail_value"),
        "bar": bar,
        "plan_region": c("plan_region"),
        "first": c("y0") + 1,
        "last": pl.min_horizontal(c("yT"), c("_year")),
        "bound": pl.concat_str(bound_text(), _said("value")),
        "target_words": c("target_raw").fill_null(c("target").cast(pl.Utf8)),
    }  # fmt: skip


def speaker(language: Language) -> Say:
    """``say(key, **words)``: the reason ``key`` in ``language``, its placeholders filled from
    the row's figures (or from ``words``, for a part that is itself a worded reason)."""
    figures = _figures()

    def say(key: str, **words: pl.Expr) -> pl.Expr:
        template = TEMPLATES[key][language]
        names = placeholders(template)
        if not names:
            return pl.lit(template)
        given = figures | words
        return pl.format(PLACEHOLDER.sub("{}", template), *(given[name] for name in names))

    return say


def explain(language: Language) -> pl.Expr:
    """The reason in ``language`` for every status but achieved (a reason already set is kept).

    It names the numbers the verdict rests on, e.g. "2.4988 (2023) is below the target
    2.5; behind the expected 2.44 for 2023", "2023年未达标：97 < 100".
    """
    say = speaker(language)
    kind, s_, st, own = c("kind"), c("_s"), c("status"), c(COLUMN[language])
    gap = (
        pl.when(kind == "above").then(say("gap_not_above"))
        .when(kind == "at_least").then(say("gap_below"))
        .when(kind == "below").then(say("gap_not_below"))
        .when(kind == "at_most").then(say("gap_above"))
        .when(s_ == 1).then(say("gap_below"))
        .when(s_ == -1).then(say("gap_above"))
        .otherwise(say("gap_not_at"))
    )  # fmt: skip
    head = pl.when(kind == "about").then(say("head_about")).otherwise(say("head", gap=gap))
    behind = (
        pl.when(s_ == 1).then(say("behind_low"))
        .when(s_ == -1).then(say("behind_high"))
        .otherwise(say("behind"))
    )  # fmt: skip
    on_course = say("on_course")
    level = (
        pl.when(c("_flat") & (st == "lagging")).then(say("flat", head=head))
        .when(st == "regressing").then(pl.concat_str(head, say("worse")))
        .when((kind == "about") & (c("_pol") == 0) & (st == "lagging")).then(say("overshoot"))
        .when(st == "on_track").then(pl.concat_str(head, on_course))
        .otherwise(pl.concat_str(head, behind))
    )  # fmt: skip
    amount = pl.when(c("_change")).then(say("change")).otherwise(say("total"))
    cumulative = (
        pl.when((s_ < 0) & (st == "regressing")).then(say("cap_exceeded"))
        .when(s_ < 0).then(say("cap_pace"))
        .when(st == "regressing").then(say("wrong_way", amount=amount))
        .when(st == "on_track").then(pl.concat_str(amount, on_course))
        .otherwise(pl.concat_str(amount, behind))
    )  # fmt: skip
    average = pl.when(st == "regressing").then(say("mean_worse")).otherwise(say("mean_short"))
    every_year = (
        pl.when(st == "on_track").then(say("every_year_held"))
        .when(st == "regressing").then(say("year_failed_worse"))
        .otherwise(say("year_failed"))
    )  # fmt: skip
    verdict = (
        pl.when(c("_level")).then(level)
        .when(kind == "annual_average").then(average)
        .when(kind == "cumulative").then(cumulative)
        .otherwise(every_year)
    )  # fmt: skip
    explained = (
        pl.when(c("baseline_source") == "plan_region")
        .then(pl.concat_str(verdict, say("borrowed_baseline")))
        .otherwise(verdict)
    )
    return (
        pl.when(own.is_not_null()).then(own)
        .when(st.is_in(["achieved", "no_data", "not_assessable"])).then(own)
        .otherwise(explained)
    )  # fmt: skip


def explanations() -> list[pl.Expr]:
    """:func:`explain` in every language, each aliased to its column (``reason``, ``reason_zh``)."""
    return [explain(language).alias(COLUMN[language]) for language in LANGUAGES]


def special(
    measurable: pl.Expr, needs_value: pl.Expr, total_elsewhere: pl.Expr
) -> tuple[pl.Expr, pl.Expr]:
    """(``reason``, ``reason_zh``) of the statuses :func:`explain` does not word: not
    assessable, no data, a bound that cannot show the target; null elsewhere.

    The conditions are :func:`minsheng.analytics.rules._status`'s own, passed in, so the
    words follow the same branches as the status; a reason the specs set is kept.
    """
    cases: list[tuple[pl.Expr, str]] = [
        (~measurable, "no_measurable_form"),
        (needs_value & c("target").is_null(), "no_target_value"),
        (total_elsewhere, "total_elsewhere"),
        (c("years_observed") == 0, "no_values"),
        (c("_change") & c("B").is_null(), "no_change_level"),
        (c("_unshown"), "bound_unshown"),
        (c("_level") & ~c("_cond").fill_null(False) & c("B").is_null(), "no_baseline"),
    ]
    worded = []
    for language in LANGUAGES:
        say = speaker(language)
        words = pl.lit(None, pl.Utf8)
        for when, key in reversed(cases):  # the first case that holds speaks
            words = pl.when(when).then(say(key)).otherwise(words)
        worded.append(pl.coalesce(c(COLUMN[language]), words))
    en, zh = worded
    return en, zh
