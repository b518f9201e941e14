"""Drafting the next plan: evidence and proposed targets per indicator, and the cascade check.

``draft_plan`` takes a stored 2021–2025 plan and gives its successor as a draft:
the same indicators (catalogue indicators added, rows dropped on request),
baseline = the 2025 value (or the latest, with its year), and per indicator a
proposed target from a stated rule with the evidence beside it
(:mod:`minsheng.analytics.drafting`). Observations are read only through
:func:`minsheng.services.plans.load_plan_for_evaluation` and the final grade
through :func:`minsheng.services.evaluation.evaluate_plan`, so a change in how
a plan reads its series reaches the draft unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl

from minsheng.analytics.draft_rows import (
    FORM_KINDS,
    draft_indicator,
    explain,
    fallback_zh,
    with_added,
)
from minsheng.analytics.drafting import evidence, propose
from minsheng.data.catalogue import load_catalogue
from minsheng.data.divisions import divisions_by_code
from minsheng.domain.errors import InvalidData, NotFound
from minsheng.domain.five_year_plans import five_year_name
from minsheng.domain.plans import Plan, PlanKind, PlanMetadata
from minsheng.domain.regions import ancestry, level_of_code, parent_code_of
from minsheng.domain.targets import Target
from minsheng.ingest.documents.plan_json import plan_to_dict
from minsheng.services.evaluation import evaluate_plan, plan_specs
from minsheng.services.plans import get_plan, list_plans, load_plan_for_evaluation
from minsheng.services.series_units import in_units
from minsheng.store.database import Database


@dataclass
class Draft:
    """A drafted successor plan and, per indicator, the evidence and the proposal."""

    source_plan_id: int
    plan: Plan
    table: pl.DataFrame  # one row per indicator (spec key): evidence, proposal, sentence
    higher_plan_id: int | None = None
    notes: list[str] = field(default_factory=list)
    notes_zh: list[str] = field(default_factory=list)  # the same notes in Chinese, one for one
    # how many of the base-year values are synthetic (demo) values: a draft says so, as reports do
    synthetic_baselines: int = 0

    def to_dict(self) -> dict[str, Any]:
        rows = {r["indicator"]: r for r in self.table.iter_rows(named=True)}
        indicators = []
        for ind in self.plan.indicators:
            r = rows.get(ind.name, {})
            indicators.append(
                {
                    "seq": ind.seq,
                    "domain": ind.domain,
                    "name": ind.name,
                    "unit": ind.unit,
                    "baseline": ind.baseline_raw,
                    "baseline_year": r.get("value_year"),
                    "target": ind.target_raw,
                    "nature": ind.nature.label_zh if ind.nature else None,
                    "rule": r.get("rule"),
                    "rule_used": r.get("rule_used"),
                    "explanation": r.get("explanation"),
                    "evidence": {k: r.get(k) for k in EVIDENCE_FIELDS if k in r},
                    "fallback_zh": fallback_zh(r.get("fallback")),
                }
            )
        return {
            "source_plan_id": self.source_plan_id,
            "higher_plan_id": self.higher_plan_id,
            "plan": plan_to_dict(self.plan),
            "indicators": indicators,
            "notes": self.notes,
            "notes_zh": self.notes_zh,
        }


EVIDENCE_FIELDS = (
    "grade", "value", "value_year", "historical_rate", "slope", "linear", "compound", "range_low",
    "range_high", "period_total", "annual_mean", "peer_count", "peer_median", "peer_best_quartile",
    "percentile", "higher_target", "higher_nature", "upper_bound", "headroom", "proposed",
    "required_rate", "ambition", "fallback",
)  # fmt: skip


def _successor_title(title: str | None, base_year: int, to_year: int, region: str | None) -> str:
    """The old title with the new period's name: 十四五 → 十五五 for 2026–2030; for a span
    that is no five-year plan's (2026–2035), the years themselves — never the old name."""
    old = five_year_name(base_year - 4, base_year)
    new = five_year_name(base_year + 1, to_year) or f"{base_year + 1}—{to_year}年"
    base = title or f"{region or ''}公共服务规划"
    if old and old in base:
        base = base.replace(old, new)
    return f"{base}（草案）"


