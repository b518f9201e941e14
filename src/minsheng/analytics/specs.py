"""Indicator specs: a plan's indicator rows flattened into the table the kernel reads.

The evaluation kernel (:mod:`minsheng.analytics.evaluation`) works on two
tables, specs and observations, so that a whole country's plans are judged in
one vectorised pass. A spec row carries everything the method needs about one
target: its form (§1), baseline B in year y0 (a footnote may move y0, e.g.
"2019 data"), target T in year yT, polarity (§2) and whether it was inferred.

A two-quantity cell (``1329栋 53275户``) becomes one spec per quantity, keyed
``"name [unit]"``: each part is judged against its own number, because the
two quantities cannot be added or averaged (docs/evaluation.md).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

import polars as pl

from minsheng.analytics.reason_templates import worded
from minsheng.data import data_file
from minsheng.domain.indicators import (
    Nature,
    PlanIndicator,
    Polarity,
    infer_polarity,
    polarity_from_name,
)
from minsheng.domain.targets import NUMERIC_KINDS, Target, TargetKind
from minsheng.names import name_key

SPEC_SCHEMA: dict[str, type[pl.DataType]] = {
    "indicator": pl.Utf8,
    "name": pl.Utf8,
    "part": pl.Int64,
    "unit": pl.Utf8,
    "seq": pl.Int64,
    "plan": pl.Utf8,
    "region": pl.Utf8,
    "plan_region": pl.Utf8,
    "nature": pl.Utf8,
    "domain": pl.Utf8,
    "domain_code": pl.Utf8,
    "canonical_code": pl.Utf8,
    "kind": pl.Utf8,
    "baseline": pl.Float64,
    "target": pl.Float64,
    "percent": pl.Boolean,
    "y0": pl.Int64,
    "y0_nominal": pl.Int64,
    "yT": pl.Int64,
    "polarity": pl.Utf8,
    "polarity_inferred": pl.Boolean,
    "baseline_raw": pl.Utf8,
    "target_raw": pl.Utf8,
    "reason": pl.Utf8,
    "reason_zh": pl.Utf8,
}


def normalise_name(name: str) -> str:
    """A name for matching (the one normaliser's loose key, :func:`minsheng.names.name_key`).

    Statistical bulletins drop the ``拥有`` that plans write (每千人口拥有执业(助理)医师数
    vs 每千人口执业(助理)医师数); brackets come full- or half-width, script Simplified
    or Traditional.
    """
    return name_key(name)


@lru_cache(maxsize=1)
def catalogue_polarities() -> dict[str, Polarity]:
    """Polarity by canonical code, catalogue name, alias and their normalised forms."""
    text = data_file("catalogue.csv").read_text(encoding="utf-8")
    out: dict[str, Polarity] = {}
    for row in csv.DictReader(io.StringIO(text)):
        polarity = Polarity(row["polarity"])
        out[row["code"]] = polarity
        names = [row["name"], *[a for a in re.split(r"[;；|]", row.get("aliases") or "") if a]]
        for name in names:
            out[name] = polarity
            out[normalise_name(name)] = polarity
    return out


def resolve_polarity(
    indicator: PlanIndicator, catalogue: Mapping[str, Polarity] | None = None
) -> tuple[Polarity, bool, str]:
    """Polarity of one plan row, whether it was inferred, and from where (§2).

    Order: the row's own polarity, the catalogue (by canonical code, then by
    name), the name when it is the rate of a harm (:func:`polarity_from_name`),
    the cells (:func:`infer_polarity`), and finally higher-is-better, which the
    method says holds for most indicators. A row polarity equal to the cells'
    reading (older extractions filled it from the cells) yields to the catalogue
    and the name: 1800 → 1500 on a training figure must not turn the catalogue's
    "higher" into "lower".
    """
    cells = infer_polarity(indicator.baseline, indicator.target)
    if indicator.polarity is not None and indicator.polarity is not cells:
        return indicator.polarity, False, "indicator"
    catalogue = catalogue_polarities() if catalogue is None else catalogue
    for key in (indicator.canonical_code, indicator.name, normalise_name(indicator.name)):
        if key and key in catalogue:
            return catalogue[key], False, "catalogue"
    named = polarity_from_name(indicator.name)
    if named is not None and named is not indicator.polarity:
        return named, True, "name"
    if indicator.polarity is not None:
        return indicator.polarity, False, "indicator"
    if cells is not None:
        return cells, True, "cells"
    return Polarity.HIGHER, True, "default"


def _value(target: Target) -> float | None:
    return target.value if target.kind in NUMERIC_KINDS else None


def _parts(indicator: PlanIndicator) -> list[tuple[str, int | None, str | None, Target, Target]]:
    """(key, part, unit, baseline, target) for each quantity the row asks for."""
    target, baseline = indicator.target, indicator.baseline
    if target.kind is not TargetKind.MULTIPLE:
        return [(indicator.name, None, indicator.unit, baseline, target)]
    base_parts: tuple[Target, ...] = ()
    if baseline.kind is TargetKind.MULTIPLE and len(baseline.parts) == len(target.parts):
        base_parts = baseline.parts
    rows: list[tuple[str, int | None, str | None, Target, Target]] = []
    for i, part in enumerate(target.parts):
        unit = part.unit or ("%" if part.percent else None)
        label = unit or f"part {i + 1}"
        base = base_parts[i] if base_parts else Target(TargetKind.NONE)
        rows.append((f"{indicator.name} [{label}]", i + 1, unit, base, part))
    return rows


def spec_rows(
    indicators: Iterable[PlanIndicator],
    *,
    baseline_year: int = 2020,
    target_year: int = 2025,
    plan: str | None = None,
    region: str | None = None,
    catalogue: Mapping[str, Polarity] | None = None,
    plan_region: str | None = None,
) -> list[dict[str, object]]:
    """One dict per evaluable target (multi-quantity cells give one per quantity)."""
    rows: list[dict[str, object]] = []
    for ind in indicators:
        polarity, inferred, _source = resolve_polarity(ind, catalogue)
        y0_plan = ind.baseline_year or baseline_year
        yT = ind.target_year or target_year
        for key, part, unit, base, target in _parts(ind):
            y0 = base.data_year or ind.baseline.data_year or y0_plan
            kind = target.kind
            reason = reason_zh = None
            if kind is TargetKind.NONE:
                reason, reason_zh = worded("no_target")
            elif kind is TargetKind.QUALITATIVE:
                reason, reason_zh = worded("qualitative")
            rows.append(
                {
                    "indicator": key,
                    "name": ind.name,
                    "part": part,
                    "unit": unit,
                    "seq": ind.seq,
                    "plan": plan,
                    "region": region,
                    "plan_region": plan_region,
                    "nature": ind.nature.value if isinstance(ind.nature, Nature) else None,
                    "domain": ind.domain,
                    "domain_code": ind.domain_code,
                    "canonical_code": ind.canonical_code,
                    "kind": kind.value,
                    "baseline": _value(base),
                    "target": _value(target),
                    "percent": bool(target.percent),
                    "y0": int(y0),
                    "y0_nominal": int(baseline_year),
                    "yT": int(yT),
                    "polarity": polarity.value,
                    "polarity_inferred": inferred,
                    "baseline_raw": ind.baseline_raw,
                    "target_raw": ind.target_raw,
                    "reason": reason,
                    "reason_zh": reason_zh,
                }
            )
    return rows


def specs_frame(
    indicators: Iterable[PlanIndicator],
    *,
    baseline_year: int = 2020,
    target_year: int = 2025,
    plan: str | None = None,
    region: str | None = None,
    catalogue: Mapping[str, Polarity] | None = None,
    plan_region: str | None = None,
) -> pl.DataFrame:
    """The spec table of one plan (``region`` set: the plan judges that region only).

    ``plan_region`` is the plan's own region: judged for another region, a target's
    baseline is that region's own value in the baseline year where observed, else the
    plan's (``baseline_source`` = ``plan_region`` says so).

    >>> from minsheng.domain.targets import parse_target
    >>> row = PlanIndicator(1, None, "x", None, "85%", ">90%", Nature.BINDING,
    ...                     baseline=parse_target("85%"), target=parse_target(">90%"))
    >>> specs_frame([row]).select("kind", "baseline", "target", "polarity").row(0)
    ('above', 85.0, 90.0, 'higher')
    """
    rows = spec_rows(
        indicators,
        baseline_year=baseline_year,
        target_year=target_year,
        plan=plan,
        region=region,
        catalogue=catalogue,
        plan_region=plan_region,
    )
    return pl.DataFrame(rows, schema=SPEC_SCHEMA, orient="row") if rows else empty_specs()


def empty_specs() -> pl.DataFrame:
    return pl.DataFrame(schema=SPEC_SCHEMA)


def conform_specs(specs: pl.DataFrame) -> pl.DataFrame:
    """Add any optional spec column that is missing, with nulls, in schema order."""
    missing = [c for c in ("indicator", "kind", "y0", "yT") if c not in specs.columns]
    if missing:
        from minsheng.domain.errors import InvalidData

        raise InvalidData(f"indicator specs lack column(s): {', '.join(missing)}")
    extra = [
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in SPEC_SCHEMA.items()
        if name not in specs.columns
    ]
    out = specs.with_columns(extra) if extra else specs
    if "polarity" in specs.columns and "polarity_inferred" not in specs.columns:
        out = out.with_columns(pl.lit(False).alias("polarity_inferred"))
    out = out.with_columns(*(pl.col(c).cast(t) for c, t in SPEC_SCHEMA.items()))
    bad = out.filter(
        pl.col("y0").is_null() | pl.col("yT").is_null() | (pl.col("yT") <= pl.col("y0"))
    )
    if bad.height:
        from minsheng.domain.errors import InvalidData, Problem

        problems = [
            Problem(
                i + 1,
                "y0/yT",
                f"{r['indicator']}: baseline year {r['y0']} must precede target year {r['yT']}",
                message_zh=f"{r['indicator']}：基期年份（{r['y0']}）应早于目标年份（{r['yT']}）",
            )
            for i, r in enumerate(bad.head(50).iter_rows(named=True))
        ]
        raise InvalidData(
            f"{bad.height} indicator specs have no valid plan period",
            problems,
            message_zh=f"{bad.height} 个指标没有有效的规划期（基期年份须早于目标年份）",
        )
    return out.with_columns(
        pl.col("name").fill_null(pl.col("indicator")),
        pl.col("polarity").fill_null(Polarity.HIGHER.value),
        pl.col("polarity_inferred").fill_null(True),
    ).select([*SPEC_SCHEMA, *[c for c in specs.columns if c not in SPEC_SCHEMA]])
