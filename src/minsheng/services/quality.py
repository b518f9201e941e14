"""Data quality of a stored plan's monitoring data: who reported what, on time, and outliers.

Completeness and timeliness follow DHIS2's two reporting rates; outliers are the
modified z-scores of :mod:`minsheng.analytics.quality`. A cell's report date is
the first version's entry time, so a correction never makes a report late.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import polars as pl

from minsheng.analytics.quality import completeness, completeness_summary, expected_cells, outliers
from minsheng.domain.errors import InvalidData
from minsheng.domain.regions import code_prefix, level_of_code
from minsheng.domain.targets import TargetKind
from minsheng.domain.years import check_year
from minsheng.services.plans import StoredPlan, get_plan, load_plan_observations
from minsheng.store.database import Database
from minsheng.store.repositories import catalogue as catalogue_repo
from minsheng.store.repositories import observations as observations_repo


@dataclass
class QualityReport:
    plan: StoredPlan
    cells: pl.DataFrame  # one row per expected (indicator, region, year)
    by_region: pl.DataFrame
    by_indicator: pl.DataFrame
    outliers: pl.DataFrame  # only the flagged values
    years: list[int]
    regions: list[str]
    # current values whose unit is another quantity than the row's (entered through a plan
    # mapped wrongly before mapping checked units): not judged, to be corrected or unmapped
    other_units: pl.DataFrame


def parse_due(text: str) -> tuple[int, int]:
    """``"03-31"`` → (3, 31): the day of the year after the data year by which figures are due."""
    try:
        month, day = (int(p) for p in text.split("-"))
        date(2001, month, day)
    except ValueError:
        raise InvalidData(f"the due date is MM-DD (e.g. 03-31), not {text!r}") from None
    return month, day


def plan_quality(
    db: Database,
    plan_ref: int | str,
    *,
    years: list[int] | None = None,
    regions: list[str] | None = None,
    due: tuple[int, int] = (3, 31),
    threshold: float = 3.5,
    published_only: bool = False,
) -> QualityReport:
    """Completeness, timeliness and outliers of a plan's data.

    Expected cells are the plan's measurable indicators × the regions (default: the
    plan's own region and every region that reported for it) × the years (default:
    the plan period up to the latest year anyone reported). A year's figures are
    due on ``due`` (month, day) of the following year. ``published_only`` reads the
    published values alone, as the public sees the data (outliers name values).
    """
    if years is not None:
        years = [check_year(y, "--years") for y in years]
    if not (math.isfinite(threshold) and threshold > 0):
        raise InvalidData(f"the outlier threshold must be a positive number, not {threshold}")
    stored = get_plan(db, plan_ref)
    plan, obs, other_units = load_plan_observations(db, stored.id, published_only=published_only)
    measurable = [
        i for i in plan.indicators if i.target.kind not in (TargetKind.NONE, TargetKind.QUALITATIVE)
    ]
    names = [i.name for i in measurable]
    if not names:
        raise InvalidData(
            f"plan {stored.id} has no measurable indicators",
            message_zh=f"规划 {stored.id} 没有可度量的指标，无从检查数据质量",
        )
    obs = obs.join(
        _first_reported(db, stored), on=["plan_indicator_id", "region", "year"], how="left"
    )
    if regions is None:  # those the evaluation judges: inside the plan's region
        inside = code_prefix(stored.region_code) if stored.region_code else ""
        reported = [r for r in obs.get_column("region").unique().to_list() if r.startswith(inside)]
        regions = sorted(
            {*(r for r in reported if r), *([stored.region_code] if stored.region_code else [])}
        )
    if years is None:  # up to the latest year anyone reported
        latest = obs.get_column("year").max() if obs.height else None
        years = plan.monitored_years(int(latest) if latest is not None else 0)  # type: ignore[arg-type]
    month, day = due
    cells = completeness(
        obs,
        expected_cells(names, regions, years),
        due_dates={y: date(y + 1, month, day) for y in years},
    )
    # among the regions judged (not every region sharing a catalogue series), each
    # compared with the regions of its own level
    # and in the years judged: a baseline value (2020 before a 2021–2025 period) is the
    # plan's starting point, not a monitored figure, and the page names the years it screens
    judged = obs.filter(
        pl.col("indicator").is_in(names)
        & pl.col("region").is_in(regions)
        & pl.col("year").is_in(years)
    )
    levels = {code: level_of_code(code).value for code in regions}
    flagged = outliers(
        judged.with_columns(pl.col("region").replace_strict(levels).alias("level")),
        threshold=threshold,
    )
    return QualityReport(
        plan=stored,
        cells=cells,
        by_region=completeness_summary(cells, ("region",)),
        by_indicator=completeness_summary(cells, ("indicator",)),
        outliers=flagged.filter(pl.col("outlier")).select(
            "indicator", "region", "year", "value", "z_regions", "z_years"
        ),
        years=years,
        regions=regions,
        other_units=other_units.select(
            "indicator", "region", "year", "value", "unit", "wanted_unit"
        ),  # fmt: skip
    )


def _first_reported(db: Database, stored: StoredPlan) -> pl.DataFrame:
    """First entry time per (plan indicator, region, year), catalogue series mapped to the plan's rows."""
    with db.session() as session:
        canonical_of = {
            row_id: catalogue_repo.canonical_row(session, indicator.canonical_code).id
            for row_id, indicator in zip(stored.indicator_ids, stored.plan.indicators, strict=True)
            if indicator.canonical_code
        }
        rows = observations_repo.first_reported(
            session, stored.indicator_ids, list(canonical_of.values())
        )
    rows_of_canonical: dict[int, list[int]] = {}
    for row_id, canonical_id in canonical_of.items():
        rows_of_canonical.setdefault(canonical_id, []).append(row_id)
    records = [
        (row_id, code, year, when)
        for pid, cid, code, year, when in rows
        for row_id in ([pid] if pid is not None else rows_of_canonical.get(cid, []))
    ]
    frame = pl.DataFrame(
        records,
        schema={
            "plan_indicator_id": pl.Int64,
            "region": pl.Utf8,
            "year": pl.Int64,
            "reported_at": pl.Datetime,
        },
        orient="row",
    )
    return frame.group_by("plan_indicator_id", "region", "year").agg(pl.col("reported_at").min())