def find_higher_plan(db: Database, region: str, to_year: int) -> int | None:
    """The stored plan ending in ``to_year`` of the nearest region above ``region``."""
    summaries = [s for s in list_plans(db) if s.period_end == to_year and s.region_code]
    chain = [r.code for r in ancestry(region, divisions_by_code())[1:]]
    for code in chain:
        found = [s for s in summaries if s.region_code == code]
        if found:
            return found[-1].id
    return None


def _peer_regions(region: str, scope: str) -> set[str] | None:
    """None: every region of the same level; else the set of regions under the same parent."""
    if scope == "all":
        return None
    parent = parent_code_of(region)
    level = level_of_code(region)
    return {
        r.code
        for r in divisions_by_code().values()
        if r.level is level and r.code != region and parent_code_of(r.code) == parent
    }


def _latest(frame: pl.DataFrame, base_year: int) -> pl.DataFrame:
    return (
        frame.filter(pl.col("year") <= base_year)
        .sort("year")
        .group_by("key", "region")
        .agg(pl.col("value").last())
    )


def _peer_values(
    db: Database, specs: pl.DataFrame, own: pl.DataFrame, region: str, base_year: int, scope: str
) -> pl.DataFrame:
    """Peers' latest values per spec key: the plan's own series and other stored plans' mapped rows."""
    level = level_of_code(region)
    allowed = _peer_regions(region, scope)

    def keep(frame: pl.DataFrame) -> pl.DataFrame:
        codes = frame.get_column("region").unique().to_list()
        ok = [c for c in codes if c != region and len(c) == 6 and level_of_code(c) is level]
        if allowed is not None:
            ok = [c for c in ok if c in allowed]
        return frame.filter(pl.col("region").is_in(ok))

    parts = [keep(own.select(pl.col("indicator").alias("key"), "region", "year", "value"))]
    by_code = {c: k for k, c in specs.select("indicator", "canonical_code").iter_rows() if c}
    for summary in list_plans(db):
        if summary.mapped == 0 or not summary.region_code or summary.region_code == region:
            continue
        if level_of_code(summary.region_code) is not level:
            continue
        if allowed is not None and summary.region_code not in allowed:
            continue
        stored = get_plan(db, summary.id)
        codes = {
            i: by_code.get(ind.canonical_code or "")
            for i, ind in zip(stored.indicator_ids, stored.plan.indicators, strict=True)
        }
        codes = {i: k for i, k in codes.items() if k}
        if not codes:
            continue
        _, frame = load_plan_for_evaluation(db, summary.id)
        frame = frame.filter(pl.col("plan_indicator_id").is_in(list(codes))).with_columns(
            pl.col("plan_indicator_id").replace_strict(codes, return_dtype=pl.Utf8).alias("key")
        )
        parts.append(keep(frame.select("key", "region", "year", "value")))
    peers = _latest(pl.concat(parts), base_year)
    return peers.rename({"key": "indicator"})


def _higher_forms(db: Database, plan_ids: Sequence[int | None]) -> dict[str, Target]:
    """Catalogue code → target of that indicator in the first of ``plan_ids`` that has it."""
    forms: dict[str, Target] = {}
    for plan_id in plan_ids:
        if plan_id is None:
            continue
        for ind in get_plan(db, plan_id).plan.indicators:
            if ind.canonical_code and ind.target.kind in FORM_KINDS:
                forms.setdefault(ind.canonical_code, ind.target)
    return forms


