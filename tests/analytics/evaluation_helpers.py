"""Builders for hand-computed evaluation cases (imported by the tests of this folder)."""

from __future__ import annotations

import polars as pl

from minsheng.domain.indicators import Nature, PlanIndicator, Polarity
from minsheng.domain.targets import parse_target


def indicator(
    baseline: str | None,
    target: str | None,
    *,
    name: str = "x",
    nature: Nature | None = Nature.BINDING,
    polarity: Polarity | None = None,
    seq: int = 1,
) -> PlanIndicator:
    return PlanIndicator(
        seq,
        None,
        name,
        None,
        baseline,
        target,
        nature,
        baseline=parse_target(baseline),
        target=parse_target(target),
        polarity=polarity,
    )


def observations(values: dict[int, float], name: str = "x", region: str = "110101") -> pl.DataFrame:
    return pl.DataFrame(
        {
            "indicator": [name] * len(values),
            "region": [region] * len(values),
            "year": list(values),
            "value": [float(v) for v in values.values()],
        },
        schema={"indicator": pl.Utf8, "region": pl.Utf8, "year": pl.Int64, "value": pl.Float64},
    )
