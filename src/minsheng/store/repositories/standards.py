"""Basic public service standard lists and their items."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from minsheng.domain.errors import Conflict, NotFound
from minsheng.domain.service_domains import classify_domain
from minsheng.domain.standards import StandardItem, StandardList
from minsheng.store.models import RegionRow, StandardItemRow, StandardListRow
from minsheng.store.repositories.regions import region_row


def add_standard_list(session: Session, standard: StandardList) -> StandardListRow:
    region = region_row(session, standard.region_code)
    duplicate = session.scalar(
        select(StandardListRow).where(
            StandardListRow.name == standard.name,
            StandardListRow.version == standard.version,
            StandardListRow.region_id == region.id,
        )
    )
    if duplicate is not None:
        raise Conflict(
            f"standard list {standard.name!r} version {standard.version} is already stored"
        )
    row = StandardListRow(name=standard.name, version=standard.version, region_id=region.id)
    for position, item in enumerate(standard.items):
        domain = classify_domain(item.domain)
        row.items.append(
            StandardItemRow(
                position=position,
                domain_label=item.domain,
                domain_code=domain.code if domain else None,
                item=item.item,
                served=item.served,
                content=item.content,
                standard=item.standard,
                spending_responsibility=item.spending_responsibility,
                lead_department=item.lead_department,
            )
        )
    session.add(row)
    session.flush()
    return row


def _to_domain(session: Session, row: StandardListRow) -> StandardList:
    region = session.get(RegionRow, row.region_id) if row.region_id else None
    return StandardList(
        name=row.name,
        version=row.version,
        region_code=region.code if region else "",
        items=[
            StandardItem(
                domain=i.domain_label,
                item=i.item,
                served=i.served,
                content=i.content,
                standard=i.standard,
                spending_responsibility=i.spending_responsibility,
                lead_department=i.lead_department,
            )
            for i in row.items
        ],
    )


def standard_lists(session: Session) -> list[tuple[int, StandardList]]:
    stmt = (
        select(StandardListRow)
        .options(selectinload(StandardListRow.items))
        .order_by(StandardListRow.id)
    )
    return [(row.id, _to_domain(session, row)) for row in session.scalars(stmt)]


def standard_list(session: Session, list_id: int) -> StandardList:
    row = session.get(StandardListRow, list_id)
    if row is None:
        raise NotFound(f"no standard list with id {list_id}")
    return _to_domain(session, row)
