"""Shaping service results for pages and API alike (the same dicts feed both)."""

from __future__ import annotations

from datetime import date
from typing import Any

from minsheng.domain.errors import NotFound
from minsheng.domain.evaluation import WORST_FIRST, Status
from minsheng.domain.indicators import PlanIndicator
from minsheng.domain.regions import Region
from minsheng.domain.service_domains import DOMAINS_BY_CODE
from minsheng.domain.targets import TargetKind
from minsheng.services.permissions import judges_on_every_value
from minsheng.services.plans import PlanSummary, StoredPlan, get_plan, list_plans
from minsheng.services.regions import resolve_region
from minsheng.services.results import Result, plan_results
from minsheng.web import formatting
from minsheng.web.geo import prefix
from minsheng.web.i18n import translator

LEVELS = ("national", "province", "prefecture", "county")
STATUSES = [s.value for s in Status]


def default_year(summary: PlanSummary | StoredPlan) -> int:
    """The plan's last year, or last year for a plan with no period (never a year past today)."""
    end = summary.period_end if isinstance(summary, PlanSummary) else summary.plan.target_year
    if isinstance(summary, StoredPlan) and end is None:
        end = summary.plan.metadata.period_end
    return min(end or date.today().year - 1, date.today().year)


def plan_years(summary: PlanSummary) -> list[int]:
    start = summary.period_start or default_year(summary) - 4
    end = default_year(summary)
    return list(range(start, end + 1))


def plan_out(summary: PlanSummary, warnings: int | None = None) -> dict[str, Any]:
    return {
        "id": summary.id,
        "title": summary.title,
        "region_code": summary.region_code,
        "region_name": summary.region_name,
        "level": summary.level,
        "period_start": summary.period_start,
        "period_end": summary.period_end,
        "indicators": summary.indicators,
        "mapped": summary.mapped,
        "higher_plan_id": summary.higher_plan_id,
        "warnings": warnings,
    }


def covered_region(
    db: Any,  # noqa: ANN401
    summary: PlanSummary | StoredPlan,
    text: str | None,
    indicator: str | None = None,
) -> Region | None:
    """The region a request names (code, name, 简称…; None when none was named), read by the
    one resolver within the plan's region, and refused when the plan does not judge it
    (``indicator``: the plan's wording, when one indicator was asked for).

    Unknown or ambiguous is NotFound / AmbiguousRegion, never a default region.
    """
    if text is None:
        return None
    own = summary.region_code
    region = resolve_region(db, text, scope=own)
    if own is not None and not region.code.startswith(prefix(own)):
        what, what_zh = (f" of {indicator}", f"的“{indicator}”") if indicator else ("", "")
        raise NotFound(
            f"plan {summary.id} has no judgement{what} for {region.name} ({region.code}): "
            f"it lies outside the plan's region {own}",
            message_zh=f"规划 {summary.id} 没有对{region.name}（{region.code}）{what_zh}的评估结果"
            f"：该地区不在本规划的地区（{own}）之内",
        )
    return region


def summary_of(db: Any, plan_id: int) -> PlanSummary:  # noqa: ANN401 - a store Database
    for summary in list_plans(db):
        if summary.id == plan_id:
            return summary
    raise NotFound(f"no plan with id {plan_id}", message_zh=f"没有编号为 {plan_id} 的规划")


def indicator_meta(stored: StoredPlan) -> dict[int, PlanIndicator]:
    return dict(zip(stored.indicator_ids, stored.plan.indicators, strict=True))


def reason_of(r: Result, lang: str) -> str:
    """Why the status: the evaluation's own reason in the page's language when it gives one
    (the English one in records kept before the evaluation wrote Chinese), else the figures
    it compared."""
    own = (r.reason_zh or r.reason) if lang == "zh" else r.reason
    if own:
        return own
    t = translator(lang)
    unit = r.inputs.get("unit")
    if r.status == Status.NO_DATA.value:
        return t("no_data")
    parts = []
    if r.value is not None:
        parts.append(f"{t('value')} {formatting.number(r.value, unit, lang)}（{r.value_year}）")
    if r.expected is not None:
        parts.append(f"{t('expected')} {formatting.number(r.expected, unit, lang)}")
    if r.target is not None:
        parts.append(f"{t('target')} {formatting.number(r.target, unit, lang)}（{r.target_year}）")
    if r.rho is not None:
        parts.append(f"ρ = {formatting.ratio(r.rho)}")
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


def shown_unit(unit: str | None, ind: PlanIndicator | None) -> str | None:
    """The unit a value is shown with: the row's own, else ``%`` where the plan wrote the
    row's target or baseline as a percentage and left its unit column empty (the national
    plan's rates: 85.2% → >90%), so one rate reads 96.92% on every plan's card alike."""
    if unit:
        return unit
    if ind is not None and (
        ind.target.percent or ind.baseline.percent or ind.target.kind is TargetKind.FULL_COVERAGE
    ):  # 应保尽保 is a coverage rate
        return "%"
    return ind.unit if ind is not None else None


