"""The basic public service list facts an evaluation report states: the plan's list against
the national standard and the higher level's list, and what it costs the report's region
in the report's year.

Gathered here from the same services the CLI and the web pages call
(:func:`~minsheng.services.standards_compare.compare_list`,
:func:`~minsheng.services.standards_cost.cost_list`), so a report never states a
comparison or a cost of its own making.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from minsheng.domain.errors import MinshengError
from minsheng.services.standards import StoredList
from minsheng.services.standards_compare import ListComparison, compare_list
from minsheng.services.standards_cost import ListCost, cost_list
from minsheng.store.database import Database
from minsheng.store.models import RegionRow, StandardListRow
from minsheng.store.repositories import standards as standards_repo

__all__ = ["ReportStandards", "report_list", "report_standards"]


@dataclass(frozen=True)
class ReportStandards:
    """The list a report is about, its comparison with the national standard and its cost."""

    stored: StoredList
    comparison: ListComparison  # with the national standard
    higher: ListComparison | None  # with the higher level's list, where one is stored
    cost: ListCost | None  # None when the cost could not be worked out (``cost_problem`` says why)
    cost_problem: str | None = None
    cost_problem_zh: str | None = None


def report_list(db: Database, plan_id: int, region_code: str) -> StoredList | None:
    """The latest version of the list read from the plan, else the one list stored for the region.

    A later version made by hand or from a file no longer carries the plan's id, so the
    list is found through its first version and read at its latest. A region with several
    lists and no plan list gives None: which one the report is about is not guessed.
    """
    with db.session() as session:
        linked = session.scalar(
            select(StandardListRow)
            .where(StandardListRow.plan_id == plan_id)
            .order_by(StandardListRow.id.desc())
        )
        if linked is None:
            region = session.scalar(
                select(RegionRow).where(RegionRow.code == region_code).order_by(RegionRow.id)
            )
            rows = (
                list(
                    session.scalars(
                        select(StandardListRow).where(StandardListRow.region_id == region.id)
                    )
                )
                if region is not None
                else []
            )
            if len({row.name for row in rows}) != 1:
                return None
            linked = rows[0]
        latest = standards_repo.versions(session, linked.name, linked.region_id)[-1]
        return StoredList(latest.id, standards_repo.to_domain(session, latest))


def report_standards(
    db: Database, plan_id: int, region_code: str, year: int
) -> ReportStandards | None:
    """The plan's list compared with the national standard (and the higher level's list, where
    one is stored) and costed for ``region_code`` in ``year``; None when there is no list."""
    stored = report_list(db, plan_id, region_code)
    if stored is None:
        return None
    comparison = compare_list(db, stored.id, "national")
    try:
        higher: ListComparison | None = compare_list(db, stored.id, "higher")
    except MinshengError:  # no list above it, or several to choose from: nothing to compare
        higher = None
    try:
        cost = cost_list(db, stored.id, region_code, year)
    except MinshengError as exc:  # e.g. the region did not exist that year: say so, go on
        return ReportStandards(stored, comparison, higher, None, exc.message, exc.message_zh)
    return ReportStandards(stored, comparison, higher, cost)
