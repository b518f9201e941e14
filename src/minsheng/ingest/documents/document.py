"""Read one plan document into an :class:`Extraction`: the pipeline of the ingest layer.

read → clean → metadata → indicator tables → outline → service lists → key
projects → catalogue matching. Each step reports what it could not do; the
confidence summarises those reports so a user knows which extractions to check
by eye first.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from minsheng.data.catalogue import load_catalogue
from minsheng.domain.indicators import DOMAIN_FROM_MAPPING, CanonicalIndicator
from minsheng.domain.plans import Plan
from minsheng.ingest.documents.catalogue_matching import match_indicators
from minsheng.ingest.documents.cleaning import clean_lines, dropped_lines
from minsheng.ingest.documents.columns import is_nature, is_nature_word
from minsheng.ingest.documents.extraction import (
    NEEDS_REVIEW,
    REVIEW_THRESHOLD,
    Extraction,
    UnparsedLine,
)
from minsheng.ingest.documents.indicator_tables import read_indicator_tables
from minsheng.ingest.documents.metadata import read_metadata_sourced
from minsheng.ingest.documents.notice import FIELD_NAMES, is_traditional, simplified
from minsheng.ingest.documents.outline import read_outline
from minsheng.ingest.documents.projects import read_project_boxes
from minsheng.ingest.documents.readers import RawDocument, read_document
from minsheng.ingest.documents.services_list import read_service_lists
from minsheng.ingest.documents.tables import IndicatorTable, split_pipe, split_spaces
from minsheng.ingest.documents.vertical import join_vertical_tables

_METADATA_LINE = re.compile(rf"(?:{FIELD_NAMES})\s*[:：]")


_YEAR_CELL = re.compile(r"(?:19|20)\d{2}\s*年?")
_NUMBERED_ROW = re.compile(r"^\s*\d{1,3}\s*[|\s]\s*\S")


def _table_like(line: str) -> str | None:
    """Why a line outside every table still looks like part of one (None: it does not).

    A table region shows itself by row-shaped lines, by a nature word (约束性/预期性) as a
    cell, by a header of year columns, or by a numbered row with figures."""
    if "|" in line:
        return (
            "row of cells outside any table read"
            if sum(1 for c in split_pipe(line) if c) >= 3
            else None
        )
    text = line.strip()
    if not text or len(text) > 120 or re.search(r"[。；;]", text):
        return None
    cells = split_spaces(line)
    if len(cells) >= 3 and is_nature(cells[-1]):
        return "row ending in a nature outside any table read"
    if any(is_nature_word(c) for c in cells) and len(text) <= 12:
        return "nature cell (约束性/预期性) outside any table read"
    if sum(1 for c in cells if _YEAR_CELL.fullmatch(c)) >= 2:
        return "year header outside any table read"
    if (
        _NUMBERED_ROW.match(text)
        and sum(1 for c in cells[1:] if re.fullmatch(r"[\d.,%％]+", c)) >= 2
    ):
        return "numbered row with figures outside any table read"
    return None


def _years_from_period(
    table: IndicatorTable, start: int | None, end: int | None, warnings: list[str]
) -> None:
    """A header that names no years (``现状值 | 目标值``): the plan's period dates the
    columns, the target at its last year and the baseline the year before its first."""
    if table.target_year is not None or end is None:
        return
    table.target_year = end
    has_baseline = any(row.baseline_raw for row in table.rows)
    if has_baseline and start is not None and table.baseline_year is None:
        table.baseline_year = start - 1
    for row in table.rows:
        row.target_year = end
        if has_baseline and row.baseline_year is None:
            row.baseline_year = table.baseline_year
    warnings.append(
        f"line {table.header_line}: the table's header names no years; "
        f"read as {table.baseline_year or '—'} → {end} from the plan period"
    )


def _confidence(plan: Plan, unparsed: int, service_mismatches: int, meta_warnings: int) -> float:
    if not plan.indicators:
        return 0.3 if (plan.services or plan.projects) else 0.1
    incomplete = sum(1 for r in plan.indicators if r.nature is None or not r.target_raw)
    score = 1.0
    score -= min(0.4, 0.03 * unparsed)
    score -= min(0.3, 0.3 * incomplete / len(plan.indicators))
    score -= min(0.2, 0.05 * service_mismatches)
    score -= min(0.1, 0.03 * meta_warnings)
    return max(0.0, min(1.0, score))


def extract_lines(
    raw: RawDocument,
    document: str,
    catalogue: list[CanonicalIndicator] | None = None,
    aliases: dict[str, str] | None = None,
) -> Extraction:
    """The pipeline over lines already read (readers are separate so tests can feed text).

    ``catalogue`` defaults to the shipped one; ``aliases`` (plan wording → code) are
    mappings people confirmed earlier, which the store keeps.
    """
    lines, removed = clean_lines(raw.lines)
    removed = [*raw.removed, *removed]
    meta, meta_warnings, meta_sources = read_metadata_sourced(lines)
    warnings = [*raw.warnings, *meta_warnings]
    for removal in removed:
        if removal.reason == "injected spam":
            warnings.append(
                f"line {removal.line}: removed text injected into the page: {removal.text}"
            )
    chrome = sum(1 for r in removed if r.reason not in ("injected spam", "page number"))
    if chrome:
        warnings.append(f"removed {chrome} pieces of website chrome (see removed)")
    pages = sum(1 for r in removed if r.reason == "page number")
    if pages:
        warnings.append(f"removed {pages} page numbers left by a PDF copy (see removed)")

    if is_traditional(lines):
        # Tables, lists and outline are read in Simplified script (their words are matched
        # against Simplified headers and the catalogue); the metadata above kept the original.
        lines = [simplified(line) for line in lines]
        warnings.append("Traditional script: tables and lists read converted to Simplified")
    vertical = join_vertical_tables(lines, dropped_lines(removed))
    lines = vertical.lines
    tables = read_indicator_tables(lines, vertical.joined)
    consumed: set[int] = set()
    unparsed: list[UnparsedLine] = list(vertical.unparsed)
    consumed.update(vertical.joined)
    for table in tables:
        consumed.update(range(table.header_line - 1, table.end_line))
        unparsed.extend(table.unparsed)
        warnings.extend(table.warnings)
    outline = read_outline(lines, exclude=consumed)
    services = read_service_lists(lines, outline)
    projects = read_project_boxes(lines)
    consumed |= services.lines | projects.lines
    warnings.extend(services.warnings)
    warnings.extend(projects.warnings)
    seen = {u.line for u in unparsed}
    for i, line in enumerate(lines):
        if i in consumed or (i + 1) in seen or _METADATA_LINE.search(line):
            continue
        reason = _table_like(line)
        if reason:
            unparsed.append(UnparsedLine(i + 1, line.strip(), reason))
    unparsed.sort(key=lambda u: u.line)

    for table in tables:
        _years_from_period(table, meta.period_start, meta.period_end, warnings)
    rows = [row for table in tables for row in table.rows]
    if not tables:
        warnings.append("no indicator table found (a header naming 指标 and a 20XX年 column)")
    first = tables[0] if tables else None
    plan = Plan(
        metadata=meta,
        indicators=rows,
        services=services.entries,
        projects=projects.projects,
        outline=outline,
        baseline_year=first.baseline_year if first else None,
        target_year=first.target_year if first else (meta.period_end if meta.period_end else None),
        source_file=document,
    )
    entries = catalogue if catalogue is not None else load_catalogue()
    matches = match_indicators(
        [r.name for r in rows], entries, extra_aliases=aliases, units=[r.unit for r in rows]
    )
    domain_of = {c.code: c.domain for c in entries}
    for row, match in zip(rows, matches, strict=True):
        row.canonical_code, row.match_score = match.code, match.score
        if row.domain_code is None and match.code is not None:
            # a table without category rows (每千人口拥有注册护士数 names no domain word):
            # the catalogue entry it is matched to says which of the nine domains it serves
            row.domain_code = domain_of.get(match.code)
            row.domain_from = DOMAIN_FROM_MAPPING if row.domain_code else None
    if unparsed:
        warnings.append(f"{len(unparsed)} table-like lines could not be read (see unparsed_lines)")
    plan.warnings = list(warnings)
    mismatches = sum(1 for s in services.entries if s.count_matches is False)
    extraction = Extraction(
        document=document,
        plan=plan,
        warnings=warnings,
        unparsed_lines=unparsed,
        removed=removed,
        matches=matches,
        metadata_sources=meta_sources,
        row_lines=[n for table in tables for n in table.row_lines],
    )
    extraction.confidence = _confidence(plan, len(unparsed), mismatches, len(meta_warnings))
    if plan.metadata.region_code is None:
        # a plan whose region is unknown cannot be judged for anyone yet: check it first
        extraction.confidence = min(extraction.confidence, 0.5)
    if raw.ocr_confidence is not None:  # figures read by OCR are only as sure as the OCR
        extraction.confidence *= raw.ocr_confidence
    extraction.review_reasons = _review_reasons(extraction, tables)
    for reason in extraction.review_reasons:
        warnings.append(f"{NEEDS_REVIEW}: {reason}")
    plan.warnings = list(warnings)
    return extraction


def _review_reasons(extraction: Extraction, tables: list[IndicatorTable]) -> list[str]:
    """Why a person must check this extraction before it is used (empty: nothing to check)."""
    reasons = [
        f"line {t.header_line}: an indicator table header with no rows read"
        for t in tables
        if not t.rows
    ]
    if extraction.confidence < REVIEW_THRESHOLD:
        reasons.append(f"confidence {extraction.confidence:.2f} is below {REVIEW_THRESHOLD:.2f}")
    return reasons


def read_plan(
    path: str | Path,
    catalogue: list[CanonicalIndicator] | None = None,
    aliases: dict[str, str] | None = None,
) -> Extraction:
    """Read a plan document (.txt, .html, .docx, .pdf) into an extraction."""
    p = Path(path)
    raw = read_document(p)
    extraction = extract_lines(raw, p.name, catalogue, aliases)
    extraction.plan.checksum = hashlib.sha256(p.read_bytes()).hexdigest()
    return extraction
