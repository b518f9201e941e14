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
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from rapidfuzz import fuzz, process

from minsheng.analytics.evaluation import evaluate
from minsheng.analytics.specs import normalise_name, specs_frame
from minsheng.data.catalogue import load_catalogue
from minsheng.data.divisions import divisions_by_code, full_name, load_divisions
from minsheng.domain import limits
from minsheng.domain.errors import InvalidData, Problem
from minsheng.domain.plans import Plan
from minsheng.domain.regions import (
    NATIONAL_CODE,
    NATIONAL_NAME,
    Level,
    level_of_code,
    normalise_code,
)
from minsheng.domain.years import check_year
from minsheng.ingest.documents.plan_json import load_plan_json
from minsheng.ingest.observations.workbook_validation import normalise_unit
from minsheng.settings import Settings

FUZZY_MIN = 90.0
_BOUND = re.compile(r"^(?:[<>≥≤＞＜]=?|不低于|不少于|超过)\s*(-?\d+(?:\.\d+)?)$")
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


def _region_names() -> dict[str, list[str]]:
    by_name: dict[str, list[str]] = defaultdict(list)
    by_code = divisions_by_code()
    for region in load_divisions():
        by_name[region.name].append(region.code)
        by_name[full_name(region.code, by_code)].append(region.code)
    by_name[NATIONAL_NAME].append(NATIONAL_CODE)
    return {k: sorted(set(v)) for k, v in by_name.items()}


def resolve_region(text: str, names: dict[str, list[str]] | None = None) -> str:
    """A GB/T 2260 code for a code or an unambiguous region name."""
    text = text.strip()
    if text.isdigit():
        code = normalise_code(text)
        if code != NATIONAL_CODE and code not in divisions_by_code():
            raise InvalidData(
                f"unknown region code {text!r}"
            )  # never a silent 全国 or a made-up place
        return code
    codes = (names or _region_names()).get(text, [])
    if len(codes) == 1:
        return codes[0]
    if codes:
        top = min(codes, key=lambda c: level_of_code(c).rank)
        prefix = {Level.PROVINCE: 2, Level.PREFECTURE: 4}.get(level_of_code(top))
        if prefix and all(c[:prefix] == top[:prefix] for c in codes):
            return top  # 北京市: the municipality, not its own placeholder prefecture
    if not codes:
        raise InvalidData(f"unknown region {text!r}")
    raise InvalidData(f"region name {text!r} is ambiguous ({', '.join(codes[:5])}); give the code")


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
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidData(f"{path.name}: not UTF-8 or GB18030 text")
    if "\x00" in text:
        raise InvalidData(f"{path.name}: binary data, not a CSV file")
    limits.current().check_lines(text, path.name)
    return text


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
    """Read ``indicator,region,year,value``; row-numbered errors refuse the file.

    A file without a ``region`` column (one region's statistics, such as a national
    bulletin series) is read as ``default_region`` when one is given, with a warning.
    """
    text = _csv_text(Path(path))
    reader = csv.DictReader(io.StringIO(text), strict=True)
    records = _records(reader, path)
    columns = reader.fieldnames or []
    required = ["indicator", "year", "value"]
    if "region" not in columns and default_region is None:
        required.insert(1, "region")
    missing = [c for c in required if c not in columns]
    if missing:
        raise InvalidData(f"{Path(path).name}: missing column(s) {', '.join(missing)}")
    matcher = IndicatorMatcher(keys)
    names = _region_names()
    errors: list[Problem] = []
    warnings: list[Problem] = []
    if "region" not in columns:
        warnings.append(
            Problem(
                None,
                "region",
                f"no region column: every row is read as {default_region}",
                "warning",
            )
        )
    matched: dict[str, tuple[str | None, str]] = {}
    rows: dict[str, list] = {"indicator": [], "region": [], "year": [], "value": [], "row": []}
    for n, rec in enumerate(records, start=2):  # row 1: the header
        name = (rec.get("indicator") or "").strip()
        if name not in matched:
            matched[name] = matcher.match(name)
            key, how = matched[name]
            if key is None:
                warnings.append(
                    Problem(
                        n,
                        "indicator",
                        f"{name!r} is not an indicator of the plan; its rows are skipped",
                        "warning",
                    )
                )
            elif how.startswith("fuzzy") or how == "catalogue":
                warnings.append(
                    Problem(n, "indicator", f"{name!r} read as {key!r} ({how})", "warning")
                )
        key = matched[name][0]
        if key is None:
            continue
        try:
            region = resolve_region(rec.get("region") or default_region or "", names)
        except InvalidData as exc:
            errors.append(Problem(n, "region", exc.message))
            continue
        try:
            year = check_year(rec.get("year"), "not a year")
        except InvalidData as exc:
            errors.append(Problem(n, "year", exc.message))
            continue
        given = str(rec.get("value") or "").strip().replace("％", "%")
        unit = (units or {}).get(key)
        if given.endswith("%") and unit and normalise_unit(unit) != "%":  # 95% of a count
            errors.append(
                Problem(
                    n,
                    "value",
                    f"{given!r} has a % sign but {key} is counted in {unit}",
                )
            )
            continue
        raw = given.replace(",", "").rstrip("%")
        if not raw:
            continue  # an empty cell is a missing value, not an error
        bound = _BOUND.match(raw)
        if (
            bound
        ):  # ">95": a bound, taken at its value — the conservative reading (docs/evaluation.md)
            raw = bound.group(1)
            warnings.append(
                Problem(n, "value", f"{rec.get('value')!r} is a bound; read as {raw}", "warning")
            )
        try:
            value = float(raw)
        except ValueError:
            errors.append(Problem(n, "value", f"not a number: {rec.get('value')!r}"))
            continue
        if not math.isfinite(value):
            errors.append(Problem(n, "value", f"not a finite number: {rec.get('value')!r}"))
            continue
        for col, v in zip(rows, (key, region, year, value, n), strict=True):
            rows[col].append(v)
    if errors:
        raise InvalidData(
            f"{Path(path).name}: {len(errors)} bad rows; nothing was evaluated", errors
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
            "row": pl.Int64,
        },
    )
    dupes = (
        frame.group_by("indicator", "region", "year")
        .agg(pl.col("value").n_unique().alias("n"), pl.col("row").min())
        .filter(pl.col("n") > 1)
    )
    for rec in dupes.sort("row").iter_rows(named=True):
        warnings.append(
            Problem(
                rec["row"],
                "value",
                f"{rec['indicator']} {rec['region']} {rec['year']}: conflicting values; their mean is used",
                "warning",
            )
        )
    return frame.drop("row"), warnings


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
    names = _region_names()
    rows: dict[str, list[str | None]] = {
        k: [] for k in ("indicator", "region", "status", "judged_by", "judged_at")
    }
    errors: list[Problem] = []
    for n, rec in enumerate(records, start=2):
        key, _how = matcher.match((rec.get("indicator") or "").strip())
        if key is None:
            errors.append(
                Problem(n, "indicator", f"{rec.get('indicator')!r} is not an indicator of the plan")
            )
            continue
        if not (rec.get("judged_by") or "").strip():
            errors.append(Problem(n, "judged_by", "a judgement needs the analyst who made it"))
            continue
        region_text = (rec.get("region") or "").strip()
        try:
            region = resolve_region(region_text, names) if region_text else None
        except InvalidData as exc:
            errors.append(Problem(n, "region", exc.message))
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
        raise InvalidData(f"{Path(path).name}: {len(errors)} bad rows", errors)
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
        except InvalidData:
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
