"""The cascade check of stored plans: do the plans under a parent reach its targets together?

A plan whose target year is the one asked speaks with its own targets; any other
(a 2021–2025 plan) with the targets drafted for it (:func:`minsheng.services.drafting.draft_plan`).
The arithmetic is :func:`minsheng.analytics.cascade.cascade`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from minsheng.analytics.cascade import cascade
from minsheng.domain.drafting_rules import RULE_NAMES
from minsheng.domain.errors import NotFound
from minsheng.domain.plans import Plan
from minsheng.services.drafting import draft_plan
from minsheng.services.evaluation import plan_specs
from minsheng.services.plans import get_plan, list_plans
from minsheng.services.regions import get_populations
from minsheng.store.database import Database


@dataclass
class CascadeResult:
    parent_plan_id: int
    children: list[tuple[int, str | None]]  # (plan id, region code)
    table: pl.DataFrame
    notes: list[str] = field(default_factory=list)
    notes_zh: list[str] = field(default_factory=list)  # the same notes in Chinese, one for one


def _targets_frame(plan: Plan) -> pl.DataFrame:
    return plan_specs(plan).select(
        "canonical_code", "name", "unit", "percent", "kind", "target", "polarity"
    )


def cascade_check(
    db: Database, plan_ref: int | str, *, to_year: int = 2030, rule: str = "pace"
) -> CascadeResult:
    """Do the targets of the plans under ``plan_ref`` together reach its own?

    A plan whose target year is ``to_year`` speaks with its own targets; any
    other (a 2021–2025 plan) with the targets drafted for it by ``rule``.
    """
    parent = get_plan(db, plan_ref)
    children = [s for s in list_plans(db) if s.higher_plan_id == parent.id and s.region_code]
    if not children:
        raise NotFound(f"no stored plan names plan {parent.id} as its higher-level plan")
    notes: list[str] = []
    notes_zh: list[str] = []

    def targets(plan_id: int) -> pl.DataFrame:
        stored = get_plan(db, plan_id)
        if stored.plan.target_year == to_year:
            return _targets_frame(stored.plan)
        zh, en = RULE_NAMES.get(rule, (rule, rule))
        notes.append(f"plan {plan_id}: targets drafted by the rule '{en}' ({rule})")
        notes_zh.append(f"规划 {plan_id}：目标按“{zh}”规则推算")
        return _targets_frame(draft_plan(db, plan_id, to_year=to_year, rule=rule).plan)

    parent_frame = targets(parent.id)
    child_frames = [
        targets(s.id).with_columns(pl.lit(s.region_code).alias("region")) for s in children
    ]
    codes = [s.region_code for s in children if s.region_code]
    pops = get_populations(db, codes)
    base = to_year - 5
    latest: dict[str, tuple[int, float]] = {}
    for p in pops:
        if p.year <= base and (p.region_code not in latest or p.year > latest[p.region_code][0]):
            latest[p.region_code] = (p.year, float(p.population))
    populations = pl.DataFrame(
        {"region": list(latest), "population": [v for _, v in latest.values()]},
        schema={"region": pl.Utf8, "population": pl.Float64},
    )
    table = cascade(parent_frame, pl.concat(child_frames, how="diagonal_relaxed"), populations)
    return CascadeResult(
        parent.id, [(s.id, s.region_code) for s in children], table, notes, notes_zh
    )
