"""Evaluate a plan file against an observations file, without a database.

``minsheng evaluate --plan PLAN.json --observations OBS.csv --year Y``: the plan
is an ``ingest --json`` output or any object with the gold files' fields (raw
cells are parsed when parsed ones are absent, :func:`plan_from_dict`); the CSV
has ``indicator,region,year,value``. Indicators are matched to the plan's rows
by exact name, then by normalised name (width, brackets, spaces, the filler
``拥有``), then through the catalogue (both names of one canonical indicator),
then by a close fuzzy match; rows that match nothing are skipped with a warning
(a statistics file usually carries more series than one plan asks for).
Regions are GB/T 2260 codes or names of the shipped division tree.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from rapidfuzz import fuzz, process

from minsheng.analytics.evaluation import evaluate
from minsheng.analytics.specs import normalise_name, specs_frame
from minsheng.data.catalogue import load_catalogue
from minsheng.data.divisions import divisions_by_code
from minsheng.domain import limits
from minsheng.domain.errors import InvalidData, NotFound, Problem
from minsheng.domain.plans import Plan
from minsheng.domain.years import check_year
from minsheng.ingest.documents.plan_json import load_plan_json
from minsheng.ingest.observations.values import read_values
from minsheng.ingest.observations.workbook_validation import normalise_unit
from minsheng.ingest.spreadsheets import checked_csv_text
from minsheng.names import shipped_region_index
from minsheng.settings import Settings

FUZZY_MIN = 90.0
_RATE = re.compile(r"(?:率|占比|比例|比重)$")


@dataclass
class FileEvaluation:
    """The result frame plus what the reader had to say about the inputs."""

    plan: Plan
    results: pl.DataFrame
    warnings: list[Problem] = field(default_factory=list)


def load_plan(path: str | Path) -> Plan:
    plans = load_plan_json(path)
    if len(plans) != 1:
        raise InvalidData(f"{Path(path).name}: holds {len(plans)} plans; give a file with one")
    if not plans[0].indicators:
        raise InvalidData(f"{Path(path).name}: the plan has no indicators to evaluate")
    return plans[0]


def resolve_region(text: str) -> str:
    """A GB/T 2260 code for a code or a region name of the shipped tree (the one resolver)."""
    return shipped_region_index().resolve(text).code


class IndicatorMatcher:
    """Names in an observations file → the plan's spec keys (see the module docstring)."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self.normalised = {normalise_name(k): k for k in keys}
        canonical: dict[str, str] = {}
        for ind in load_catalogue():
            for name in ind.names:
                canonical[normalise_name(name)] = ind.code
        self.canonical = canonical
        self.by_code = {canonical[n]: k for n, k in self.normalised.items() if n in canonical}

    def match(self, name: str) -> tuple[str | None, str]:
        if name in self.keys:
            return name, "exact"
        norm = normalise_name(name)
        if norm in self.normalised:
            return self.normalised[norm], "normalised"
        code = self.canonical.get(norm)
        if code and code in self.by_code:
            return self.by_code[code], "catalogue"
        rate = bool(_RATE.search(norm))
        pool = [
            n for n in self.normalised if bool(_RATE.search(n)) == rate
        ]  # a rate is never a count
        best = process.extract(norm, pool, scorer=fuzz.ratio, limit=2)
        if best and best[0][1] >= FUZZY_MIN and (len(best) == 1 or best[1][1] < best[0][1]):
            return self.normalised[best[0][0]], f"fuzzy {best[0][1]:.0f}"
        return None, "unmatched"


def _csv_text(path: Path) -> str:
    """A CSV file's text (UTF-8, with or without BOM, or GB18030) within the input limits."""
    if not path.is_file():
        raise InvalidData(f"{path}: no such file")
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        raise InvalidData(
            f"{path.name}: a workbook; file-mode evaluation reads CSV (save the sheet as CSV, "
            "or `minsheng import` it and evaluate the stored plan)"
        )
    limits.current().check_size(path.stat().st_size, path.name)
    return checked_csv_text(path.read_bytes(), path.name)


