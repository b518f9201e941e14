"""Plans entered without a document: a higher level's targets from a table, confirmed drafts.

A target table (CSV/XLSX, :mod:`minsheng.ingest.documents.target_table`) is stored
as a plan of kind ``targets_only`` — a partial plan: only the rows given, with
their source — so that any region's plan (or draft) can name it as its higher
plan. The national 15th five-year outline's known 2030 targets ship in
``minsheng/data/targets`` and load with :func:`load_national_targets`. A draft
workbook an analyst has confirmed comes back through :func:`import_draft` as a
plan of kind ``draft``.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from minsheng.data import data_file
from minsheng.data.catalogue import load_catalogue
from minsheng.data.divisions import divisions_by_code
from minsheng.domain.errors import InvalidData, Problem
from minsheng.domain.indicators import PlanIndicator
from minsheng.domain.plans import Plan, PlanKind, PlanMetadata
from minsheng.domain.regions import level_of_code
from minsheng.ingest.documents.catalogue_matching import match_indicators
from minsheng.ingest.documents.target_table import TargetTable, read_target_table
from minsheng.services.evaluation_files import resolve_region
from minsheng.services.plans import StoredPlan, get_plan, save_extracted_plan
from minsheng.store.database import Database

NATIONAL_TARGETS = ("targets", "national_15th_2030.csv")
NATIONAL_TITLE = "国家“十五五”规划纲要主要指标（2030年目标，部分）"


def _mapped(indicators: list[PlanIndicator]) -> list[PlanIndicator]:
    """Canonical codes from the catalogue, as the document reader gives them."""
    matches = match_indicators(
        [i.name for i in indicators], load_catalogue(), units=[i.unit for i in indicators]
    )
    return [
        replace(i, canonical_code=m.code, match_score=m.score) if m.code else i
        for i, m in zip(indicators, matches, strict=True)
    ]


def _plan_from_table(
    table: TargetTable,
    *,
    region: str,
    title: str,
    kind: str,
    source: str | None,
    checksum: str,
    source_file: str,
    higher_plan_id: int | None = None,
) -> Plan:
    code = resolve_region(region)
    by_code = divisions_by_code()
    start = (table.baseline_year or table.target_year - 5) + 1
    return Plan(
        metadata=PlanMetadata(
            title=title,
            region_code=code,
            region_name=by_code[code].name if code in by_code else None,
            level=level_of_code(code),
            period_start=start,
            period_end=table.target_year,
        ),
        indicators=_mapped(table.indicators),
        baseline_year=start - 1,
        target_year=table.target_year,
        source_file=source_file,
        checksum=checksum,
        higher_plan_id=higher_plan_id,
        kind=kind,
        source=source or "；".join(table.sources) or None,
    )


def _checksum(data: bytes, *extra: str) -> str:
    digest = hashlib.sha256(data)
    for part in extra:
        digest.update(part.encode())
    return digest.hexdigest()


def load_target_table(
    db: Database,
    path: str | Path,
    *,
    region: str | None = None,
    title: str | None = None,
    source: str | None = None,
    higher: int | str | None = None,
) -> StoredPlan:
    """Store a table of targets as a partial plan (kind ``targets_only``) with its source.

    The region, title and source come from the arguments, else from the
    workbook's 说明 sheet or the rows' 来源 column; a table without a source is
    refused (a target nobody can trace is not evidence). Loading the same file
    for the same region again returns the stored plan.
    """
    p = Path(path)
    table = read_target_table(p)
    region = region or table.meta.get("region")
    if not region:
        raise InvalidData(f"{p.name}: which region's targets are these? give --region CODE")
    src = source or table.meta.get("source") or "；".join(table.sources)
    if not src:
        raise InvalidData(f"{p.name}: no source: add a 来源 column or give --source")
    higher_id = get_plan(db, higher).id if higher is not None else None
    plan = _plan_from_table(
        table,
        region=region,
        title=title or table.meta.get("title") or f"{p.stem}（{table.target_year}年目标）",
        kind=PlanKind.TARGETS_ONLY,
        source=src,
        checksum=_checksum(p.read_bytes(), region),
        source_file=p.name,
        higher_plan_id=higher_id,
    )
    return save_extracted_plan(db, plan, if_exists="keep")


def load_national_targets(db: Database) -> StoredPlan:
    """The shipped national 2030 targets (a partial plan; see data/targets/SOURCE.md)."""
    node = data_file(*NATIONAL_TARGETS)
    with_path = Path(str(node))
    return load_target_table(db, with_path, region="100000", title=NATIONAL_TITLE)


def import_draft(
    db: Database,
    path: str | Path,
    *,
    region: str | None = None,
    title: str | None = None,
    allow_unconfirmed: bool = False,
) -> StoredPlan:
    """Store a draft workbook the analyst has edited and confirmed as a plan of kind ``draft``.

    Every row's 确认 cell must say 是 (or the import is refused with the rows
    that do not, all at once) unless ``allow_unconfirmed``.
    """
    p = Path(path)
    table = read_target_table(p)
    if not allow_unconfirmed:
        if all(c is None for c in table.confirmed):
            raise InvalidData(
                f"{p.name}: no 确认 column: is this a draft exported by `minsheng draft`?"
            )
        problems = [
            Problem(
                row,
                "确认",
                f"{ind.name}: target {ind.target_raw or '—'} not confirmed",
                message_zh=f"{ind.name}：目标值 {ind.target_raw or '—'} 尚未确认，"
                "核对无误后请在“确认”列填写“是”",
            )
            for row, ind, ok in zip(table.rows, table.indicators, table.confirmed, strict=True)
            if not ok
        ]
        if problems:
            raise InvalidData(
                f"{p.name}: {len(problems)} target(s) not confirmed (write 是 in 确认)",
                problems,
                message_zh=f"{p.name}：{len(problems)} 个目标值尚未确认（请在“确认”列填写“是”）",
            )
    region = region or table.meta.get("region")
    if not region:
        raise InvalidData(f"{p.name}: no 地区代码 in the 说明 sheet; give --region CODE")
    higher = table.meta.get("higher_plan")
    higher_id = get_plan(db, int(higher) if higher.isdigit() else higher).id if higher else None
    origin = table.meta.get("from_plan")
    plan = _plan_from_table(
        table,
        region=region,
        title=title or table.meta.get("title") or f"{p.stem}（草案）",
        kind=PlanKind.DRAFT,
        source=f"draft of plan {origin}, confirmed in {p.name}"
        if origin
        else f"confirmed in {p.name}",
        checksum=_checksum(p.read_bytes(), region),
        source_file=p.name,
        higher_plan_id=higher_id,
    )
    return save_extracted_plan(db, plan)
