"""Observations for the demo: real national statistics, and clearly labelled synthetic data.

Where no real figures are at hand the demo generates them around each plan's
real baselines and targets, so the evaluation has something to judge. Every
generated value carries ``synthetic=True`` and the source ``synthetic``; the
database, the CLI and the web show that label. Regions get a *profile* —
ahead, on course, lagging, regressing — and some years go missing, because an
evaluation that only ever sees tidy data proves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from minsheng.analytics.specs import resolve_polarity
from minsheng.domain.indicators import PlanIndicator, Polarity
from minsheng.domain.observations import Observation, ObservationStatus
from minsheng.domain.targets import TargetKind
from minsheng.ingest.observations.values import read_values
from minsheng.names import shipped_region_index

SYNTHETIC_SOURCE = "演示用合成数据（minsheng demo 生成）"
_PROFILES = ("ahead", "on_course", "on_course", "on_course", "lagging", "lagging", "regressing")
_SPEED = {"ahead": 1.25, "on_course": 1.02, "lagging": 0.55, "regressing": -0.35}


@dataclass(frozen=True)
class StatisticRow:
    """One value of a statistics file: indicator name as the bulletin calls it, year, value.

    ``bound`` ('>', '>=', '<', '<=') when the bulletin gave only a bound ("above 95 %").
    """

    indicator: str
    year: int
    value: float
    unit: str | None
    source: str | None
    note: str | None
    region: str = "100000"
    bound: str | None = None


def read_statistics(path: Path) -> tuple[list[StatisticRow], list[str]]:
    """Read a statistics file through the one way in for observation files.

    The shared national file (``indicator,year,value,unit,note,source_url``) has no
    region column: its rows are the national figures. Cells follow import's rules:
    a bound (``>95``) is kept with its sign, a row-numbered error refuses the file.
    Returns the rows and what was noticed on the way (bounds, skipped placeholders).
    """
    # The demo's statistics gather several bulletins; where two disagree on one value the
    # first row (the file's primary source) is kept and the warning names both rows.
    values, report = read_values(
        path, shipped_region_index(), default_region="100000", conflicts="first"
    )
    noticed = [str(p) for p in report.warnings]
    rows = []
    for v in values:
        if v.bound:
            noticed.append(
                f"row {v.row}: {v.indicator} {v.year}: a bound, kept as {v.bound}{v.value:g}"
            )
        rows.append(
            StatisticRow(
                indicator=v.indicator, year=v.year, value=v.value,
                unit=(v.unit or "").strip() or None, source=v.source, note=v.note,
                region=v.region, bound=v.bound,
            )
        )  # fmt: skip
    return rows, noticed


#: A baseline cell that is a level, or a bound on one (``>95``), and the bound it keeps.
_BASELINE_BOUNDS = {
    TargetKind.REACH: None,
    TargetKind.ABOVE: ">",
    TargetKind.AT_LEAST: ">=",
    TargetKind.BELOW: "<",
    TargetKind.AT_MOST: "<=",
}


def baseline_observations(
    indicators: list[PlanIndicator],
    region_code: str,
    plan_title: str,
    baseline_year: int | None,
) -> list[Observation]:
    """A plan's baseline column as its region's values in the baseline year.

    A plan's baseline is the region's own figure for the year before the period (a
    footnote may move the year); stored as an observation, it is that region's
    baseline whichever plan judges the region. Levels and bounds (``>95``, kept with
    their sign) are values; five-year totals (【】) and wording are passed over.
    """
    out: list[Observation] = []
    for indicator in indicators:
        base = indicator.baseline
        year = base.data_year or indicator.baseline_year or baseline_year
        if base.kind not in _BASELINE_BOUNDS or base.value is None or year is None:
            continue
        out.append(
            Observation(
                indicator=indicator.name,
                region_code=region_code,
                year=int(year),
                value=float(base.value),
                bound=_BASELINE_BOUNDS[base.kind],
                unit=indicator.unit,
                source=f"规划基期值：{plan_title}",
                synthetic=False,
                status=ObservationStatus.PUBLISHED,
                entered_by="demo",
            )
        )
    return out


def _bounded(indicator: PlanIndicator) -> bool:
    unit = (indicator.unit or "").strip()
    return unit in ("%", "％") or indicator.target.percent or indicator.baseline.percent


def synthetic_observations(
    indicators: list[PlanIndicator],
    regions: list[str],
    years: range,
    seed: int = 2025,
    missing_share: float = 0.08,
) -> list[Observation]:
    """Plausible yearly values for every measurable indicator and region, labelled synthetic.

    Each region starts from the plan's baseline perturbed by a few per cent and moves
    towards the target at the speed of its profile, with noise; rates stay within
    0–100 %. Deterministic for a given seed.
    """
    rng = np.random.default_rng(seed)
    out: list[Observation] = []
    for indicator in indicators:
        target, baseline = indicator.target, indicator.baseline
        if not target.is_measurable or target.kind is TargetKind.MULTIPLE:
            continue
        y0 = baseline.data_year or indicator.baseline_year or years.start - 1
        yT = indicator.target_year or years.stop - 1
        polarity = resolve_polarity(indicator)[0]
        spread = 0.04 if _bounded(indicator) else 0.07
        for region in regions:
            profile = _PROFILES[rng.integers(len(_PROFILES))]
            speed = _SPEED[profile]
            offset = float(rng.normal(0.0, spread))  # regions differ, and keep their difference
            for year in years:
                # some years go missing, never the baseline year a region is measured from
                if rng.random() < missing_share and year != y0:
                    continue
                value = _value(indicator, polarity, year, y0, yT, speed, offset, rng)
                if value is None:
                    continue
                out.append(
                    Observation(
                        indicator=indicator.name,
                        region_code=region,
                        year=year,
                        value=round(value, 4),
                        unit=indicator.unit,
                        source=SYNTHETIC_SOURCE,
                        synthetic=True,
                        status=ObservationStatus.PUBLISHED,  # the demo's public reads them (issue 10)
                        entered_by="demo",
                        entered_at=_reported_at(year, rng),
                    )
                )
    return out


def _reported_at(year: int, rng: np.random.Generator) -> datetime:
    """When a region sent the year's figures: mostly in the first quarter after it, some later."""
    return datetime(year + 1, 1, 15, 9, 0) + timedelta(days=float(rng.gamma(4.0, 18.0)))