def _records(reader: csv.DictReader, path: str | Path) -> list[dict]:
    try:
        return list(reader)
    except csv.Error as exc:
        raise InvalidData(f"{Path(path).name}: not a readable CSV file ({exc})") from None


def read_observations_csv(
    path: str | Path,
    keys: list[str],
    default_region: str | None = None,
    units: dict[str, str | None] | None = None,
) -> tuple[pl.DataFrame, list[Problem]]:
    """Read an observation file (CSV or XLSX, long or wide) the way import reads it.

    The reader, the cell rules (bounds kept with their sign, ``—`` as no value,
    ``2023年``) and the region resolver are import's; row-numbered errors refuse
    the file. A file without a region column (one region's statistics, such as a
    national bulletin series) is read as ``default_region`` when one is given, with
    a warning. Rows naming no indicator of the plan are skipped with a warning; the
    same indicator, region and year twice with different values is an error, as
    in import (two spellings of one indicator that meet only here are averaged
    with a warning by the evaluation's duplicate rule).
    """
    values, report = read_values(path, shipped_region_index(), default_region=default_region)
    warnings = list(report.warnings)
    if (
        default_region is not None
        and any(v.region == default_region for v in values)
        and not _has_region_column(path)
    ):
        warnings.insert(
            0,
            Problem(
                None,
                "region",
                f"no region column: every row is read as {default_region}",
                "warning",
                message_zh=f"文件没有地区列：每一行都按地区 {default_region} 读取",
            ),
        )
    matcher = IndicatorMatcher(keys)
    matched: dict[str, tuple[str | None, str]] = {}
    errors: list[Problem] = []
    rows: dict[str, list] = {"indicator": [], "region": [], "year": [], "value": [], "bound": []}
    for v in values:
        if v.indicator not in matched:
            matched[v.indicator] = matcher.match(v.indicator)
            key, how = matched[v.indicator]
            if key is None:
                warnings.append(
                    Problem(
                        v.row,
                        "indicator",
                        f"{v.indicator!r} is not an indicator of the plan; its rows are skipped",
                        "warning",
                        message_zh=f"“{v.indicator}”不是本规划的指标，这些行已跳过",
                    )
                )
            elif how.startswith("fuzzy") or how == "catalogue":
                warnings.append(
                    Problem(
                        v.row,
                        "indicator",
                        f"{v.indicator!r} read as {key!r} ({how})",
                        "warning",
                        message_zh=f"“{v.indicator}”按指标“{key}”读取"
                        f"（{'按指标目录对应' if how == 'catalogue' else '名称近似'}），请核对",
                    )
                )
        key = matched[v.indicator][0]
        if key is None:
            continue
        unit = (units or {}).get(key)
        if v.percent_sign and unit and normalise_unit(unit) != "%":  # 95% of a count
            errors.append(
                Problem(
                    v.row,
                    "value",
                    f"a % sign, but {key} is counted in {unit}",
                    message_zh=f"数值带有百分号，但“{key}”的单位是“{unit}”，请去掉百分号",
                )
            )
            continue
        for col, x in zip(rows, (key, v.region, v.year, v.value, v.bound), strict=True):
            rows[col].append(x)
    if errors:
        n = len(errors)
        raise InvalidData(
            f"{Path(path).name}: {n} error{'s' if n != 1 else ''}; nothing was evaluated",
            errors,
            message_zh=f"{Path(path).name}：{n} 处错误，未进行评估",
        )
    if not rows["value"]:
        raise InvalidData(f"{Path(path).name}: no values of the plan's indicators found")
    frame = pl.DataFrame(
        rows,
        schema={
            "indicator": pl.Utf8,
            "region": pl.Utf8,
            "year": pl.Int64,
            "value": pl.Float64,
            "bound": pl.Utf8,
        },
    )
    return frame, warnings


def _has_region_column(path: str | Path) -> bool:
    from minsheng.ingest.observations.workbooks import read_observation_rows

    try:
        return all(r.region for r in read_observation_rows(Path(path)))
    except InvalidData:
        return False


