"""Corrections of a stored plan's indicator rows, where the document or its reading erred.

A plan's table can be wrong in the document itself (a unit column that says % beside a
name that counts 万次) or read wrongly. An analyst corrects the row rather than the
document: the correction is the plan's next version (the same versioning a revised
document gets, so the earlier reading stays in the plan's history and the audit trail
says who changed what, and why). Values already entered are never rewritten by it: each
keeps the unit it was entered in, and the correction says how they now read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.domain.errors import InvalidData, NotFound
from minsheng.domain.indicators import Nature, PlanIndicator
from minsheng.domain.targets import parse_target
from minsheng.services.plans import StoredPlan, get_plan
from minsheng.store.database import Database
from minsheng.store.models import CanonicalIndicatorRow, ObservationVersionRow, PlanIndicatorRow
from minsheng.store.repositories import audit as audit_repo
from minsheng.store.repositories import plan_versions as versions_repo
from minsheng.store.repositories import plans as plans_repo
from minsheng.units import normalise_unit, same_quantity

#: What a correction may change, and the row's fields each one sets.
FIELDS = ("unit", "baseline", "target", "nature")


@dataclass(frozen=True)
class RowCorrection:
    key: str  # the row's seq or exact name
    field: str  # one of FIELDS
    text: str  # the new cell, as the table would have said it


@dataclass(frozen=True)
class CorrectedPlan:
    plan: StoredPlan
    version: int | None  # the plan's version after the correction (None: nothing changed)
    changes: tuple[str, ...]
    # (row name, old unit, new unit, values entered in the old unit, whether they convert)
    units_changed: tuple[tuple[str, str | None, str | None, int, bool], ...]


def parse_correction(text: str) -> RowCorrection:
    """``32.unit=万次`` → RowCorrection("32", "unit", "万次"); the key may be a name."""
    left, sep, value = text.partition("=")
    key, dot, field = left.rpartition(".")
    if not sep or not dot or not key.strip():
        raise InvalidData(
            f"a correction is ROW.FIELD=VALUE (e.g. 32.unit=万次), not {text!r}",
            message_zh=f"更正的写法是 行.字段=值（如 32.unit=万次），而不是“{text}”",
        )
    field = field.strip().lower()
    if field not in FIELDS:
        raise InvalidData(
            f"{field!r} is not a field a correction may change ({', '.join(FIELDS)})",
            message_zh=f"不能更正字段“{field}”；可更正：{'、'.join(FIELDS)}",
        )
    value = value.strip()
    column = {"unit": "unit", "baseline": "baseline_raw", "target": "target_raw"}.get(field)
    longest = getattr(PlanIndicatorRow.__table__.c[column].type, "length", None) if column else None
    if longest is not None and len(value) > longest:
        raise InvalidData(
            f"{field} holds at most {longest} characters; this one has {len(value):,}",
            message_zh=f"{field} 最多 {longest} 个字符，这里有 {len(value):,} 个",
        )
    return RowCorrection(key.strip(), field, value)


def indicator_position(stored: StoredPlan, key: str) -> int:
    """The place of the row ``key`` names in the plan: its seq, or its exact name."""
    key = key.strip()
    found = [
        i
        for i, indicator in enumerate(stored.plan.indicators)
        if (key.isdigit() and indicator.seq == int(key)) or indicator.name == key
    ]
    if not found:
        raise NotFound(
            f"plan {stored.id} has no indicator with seq or name {key!r}",
            message_zh=f"规划 {stored.id} 没有序号或名称为“{key}”的指标",
        )
    if len(found) > 1:
        raise InvalidData(
            f"{key!r} names {len(found)} indicators of plan {stored.id}: use the exact name",
            message_zh=f"“{key}”对应规划 {stored.id} 的 {len(found)} 个指标：请写出完整名称",
        )
    return found[0]


def _corrected(row: PlanIndicator, field: str, text: str) -> PlanIndicator:
    if field == "unit":
        return replace(row, unit=text or None)
    if field == "nature":
        nature = Nature.from_label(text)
        if nature is None and text:
            raise InvalidData(
                f"nature is 约束性 (binding) or 预期性 (anticipatory), not {text!r}",
                message_zh=f"指标属性应为约束性或预期性，而不是“{text}”",
            )
        return replace(row, nature=nature)
    if field == "baseline":
        return replace(row, baseline_raw=text or None, baseline=parse_target(text or None))
    return replace(row, target_raw=text or None, target=parse_target(text or None))


def correct_plan_rows(
    db: Database,
    plan_ref: int | str,
    corrections: list[RowCorrection],
    *,
    by: str | None,
    reason: str,
) -> CorrectedPlan:
    """Apply ``corrections`` as the plan's next version, all or none.

    A mapped row's unit may change only to one of the same quantity as its catalogue
    indicator's (the shared series' values would otherwise mean another thing).
    """
    if not reason.strip():
        raise InvalidData(
            "say why the plan is corrected (--reason)", message_zh="请说明更正原因（--reason）"
        )
    stored = get_plan(db, plan_ref)
    rows = list(stored.plan.indicators)
    for c in corrections:
        at = indicator_position(stored, c.key)
        rows[at] = _corrected(rows[at], c.field, c.text)
    changed = [
        (stored.indicator_ids[i], before, after)
        for i, (before, after) in enumerate(zip(stored.plan.indicators, rows, strict=True))
        if before != after
    ]
    if not changed:
        return CorrectedPlan(stored, None, (), ())
    with db.session() as session:
        units_changed = []
        for row_id, before, after in changed:
            if normalise_unit(before.unit) == normalise_unit(after.unit):
                continue
            units_changed.append(_unit_change(session, row_id, before, after))
        row = plans_repo.find_plan_row(session, stored.id)
        changes = versions_repo.update_plan(session, row, replace(stored.plan, indicators=rows))
        words = [
            f"{after.name}: " + ", ".join(
                f"{f} {_cell(before, f)} → {_cell(after, f)}"
                for f in FIELDS
                if _cell(before, f) != _cell(after, f)
            )
            for _, before, after in changed
        ]  # fmt: skip
        audit_repo.record(
            session, by, "plan.correct", f"{stored.title} (plan {stored.id}, version {row.version})",
            region=stored.region_code,
            after={"plan": stored.id, "changes": "; ".join(words), "reason": reason.strip()},
        )  # fmt: skip
        version = row.version
        result = plans_repo.to_stored_plan(session, plans_repo.plan_row(session, stored.id))
    return CorrectedPlan(result, version, tuple(words + changes), tuple(units_changed))


def _cell(row: PlanIndicator, field: str) -> str:
    if field == "nature":
        return row.nature.value if row.nature else "—"
    value = row.unit if field == "unit" else getattr(row, f"{field}_raw")
    return value or "—"


def _unit_change(
    session: Session, row_id: int, before: PlanIndicator, after: PlanIndicator
) -> tuple[str, str | None, str | None, int, bool]:
    """Refuse a mapped row's unit of another quantity; count the values in the old unit."""
    stored_row = session.get(PlanIndicatorRow, row_id)
    assert stored_row is not None, "a row of the stored plan"
    o = ObservationVersionRow
    if stored_row.canonical_id is not None:
        canonical = session.get(CanonicalIndicatorRow, stored_row.canonical_id)
        assert canonical is not None, "a row's canonical indicator"
        if not same_quantity(after.unit, canonical.unit):
            raise InvalidData(
                f"{after.name} is mapped to {canonical.code} {canonical.name} in {canonical.unit}; "
                f"{after.unit} is another quantity, so the row cannot take it while mapped",
                message_zh=f"“{after.name}”已对应{canonical.code}“{canonical.name}”（单位"
                f"{canonical.unit}），{after.unit}不是同一计量，对应关系不变时不能改用该单位",
            )
        query = select(func.count(o.id)).where(o.canonical_id == stored_row.canonical_id)
    else:
        query = select(func.count(o.id)).where(o.plan_indicator_id == row_id)
    entered = session.scalar(query.where(o.unit == before.unit)) if before.unit else 0
    return (after.name, before.unit, after.unit, int(entered or 0),
            same_quantity(before.unit, after.unit))  # fmt: skip
