"""The JSON form of an extracted plan, and the way back to domain objects.

``minsheng ingest FILE --json`` writes one object per document. Its top level
carries exactly the fields of the hand-checked gold files (``document``,
``region``, ``level``, ``baseline_year``, ``target_year``, ``indicators`` with
``seq, domain, name, unit, baseline_raw, target_raw, nature, notes``) so an
extraction and a gold file can be compared field by field, plus what the
extraction adds: parsed ``baseline``/``target`` objects (``Target.to_dict()``),
``domain_code``, ``canonical`` {code, score}, ``services``, ``projects``,
``outline``, ``metadata``, ``warnings``, ``unparsed_lines``, ``confidence``
and ``removed``.

:func:`plan_from_dict` reads either shape back into a :class:`Plan`: where the
parsed cell objects are absent (a gold file, a hand-written plan) the raw cells
are parsed with the §1 grammar and the row's notes re-applied.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from minsheng.domain import limits
from minsheng.domain.errors import InvalidData, Problem
from minsheng.domain.indicators import DOMAIN_FROM_MAPPING, Nature, PlanIndicator
from minsheng.domain.plans import KeyProject, OutlineNode, Plan, PlanMetadata, ServiceListEntry
from minsheng.domain.regions import Level
from minsheng.domain.service_domains import classify_domain
from minsheng.domain.targets import Target, parse_target
from minsheng.ingest.documents.footnotes import apply_note_texts

if TYPE_CHECKING:
    from minsheng.ingest.documents.extraction import Extraction

GOLD_ROW_FIELDS = ("seq", "domain", "name", "unit", "baseline_raw", "target_raw", "nature", "notes")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def indicator_to_dict(row: PlanIndicator) -> dict[str, object]:
    out = dict(row.gold_fields())
    out["baseline"] = row.baseline.to_dict()
    out["target"] = row.target.to_dict()
    out["domain_code"] = row.domain_code
    if row.domain_from == DOMAIN_FROM_MAPPING:  # the matched entry's, not the table's own
        out["domain_from"] = row.domain_from
    out["canonical"] = (
        {"code": row.canonical_code, "score": round(row.match_score or 0.0, 3)}
        if row.canonical_code
        else None
    )
    if row.baseline_year is not None and row.baseline_year != row.baseline.data_year:
        out["baseline_year"] = row.baseline_year
    return out


def service_to_dict(entry: ServiceListEntry) -> dict[str, object]:
    return {
        "domain": entry.domain,
        "content_and_goal": entry.content_and_goal,
        "items": list(entry.items),
        "declared_count": entry.declared_count,
    }


def project_to_dict(project: KeyProject) -> dict[str, object]:
    fields = (
        "name",
        "domain",
        "box",
        "description",
        "lead_unit",
        "investment",
        "start_year",
        "end_year",
        "status",
    )
    return {f: getattr(project, f) for f in fields if getattr(project, f) is not None}


def metadata_to_dict(meta: PlanMetadata) -> dict[str, object]:
    return {
        "title": meta.title,
        "issuer": meta.issuer,
        "document_number": meta.document_number,
        "issue_date": _iso(meta.issue_date),
        "publish_date": _iso(meta.publish_date),
        "region_code": meta.region_code,
        "region_name": meta.region_name,
        "level": meta.level.value if meta.level else None,
        "period_start": meta.period_start,
        "period_end": meta.period_end,
    }


def plan_to_dict(plan: Plan, document: str | None = None) -> dict[str, object]:
    """A plan in the gold shape plus the parsed additions (no extraction diagnostics)."""
    meta = plan.metadata
    return {
        "document": document or plan.source_file,
        "region": meta.region_name,
        "level": meta.level.value if meta.level else None,
        "baseline_year": plan.baseline_year,
        "target_year": plan.target_year,
        "indicators": [indicator_to_dict(r) for r in plan.indicators],
        "services": [service_to_dict(s) for s in plan.services],
        "projects": [project_to_dict(p) for p in plan.projects],
        "outline": [n.to_dict() for n in plan.outline],
        "metadata": metadata_to_dict(meta),
    }


def extraction_to_dict(extraction: Extraction) -> dict[str, object]:
    out = plan_to_dict(extraction.plan, extraction.document)
    indicators = out.get("indicators")
    if isinstance(indicators, list) and len(indicators) == len(extraction.row_lines):
        for row, line in zip(indicators, extraction.row_lines, strict=True):
            row["line"] = line
    out["warnings"] = list(extraction.warnings)
    out["unparsed_lines"] = [u.to_dict() for u in extraction.unparsed_lines]
    out["confidence"] = round(extraction.confidence, 3)
    out["needs_review"] = extraction.needs_review
    out["review_reasons"] = list(extraction.review_reasons)
    out["metadata_sources"] = {k: v.to_dict() for k, v in extraction.metadata_sources.items()}
    out["removed"] = [r.to_dict() for r in extraction.removed]
    out["unmatched"] = [
        {
            "name": m.name,
            "candidates": [
                {"code": c, "name": n, "score": round(s, 3)} for c, n, s in m.candidates
            ],
        }
        for m in extraction.unmatched
    ]
    return out


# --- back to domain objects -------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _cell(row: dict[str, Any], key: str, index: int) -> Target | None:
    obj = row.get(key)
    if isinstance(obj, dict) and "kind" in obj:
        try:
            return Target.from_dict(obj)
        except (ValueError, TypeError, KeyError, AssertionError) as exc:
            what = f"not a target ({type(exc).__name__}: {str(exc)[:80]})"
            what_zh = "不是有效的目标值写法"
            if isinstance(exc, ValueError) and "TargetKind" in str(exc):
                what = f"unknown target kind {str(obj.get('kind'))[:40]!r}"
                what_zh = f"未知的目标类型“{str(obj.get('kind'))[:40]}”"
            raise InvalidData(
                f"row {index}, {key}: {what}",
                [Problem(index, key, what, message_zh=what_zh)],
                message_zh=f"第{index}行 {key}：{what_zh}",
            ) from None
    return None


def indicator_from_dict(
    row: dict[str, Any], index: int, baseline_year: int | None, target_year: int | None
) -> PlanIndicator:
    """One indicator row; ``index`` (1-based) stands in for a missing ``seq`` and names the row in errors."""
    name = _text(row.get("name"))
    if not name:
        raise InvalidData(
            "indicator row without a name",
            [Problem(index, "name", "missing", message_zh="未填写指标名称")],
            message_zh="有指标行未填写名称",
        )
    baseline_raw, target_raw = _text(row.get("baseline_raw")), _text(row.get("target_raw"))
    baseline, target = _cell(row, "baseline", index), _cell(row, "target", index)
    notes = _text(row.get("notes"))
    if baseline is None or target is None:
        parsed_b, parsed_t = apply_note_texts(
            parse_target(baseline_raw), parse_target(target_raw), notes, name
        )
        baseline = baseline or parsed_b
        target = target or parsed_t
    domain = _text(row.get("domain"))
    domain_code = _text(row.get("domain_code"))
    domain_from = DOMAIN_FROM_MAPPING if row.get("domain_from") == DOMAIN_FROM_MAPPING else None
    if domain_code is None:
        found = classify_domain(domain) or classify_domain(name)
        domain_code, domain_from = (found.code if found else None), None
    canonical = row.get("canonical") if isinstance(row.get("canonical"), dict) else None
    nature_label = _text(row.get("nature"))
    return PlanIndicator(
        seq=_int(row.get("seq")) if row.get("seq") is not None else index,
        domain=domain,
        name=name,
        unit=_text(row.get("unit")),
        baseline_raw=baseline_raw,
        target_raw=target_raw,
        nature=Nature.from_label(nature_label),
        notes=notes,
        baseline=baseline,
        target=target,
        baseline_year=baseline.data_year or _int(row.get("baseline_year")) or baseline_year,
        target_year=target_year,
        domain_code=domain_code,
        domain_from=domain_from,
        canonical_code=_text(canonical.get("code")) if canonical else None,
        match_score=float(canonical["score"])
        if canonical and canonical.get("score") is not None
        else None,
        polarity=None,  # decided at evaluation: catalogue, then name, then the cells (marked inferred)
    )


def _outline_from_dict(node: dict[str, Any]) -> OutlineNode:
    return OutlineNode(
        level=int(node.get("level", 0)),
        title=str(node.get("title", "")),
        line=int(node.get("line", 0)),
        kind=str(node.get("kind", "")),
        children=[_outline_from_dict(c) for c in node.get("children", []) or []],
    )


def _resolve_region(metadata: PlanMetadata) -> None:
    """Fill the code (and level) of a region given only by name, as gold files give it."""
    from minsheng.domain.regions import NATIONAL_CODE, NATIONAL_NAME, level_of_code
    from minsheng.ingest.documents.metadata import resolve_region

    name = metadata.region_name or ""
    if name in (NATIONAL_NAME, "中国", "国家"):
        metadata.region_code, metadata.level = NATIONAL_CODE, metadata.level or Level.NATIONAL
        return
    region = resolve_region(name)
    if region is not None:
        metadata.region_code = region.code
        metadata.level = metadata.level or level_of_code(region.code)


def plan_from_dict(data: dict[str, Any]) -> Plan:
    """Rebuild a :class:`Plan` from an ingest JSON object or a gold-shaped object."""
    if not isinstance(data, dict):
        raise InvalidData("a plan must be a JSON object with an 'indicators' list")
    rows = data.get("indicators")
    if not isinstance(rows, list):
        raise InvalidData("a plan must be a JSON object with an 'indicators' list")
    meta_in: dict[str, Any] = data["metadata"] if isinstance(data.get("metadata"), dict) else {}
    level_text = _text(meta_in.get("level")) or _text(data.get("level"))
    try:
        level = Level(level_text) if level_text else None
    except ValueError:
        level = None
    metadata = PlanMetadata(
        title=_text(meta_in.get("title")),
        issuer=_text(meta_in.get("issuer")),
        document_number=_text(meta_in.get("document_number")),
        issue_date=_date(meta_in.get("issue_date")),
        publish_date=_date(meta_in.get("publish_date")),
        region_name=_text(meta_in.get("region_name")) or _text(data.get("region")),
        region_code=_text(meta_in.get("region_code")),
        level=level,
        period_start=_int(meta_in.get("period_start")),
        period_end=_int(meta_in.get("period_end")),
    )
    if metadata.region_code is None and metadata.region_name:
        _resolve_region(metadata)
    baseline_year, target_year = _int(data.get("baseline_year")), _int(data.get("target_year"))
    problems: list[Problem] = []
    indicators = []
    for i, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            problems.append(
                Problem(
                    i,
                    None,
                    "indicator row is not an object",
                    message_zh="指标行格式不对（应为对象）",
                )
            )
            continue
        try:
            indicators.append(indicator_from_dict(row, i, baseline_year, target_year))
        except InvalidData as exc:
            problems.extend(exc.problems)
    if problems:
        raise InvalidData(
            f"plan JSON: {len(problems)} bad indicator rows",
            problems,
            message_zh=f"规划 JSON：{len(problems)} 个指标行有误",
        )
    services = [
        ServiceListEntry(
            domain=str(s.get("domain", "")),
            items=[str(x) for x in s.get("items", []) or []],
            content_and_goal=_text(s.get("content_and_goal")),
            declared_count=_int(s.get("declared_count")),
        )
        for s in data.get("services", []) or []
        if isinstance(s, dict)
    ]
    project_fields = set(KeyProject.__dataclass_fields__)
    projects = [
        KeyProject(**{k: v for k, v in p.items() if k in project_fields})
        for p in data.get("projects", []) or []
        if isinstance(p, dict) and p.get("name")
    ]
    return Plan(
        metadata=metadata,
        indicators=indicators,
        services=services,
        projects=projects,
        outline=[
            _outline_from_dict(n) for n in data.get("outline", []) or [] if isinstance(n, dict)
        ],
        baseline_year=baseline_year,
        target_year=target_year,
        source_file=_text(data.get("document")),
        warnings=[str(w) for w in data.get("warnings", []) or []],
    )


def plans_from_json(obj: Any) -> list[Plan]:
    """One plan per object of an ingest JSON document (an object or an array of them).

    The JSON comes from users: a field of the wrong type anywhere is refused in one
    line rather than surfacing as a Python error from deep in the conversion.
    """
    _check_nesting(obj)
    try:
        if isinstance(obj, list):
            return [plan_from_dict(o) for o in obj]
        return [plan_from_dict(obj)]
    except (ValueError, TypeError, KeyError, AttributeError, AssertionError) as exc:
        raise InvalidData(
            f"plan JSON: a field has the wrong shape ({type(exc).__name__}: {str(exc)[:100]})"
        ) from None


def _check_nesting(obj: Any) -> None:
    """Refuse containers nested deeper than the limit (iteratively: no recursion to exhaust)."""
    limit = limits.current().max_nesting
    stack: list[tuple[Any, int]] = [(obj, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            raise limits.current().nesting_error("plan JSON")
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node if isinstance(v, dict | list))


def load_plan_json(path: str | Path) -> list[Plan]:
    """Read a ``minsheng ingest --json`` output (or a gold file) from disk."""
    p = Path(path)
    if not p.is_file():
        raise InvalidData(f"{p}: no such file")
    limits.current().check_size(p.stat().st_size, p.name)
    data = p.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:  # JSON saved by a Chinese Windows editor
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise InvalidData(f"{p.name}: not UTF-8 or GB18030 text") from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidData(f"{p.name}: not JSON ({exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        raise limits.current().nesting_error(p.name) from None
    try:
        return plans_from_json(obj)
    except InvalidData as exc:  # the refusal names the file, as every other door's does
        message = exc.message.removeprefix("plan JSON: ")
        raise InvalidData(f"{p.name}: {message}", exc.problems) from None