def read_judgements_csv(path: str | Path, keys: list[str]) -> pl.DataFrame:
    """An analyst's judgements of qualitative targets, names matched like observations."""
    text = _csv_text(Path(path))
    reader = csv.DictReader(io.StringIO(text), strict=True)
    records = _records(reader, path)
    missing = [
        c for c in ("indicator", "status", "judged_by") if c not in (reader.fieldnames or [])
    ]
    if missing:
        raise InvalidData(f"{Path(path).name}: missing column(s) {', '.join(missing)}")
    matcher = IndicatorMatcher(keys)
    rows: dict[str, list[str | None]] = {
        k: [] for k in ("indicator", "region", "status", "judged_by", "judged_at")
    }
    errors: list[Problem] = []
    for n, rec in enumerate(records, start=2):
        key, _how = matcher.match((rec.get("indicator") or "").strip())
        if key is None:
            errors.append(
                Problem(
                    n,
                    "indicator",
                    f"{rec.get('indicator')!r} is not an indicator of the plan",
                    message_zh=f"“{rec.get('indicator') or ''}”不是本规划的指标，请使用规划中的指标名称",
                )
            )
            continue
        if not (rec.get("judged_by") or "").strip():
            errors.append(
                Problem(
                    n,
                    "judged_by",
                    "a judgement needs the analyst who made it",
                    message_zh="请填写作出判断的分析人员",
                )
            )
            continue
        region_text = (rec.get("region") or "").strip()
        try:
            region = resolve_region(region_text) if region_text else None
        except (InvalidData, NotFound) as exc:
            errors.append(
                Problem(
                    n,
                    "region",
                    exc.message,
                    message_zh=exc.message_zh or f"无法识别地区“{region_text}”",
                )
            )
            continue
        values = (
            key,
            region,
            (rec.get("status") or "").strip(),
            rec["judged_by"].strip(),
            (rec.get("judged_at") or "").strip() or None,
        )
        for col, value in zip(rows, values, strict=True):
            rows[col].append(value)
    if errors:
        raise InvalidData(
            f"{Path(path).name}: {len(errors)} bad rows",
            errors,
            message_zh=f"{Path(path).name}：{len(errors)} 行有误",
        )
    return pl.DataFrame(rows, schema={k: pl.Utf8 for k in rows})


def evaluate_files(
    plan_path: str | Path,
    observations_path: str | Path,
    year: int,
    *,
    region: str | None = None,
    settings: Settings | None = None,
    judgements_path: str | Path | None = None,
) -> FileEvaluation:
    """Judge every indicator of the plan for every region of the observations at ``year``.

    ``judgements_path``: a CSV ``indicator,region,status,judged_by,judged_at`` (region
    may be empty: every region) settling qualitative targets.
    """
    year = check_year(year, "year")
    plan = load_plan(plan_path)
    specs = specs_frame(
        plan.indicators,
        baseline_year=plan.baseline_year or 2020,
        target_year=plan.target_year or 2025,
        plan=plan.metadata.title or plan.source_file,
    )
    own = plan.metadata.region_code
    if own is None and plan.metadata.region_name:
        try:
            own = resolve_region(plan.metadata.region_name)
        except (InvalidData, NotFound):
            own = None
    code = resolve_region(region) if region is not None else None
    obs, warnings = read_observations_csv(
        observations_path,
        specs.get_column("indicator").to_list(),
        default_region=code or own,
        units=dict(
            zip(
                specs.get_column("indicator").to_list(),
                specs.get_column("unit").to_list(),
                strict=True,
            )
        ),
    )
    regions = None
    if code is not None:
        obs = obs.filter(pl.col("region") == code)
        regions = [code]
    elif obs.height == 0:
        regions = [own] if own else []
    tolerance = settings.about_tolerance if settings else 0.05
    judgements = (
        read_judgements_csv(judgements_path, specs.get_column("indicator").to_list())
        if judgements_path
        else None
    )
    results = evaluate(
        specs, obs, year, regions=regions, about_tolerance=tolerance, judgements=judgements
    )
    by_code = divisions_by_code()
    names = {
        c: (by_code[c].name if c in by_code else c)
        for c in results.get_column("region").unique().to_list()
    }
    results = results.with_columns(
        pl.col("region").replace_strict(names, default=pl.col("region")).alias("region_name")
    )
    return FileEvaluation(plan, results, warnings)
