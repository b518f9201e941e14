"""What a list costs a region in a year, by level of government, and what-if scenarios.

Eligible populations come from the user's table (``服务项目, 受益人数`` and optionally
shares and budgets) or, for items serving every resident (``城乡居民``, ``常住人口`` …),
from the region's population stored for that year. Nothing else is assumed: an
item with no population, no money amount or no period is listed as not costed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from minsheng.analytics.standards_cost import (
    LEVEL_NAMES_ZH,
    CostInput,
    CostResult,
    Shares,
    cost_items,
    raise_standard,
    shares_from_wording,
)
from minsheng.domain.errors import InvalidData, NotFound
from minsheng.domain.standard_quantities import parse_standard
from minsheng.domain.standards import StandardItem, item_key
from minsheng.domain.years import check_year
from minsheng.ingest.standards.files import CostRow, read_cost_table
from minsheng.services.regions import region_index
from minsheng.services.standards import StoredList, find_list
from minsheng.store.database import Database
from minsheng.store.repositories import populations as populations_repo
from minsheng.store.repositories import regions as regions_repo

__all__ = ["LEVEL_NAMES_ZH", "ListCost", "cost_list", "cost_regions"]

_EVERY_RESIDENT = re.compile(
    r"^(城乡居民|常住人口|全体居民|辖区居民|辖区常住人口|全体城乡居民|居民)$"
)


@dataclass
class ListCost:
    stored: StoredList
    region_code: str
    year: int
    population_source: str | None  # where the resident population came from, if used
    baseline: CostResult
    scenario: CostResult | None = None  # after --raise / --add
    changes: list[str] = field(default_factory=list)  # the what-if, in words


def _serves_everyone(item: StandardItem) -> bool:
    q = parse_standard(item.standard)
    groups = [g for g in (item.served, q.applies_to if q else None) if g]
    return any(_EVERY_RESIDENT.match(re.sub(r"\s+", "", g)) for g in groups)


def cost_list(
    db: Database,
    ref: int | str,
    region_code: str,
    year: int,
    budget: float | None = None,
    table: str | Path | None = None,
    raises: dict[str, float] | None = None,
    additions: list[StandardItem] | None = None,
    version: str | None = None,
) -> ListCost:
    """The yearly cost of a list for a region; with ``raises``/``additions``, a what-if too."""
    year = check_year(year, "year")
    table_rows = read_cost_table(Path(table)) if table else []
    return _cost_one(
        db, find_list(db, ref, version), region_code, year, budget, table_rows, raises, additions
    )


def cost_regions(
    db: Database,
    ref: int | str,
    region_codes: list[str],
    year: int,
    budgets: dict[str, float] | None = None,
    table: str | Path | None = None,
    raises: dict[str, float] | None = None,
    additions: list[StandardItem] | None = None,
    version: str | None = None,
) -> list[ListCost]:
    """The cost of one list in several regions, each against its own budget (when given)."""
    if not region_codes:
        raise InvalidData("give at least one region")
    year = check_year(year, "year")
    budgets = budgets or {}
    stored = find_list(db, ref, version)
    table_rows = read_cost_table(Path(table)) if table else []
    unknown = set(budgets) - set(region_codes)
    if unknown:
        raise InvalidData(f"budget for a region not costed: {', '.join(sorted(unknown))}")
    return [
        _cost_one(db, stored, code, year, budgets.get(code), table_rows, raises, additions)
        for code in region_codes
    ]


def _cost_one(
    db: Database,
    stored: StoredList,
    region_code: str,
    year: int,
    budget: float | None,
    table_rows: list[CostRow],
    raises: dict[str, float] | None,
    additions: list[StandardItem] | None,
) -> ListCost:
    with db.session() as session:
        # named as every other door names a region (简称, Traditional script…)
        code = region_index(session).resolve(region_code, year=year).code
        region = regions_repo.region_row(session, code, year)
        rows: dict[str, CostRow] = {
            item_key(r.item): r
            for r in table_rows
            if r.region is None or r.region in {region.code, region.name}
        }
        found = [
            p
            for p in populations_repo.populations(session, [region.code], [year])
            if not p.synthetic
        ]
    resident = found[0] if found else None

    def inputs_of(items: list[StandardItem]) -> list[CostInput]:
        out = []
        for item in items:
            row = rows.get(item_key(item.item))
            population = row.population if row and row.population is not None else None
            if population is None and resident is not None and _serves_everyone(item):
                population = float(resident.population)
            shares = (
                Shares(*row.shares)
                if row and row.shares
                else shares_from_wording(item.spending_responsibility)
            )
            out.append(
                CostInput(
                    item.item,
                    parse_standard(item.standard),
                    population,
                    shares,
                    row.budget if row else None,
                    bool(item.standard and item.standard.strip()),
                )
            )
        return out

    unknown = [
        k
        for k in rows
        if k not in {item_key(i.item) for i in [*stored.list.items, *(additions or [])]}
    ]
    if unknown:
        raise InvalidData(f"the cost table names items not in the list: {', '.join(unknown[:5])}")
    baseline_inputs = inputs_of(stored.list.items)
    result = ListCost(
        stored,
        region.code,
        year,
        f"{resident.source or 'stored'} {resident.population}" if resident else None,
        cost_items(baseline_inputs, budget),
    )
    if raises or additions:
        scenario = baseline_inputs
        for name, percent in (raises or {}).items():
            try:
                scenario = raise_standard(scenario, name, percent)
            except KeyError:
                raise NotFound(f"no item {name!r} with a quantified standard in the list") from None
            result.changes.append(f"{name}: 服务标准提高 {percent:g}%")
        for item in additions or []:
            scenario = [*scenario, *inputs_of([item])]
            result.changes.append(f"新增 {item.item}: {item.standard or ''}")
        result.scenario = cost_items(scenario, budget)
    return result
