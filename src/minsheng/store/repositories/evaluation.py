"""The calculation record of evaluation results (issue 4 §7: every status can be audited)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from minsheng.domain.errors import InvalidData
from minsheng.store.models import EvaluationRecordRow, PlanIndicatorRow
from minsheng.store.repositories.regions import region_lookup
from minsheng.store.utils import chunks

_COLUMNS = {
    c.name
    for c in EvaluationRecordRow.__table__.columns
    if c.name not in {"id", "inputs", "computed_at"}
}
_SYNONYMS = {
    "year": "evaluation_year",
    "B": "baseline",
    "T": "target",
    "V": "value",
    "kind": "target_kind",
}


def save_evaluation_records(
    session: Session,
    rows: Sequence[Mapping[str, Any]],
    replace_plan_id: int | None = None,
) -> int:
    """Store one record per evaluated (plan indicator, region, year); return how many.

    Each row needs ``plan_indicator_id`` (or ``plan_id`` + ``indicator``, the
    plan's own wording), ``region_id`` or ``region`` (a code), ``evaluation_year``
    (or ``year``) and ``status``; it may give ``rho``, ``expected``, ``grade``,
    ``baseline``/``target``/``value`` (or ``B``/``T``/``V``), ``baseline_year``,
    ``target_year``, ``value_year``, ``target_kind``, ``method`` and
    ``computed_at``. Any other key is kept in the ``inputs`` JSON, so the
    record holds everything the calculation used. With ``replace_plan_id``, the
    plan's earlier records are removed first (a re-run replaces its results).
    """
    if replace_plan_id is not None:
        ids = select(PlanIndicatorRow.id).where(PlanIndicatorRow.plan_id == replace_plan_id)
        session.execute(
            delete(EvaluationRecordRow).where(EvaluationRecordRow.plan_indicator_id.in_(ids))
        )
    regions: dict[str, int] | None = None
    names: dict[tuple[int, str], int] = {}
    records = []
    for n, raw in enumerate(rows, 1):
        row = {_SYNONYMS.get(k, k): v for k, v in raw.items()}
        if row.get("plan_indicator_id") is None:
            plan_id, name = row.pop("plan_id", None), row.pop("indicator", None)
            if plan_id is None or name is None:
                raise InvalidData(
                    f"evaluation record {n}: needs plan_indicator_id or plan_id + indicator"
                )
            if (plan_id, name) not in names:
                for pid, pname, iid in session.execute(
                    select(
                        PlanIndicatorRow.plan_id, PlanIndicatorRow.name, PlanIndicatorRow.id
                    ).where(PlanIndicatorRow.plan_id == plan_id)
                ):
                    names.setdefault((pid, pname), iid)
            if (plan_id, name) not in names:
                raise InvalidData(
                    f"evaluation record {n}: plan {plan_id} has no indicator {name!r}"
                )
            row["plan_indicator_id"] = names[(plan_id, name)]
        if row.get("region_id") is None:
            code = row.pop("region", None) or row.pop("region_code", None)
            regions = regions if regions is not None else region_lookup(session)
            if code is None or str(code) not in regions:
                raise InvalidData(f"evaluation record {n}: unknown region {code!r}")
            row["region_id"] = regions[str(code)]
        else:
            row.pop("region", None)
            row.pop("region_code", None)
        for required in ("evaluation_year", "status"):
            if row.get(required) is None:
                raise InvalidData(f"evaluation record {n}: {required} is missing")
        record = {k: _plain(v) for k, v in row.items() if k in _COLUMNS}
        extra = {k: _plain(v) for k, v in row.items() if k not in _COLUMNS and k != "computed_at"}
        record["inputs"] = extra or None
        computed = row.get("computed_at")
        record["computed_at"] = computed if isinstance(computed, datetime) else datetime.now(UTC)
        for column in _COLUMNS:
            record.setdefault(column, None)
        records.append(record)
    for part in chunks(records, 2000):
        session.execute(insert(EvaluationRecordRow), list(part))
    session.flush()
    return len(records)


def _plain(value: Any) -> Any:
    """JSON- and database-friendly values (enums to their value, NumPy scalars to Python)."""
    if value is None or isinstance(value, bool | int | float | str):
        if isinstance(value, float) and value != value:  # NaN → NULL
            return None
        return value
    if hasattr(value, "value") and isinstance(value.value, str):  # an Enum
        return value.value
    if hasattr(value, "item"):  # a NumPy scalar
        return _plain(value.item())
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def evaluation_records(
    session: Session, plan_indicator_ids: Sequence[int]
) -> list[EvaluationRecordRow]:
    stmt = (
        select(EvaluationRecordRow)
        .where(EvaluationRecordRow.plan_indicator_id.in_(list(plan_indicator_ids)))
        .order_by(EvaluationRecordRow.id)
    )
    return list(session.scalars(stmt))