def draft_plan(
    db: Database,
    plan_ref: int | str,
    *,
    to_year: int = 2030,
    rule: str = "pace",
    rules: Mapping[int, str] | None = None,
    add: Sequence[str] = (),
    drop: Sequence[int] = (),
    higher: int | str | None = None,
    peers: str = "parent",
    targets: Mapping[int, float] | None = None,
) -> Draft:
    """Draft the successor of a stored plan (see the module docstring).

    ``rules`` maps a row's 序号 to a rule for that row; ``rule`` applies to the
    rest. ``higher``: the plan whose ``to_year`` targets are the level above
    (default: the nearest ancestor region's stored plan ending in ``to_year``).
    ``peers``: ``parent`` (same level under the same parent) or ``all``.
    ``targets`` maps a row's 序号 to the analyst's candidate target, checked like a proposal.
    """
    if peers not in ("parent", "all"):
        raise InvalidData("peers must be 'parent' or 'all'")
    stored = get_plan(db, plan_ref)
    region = stored.region_code
    if region is None:
        raise InvalidData(f"plan {stored.id} has no region: set it before drafting its successor")
    plan, obs = load_plan_for_evaluation(db, stored.id)
    base_year = plan.target_year or 2025
    if to_year <= base_year:
        raise InvalidData(f"--to {to_year} must come after the plan's target year {base_year}")
    seqs = {i.seq for i in plan.indicators}
    unknown = sorted(set(drop) - seqs) + sorted((set(rules or {}) | set(targets or {})) - seqs)
    if unknown:
        raise InvalidData(f"plan {stored.id} has no row 序号 {', '.join(map(str, unknown))}")
    higher_id = (
        get_plan(db, higher).id if higher is not None else find_higher_plan(db, region, to_year)
    )
    kept = [i for i in plan.indicators if i.seq not in set(drop)]
    if add:
        catalogue = {c.code: c for c in load_catalogue()}
        unknown_codes = [c for c in add if c not in catalogue]
        if unknown_codes:
            raise NotFound(
                f"no catalogue indicator {unknown_codes[0]!r} (see `minsheng map` for the codes)"
            )
        forms = _higher_forms(db, [higher_id, plan.higher_plan_id])
        kept = with_added(kept, [catalogue[c] for c in add], forms)
    names = [i.name for i in kept]
    if len(set(names)) != len(names):
        raise InvalidData("two rows of the draft share a name; drop one of them")
    source = replace(plan, indicators=kept)
    specs = plan_specs(source)
    notes: list[str] = []
    notes_zh: list[str] = []

    def note(en: str, zh: str) -> None:  # each note written in both languages side by side
        notes.append(en)
        notes_zh.append(zh)

    higher_frame = None
    if higher_id is None:
        note(
            f"no stored plan of a higher region ends in {to_year}: no higher-level targets",
            f"没有存入目标年为{to_year}年的上级地区规划：无上级目标可对照",
        )
    else:
        h = plan_specs(get_plan(db, higher_id).plan)
        present_codes = set(specs.get_column("canonical_code").drop_nulls().to_list())
        for name, code, raw in (
            h.filter((pl.col("nature") == "binding") & pl.col("canonical_code").is_not_null())
            .select("name", "canonical_code", "target_raw")
            .iter_rows()
        ):
            if code not in present_codes:
                note(
                    f"the higher plan's binding indicator {name} ({code}, {to_year} target "
                    f"{raw or '—'}) is not in this plan: --add {code} adds it",
                    f"上级规划的约束性指标“{name}”（{code}，{to_year}年目标 {raw or '—'}）本规划没有：可用 --add {code} 加入",
                )
        higher_frame = h.select(
            "canonical_code",
            pl.col("target").alias("higher_target"),
            pl.col("kind").alias("higher_kind"),
            pl.col("nature").alias("higher_nature"),
            pl.col("target_raw").alias("higher_target_raw"),
            pl.col("percent").alias("higher_percent"),
        )
    # the catalogue's series for added rows reach us through any plan of this region that maps them
    own = obs.select("indicator", "region", "year", "value")
    added = [i for i in kept if i.seq is None]
    if added:
        units = {i.name: i.unit for i in kept}
        extra = _own_series_in_other_plans(db, specs, region, stored.id, units)
        own = pl.concat([own, extra])
    _, results = evaluate_plan(db, stored.id, base_year, region=region)
    grades = results.filter(pl.col("region") == region).select("indicator", "grade")
    peer_frame = _peer_values(db, specs, obs, region, base_year, peers)
    if not kept:  # an empty draft: say why, rather than only that no peer reported nothing
        note(
            f"plan {stored.id} has no indicator rows: add catalogue indicators with --add CODE",
            "原规划没有指标：可用 --add 指标代码 加入指标目录中的指标",
        )
    elif peer_frame.height == 0:
        note(
            "no peer region reported these indicators: no peer comparison",
            "同级地区均未报送这些指标：无法与同级地区比较",
        )
    ev = evidence(
        specs, own, region=region, base_year=base_year, to_year=to_year,
        peers=peer_frame, higher=higher_frame, grades=grades,
    )  # fmt: skip
    by_seq = {i.seq: i.name for i in kept}
    table = propose(
        ev,
        rule,
        {by_seq[s]: r for s, r in (rules or {}).items()},
        candidates={by_seq[s]: v for s, v in (targets or {}).items()},
    )
    table = table.with_columns(
        pl.Series("explanation", [explain(r) for r in table.iter_rows(named=True)], dtype=pl.Utf8)
    )
    rows = {r["indicator"]: r for r in table.iter_rows(named=True)}
    indicators = []
    for n, ind in enumerate(kept, start=1):
        row = rows.get(ind.name)
        new = (
            draft_indicator(ind, row)
            if row
            else replace(ind, baseline_raw="—", target_raw=ind.target_raw)
        )
        indicators.append(replace(new, seq=n))
    meta = plan.metadata
    draft = Plan(
        metadata=PlanMetadata(
            title=_successor_title(meta.title, base_year, to_year, meta.region_name),
            region_name=meta.region_name,
            region_code=region,
            level=meta.level,
            period_start=base_year + 1,
            period_end=to_year,
        ),
        indicators=indicators,
        baseline_year=base_year,
        target_year=to_year,
        higher_plan_id=higher_id,
        kind=PlanKind.DRAFT,
        source=f"draft of plan {stored.id}",
    )
    synthetic = _synthetic_baselines(obs, region, base_year, {i.name for i in kept})
    if synthetic:
        note(
            f"{synthetic} of the base-year values are synthetic demo values, not statistics",
            f"基期值中有{synthetic}项为演示用合成数据，不是统计数据",
        )
    return Draft(stored.id, draft, table, higher_id, notes, notes_zh, synthetic_baselines=synthetic)