def _value(
    indicator: PlanIndicator,
    polarity: Polarity,
    year: int,
    y0: int,
    yT: int,
    speed: float,
    offset: float,
    rng: np.random.Generator,
) -> float | None:
    target, baseline = indicator.target, indicator.baseline
    kind = target.kind
    share = min(max((year - y0) / max(yT - y0, 1), 0.0), 1.2)
    noise = rng.normal(0.0, 0.02)
    if kind is TargetKind.FULL_COVERAGE:
        return 100.0 if rng.random() > 0.08 * (2 - speed) else float(rng.uniform(93, 99.5))
    if kind is TargetKind.KEEP_ZERO:
        return 0.0 if rng.random() > 0.05 else float(rng.integers(1, 4))
    if target.value is None:
        return None
    goal = target.value
    if kind is TargetKind.CUMULATIVE:
        return max(goal / max(yT - y0, 1) * speed * (1 + noise * 4), 0.0)
    if kind is TargetKind.ANNUAL_AVERAGE:
        return max(goal * (0.6 + 0.4 * speed) * (1 + noise * 3), 0.0)
    start = (
        baseline.value
        if baseline.value is not None
        else goal * (0.9 if polarity is not Polarity.LOWER else 1.1)
    )
    # a region sits above or below the plan's level throughout, and heads for a goal
    # shifted the same way: regions differ, as they do, instead of meeting at the target
    start *= 1 + offset
    change = goal * (1 + offset) - start
    if abs(change) < 1e-9:
        change = 0.03 * goal if polarity is not Polarity.LOWER else -0.03 * goal
    value = start + change * share * speed + abs(change) * noise
    if _bounded(indicator):
        value = min(max(value, 0.0), 100.0)
    return max(value, 0.0)


def synthetic_populations(
    regions: list[str], years: range, seed: int = 2025
) -> list[tuple[str, int, int]]:
    """Resident populations (region, year, persons) for weighting, labelled synthetic by the caller.

    Province-sized (lognormal around 40 million) with a small yearly drift of
    −1 % to +1.5 %, so weighted and unweighted measures differ as they do in life.
    """
    rng = np.random.default_rng(seed)
    out = []
    for region in regions:
        size = float(rng.lognormal(np.log(40e6), 0.6))
        drift = float(rng.uniform(-0.01, 0.015))
        for offset, year in enumerate(years):
            out.append((region, year, int(size * (1 + drift) ** offset)))
    return out