def result_out(r: Result, meta: dict[int, PlanIndicator] | None, lang: str) -> dict[str, Any]:
    """A result as pages and API show it; ``meta`` (the plan's rows) only for records that lack them."""
    ind = meta.get(r.plan_indicator_id) if meta else None
    if "nature" in r.inputs or ind is None:
        nature = r.inputs.get("nature")
    else:
        nature = ind.nature.value if ind.nature is not None else None
    # where the row is filed now, not when judged: a mapping confirmed since may have filed a
    # row the plan left under no domain (the filing is no input to the judgement)
    domain = ind.domain_code if ind is not None else r.inputs.get("domain_code")
    return {
        "plan_indicator_id": r.plan_indicator_id,
        "indicator": r.indicator,
        "part": r.inputs.get("part"),
        "unit": shown_unit(r.inputs.get("unit"), ind),
        "nature": nature,
        "domain": domain,
        "region": r.region,
        "region_name": r.region_name,
        "year": r.year,
        "status": r.status,
        "status_label": translator(lang)(r.status),
        "warning": r.warning,
        "notice": r.notice,
        "reason": reason_of(r, lang),
        "rho": r.rho,
        "expected": r.expected,
        "baseline": r.baseline,
        "target": r.target,
        "value": r.value,
        "value_year": r.value_year,
        "grade": r.grade,
        "target_kind": r.target_kind,
    }


def count_statuses(rows: list[dict[str, Any]]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    counts["warnings"] = sum(1 for row in rows if row["warning"])
    counts["notices"] = sum(1 for row in rows if row["notice"])
    return counts


def domain_summaries(rows: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Status counts per service domain, in the nine domains' order; unclassified rows last."""
    order = sorted(DOMAINS_BY_CODE.values(), key=lambda d: d.order)
    out = []
    for code in [d.code for d in order] + [None]:
        mine = [r for r in rows if r["domain"] == code]
        if not mine:
            continue
        domain = DOMAINS_BY_CODE.get(code) if code else None
        name = (
            (domain.name_zh if lang == "zh" else domain.name_en)
            if domain
            else translator(lang)("other_domain")
        )
        counts = count_statuses(mine)
        out.append(
            {
                "code": code,
                "name": name,
                "counts": {k: counts[k] for k in STATUSES},
                "warnings": counts["warnings"],
            }
        )
    return out


def published_view(viewer: Any, plan_region: str | None) -> bool:  # noqa: ANN401
    """Whether ``viewer`` (a User or None) reads the public's evaluation of a plan of that region."""
    if viewer is None:
        return True
    return not judges_on_every_value(viewer.actor, plan_region)


def own_results(
    db: Any,  # noqa: ANN401
    summary: PlanSummary,
    year: int,
    lang: str,
    meta: dict[int, PlanIndicator] | None = None,
    viewer: Any = None,  # noqa: ANN401
    region: str | None = None,
) -> list[dict[str, Any]]:
    """The plan's judgements at a year for ``region`` (a code; default: the plan's own region),
    binding warnings first, then by status.

    Without a ``viewer`` who may see unpublished values, judged on published values only.
    """
    region = region or summary.region_code
    if not summary.indicators or not region:
        return []
    results = plan_results(
        db,
        summary.id,
        year,
        regions=[region],
        published_only=published_view(viewer, summary.region_code),
    )
    if meta is None:  # the rows' units (and, for records kept before they described rows, nature)
        meta = indicator_meta(get_plan(db, summary.id))
    rows = [result_out(r, meta, lang) for r in results]
    severity = {s.value: i for i, s in enumerate(WORST_FIRST)}
    return sorted(
        rows, key=lambda r: (not r["warning"], not r["notice"], severity.get(r["status"], 9))
    )


def plans_by_level(db: Any, lang: str) -> list[dict[str, Any]]:  # noqa: ANN401
    """Every stored plan with its binding warnings at its default year, grouped national → county."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for summary in list_plans(db):
        rows = own_results(db, summary, default_year(summary), lang) if summary.indicators else []
        warnings = sum(1 for r in rows if r["warning"]) if summary.indicators else None
        # a plan whose region is not known yet: said so, never filed under a level it lacks
        groups.setdefault(summary.level or "unknown", []).append(plan_out(summary, warnings))
    return [
        {
            "level": level,
            "plans": sorted(groups[level], key=lambda p: (p["region_code"] or "", p["id"])),
        }
        for level in [*LEVELS, "unknown"]
        if level in groups
    ]