def _synthetic_baselines(obs: pl.DataFrame, region: str, base_year: int, names: set[str]) -> int:
    """The rows whose latest value of the region up to the base year is a synthetic one."""
    latest = (
        obs.filter(
            (pl.col("region") == region)
            & (pl.col("year") <= base_year)
            & pl.col("indicator").is_in(sorted(names))
        )
        .sort("year")
        .group_by("indicator", maintain_order=True)
        .last()
    )
    return int(latest.get_column("synthetic").fill_null(False).sum())


def _own_series_in_other_plans(
    db: Database, specs: pl.DataFrame, region: str, exclude: int, units: Mapping[str, str | None]
) -> pl.DataFrame:
    """Series of the region itself kept under other stored plans' rows with the same canonical
    code, read in the unit of the draft's row (``units``: row name → unit)."""
    by_code = {c: k for k, c in specs.select("indicator", "canonical_code").iter_rows() if c}
    parts = [
        pl.DataFrame(
            schema={"indicator": pl.Utf8, "region": pl.Utf8, "year": pl.Int64, "value": pl.Float64}
        )
    ]
    for summary in list_plans(db):
        if summary.id == exclude or summary.mapped == 0:
            continue
        stored = get_plan(db, summary.id)
        codes = {
            i: by_code[ind.canonical_code]
            for i, ind in zip(stored.indicator_ids, stored.plan.indicators, strict=True)
            if ind.canonical_code in by_code
        }
        their_unit = {i: ind.unit for i, ind in zip(stored.indicator_ids, stored.plan.indicators,
                                                    strict=True)}  # fmt: skip
        if not codes:
            continue
        _, frame = load_plan_for_evaluation(db, summary.id)
        frame = frame.filter(
            pl.col("plan_indicator_id").is_in(list(codes)) & (pl.col("region") == region)
        )
        named = frame.select(
            pl.col("plan_indicator_id").replace_strict(codes, return_dtype=pl.Utf8).alias("indicator"),
            pl.col("plan_indicator_id").replace_strict(their_unit, return_dtype=pl.Utf8).alias("unit"),
            "region", "year", "value",
        )  # fmt: skip
        readable, _ = in_units(
            named.with_columns(
                pl.col("indicator").replace_strict(units, default=None, return_dtype=pl.Utf8)
                .alias("wanted_unit")
            )
        )  # fmt: skip
        parts.append(readable.select("indicator", "region", "year", "value"))
    return pl.concat(parts)
