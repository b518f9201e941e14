"""Import a basic public service list from CSV/XLSX (all or nothing) and write its template."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from minsheng.analytics.standards_cost import shares_not_adding_up
from minsheng.domain.errors import InvalidData, Problem
from minsheng.domain.standards import StandardList
from minsheng.ingest.standards.files import read_standard_items, write_list_template
from minsheng.services.standards import StoredList, record_list
from minsheng.store.database import Database

__all__ = ["import_list_file", "write_list_template"]


def import_list_file(
    db: Database,
    path: str | Path,
    name: str,
    region_code: str | None,
    author: str,
    reason: str | None = None,
    issued_on: date | None = None,
    source: str | None = None,
) -> StoredList:
    """Store a file's items as the next version of list (name, region), or nothing if any row is wrong."""
    path = Path(path)
    items, problems = read_standard_items(path)
    for number, item in items:  # the template says a stated split is used for costing
        total = shares_not_adding_up(item.spending_responsibility)
        if total is not None:
            problems.append(
                Problem(
                    number,
                    "支出责任/spending_responsibility",
                    f"the shares stated add up to {total:.0%}, not 100%",
                    message_zh=f"支出责任所写各级分担比例之和为 {total:.0%}，不是 100%，请核对",
                )
            )
    problems.sort(key=lambda p: p.row or 0)
    if problems:
        raise InvalidData(f"{path.name}: {len(problems)} error(s); nothing was imported", problems)
    if not items:
        raise InvalidData(f"{path.name}: no items; nothing was imported")
    standard = StandardList(
        name=name,
        version="1",
        region_code=region_code,
        items=[item for _, item in items],
        issued_on=issued_on,
        source=source or path.name,
        reason=reason or f"imported from {path.name}",
        author=author,
    )
    return record_list(db, standard)
