"""Basic public service standard lists: every version of every list, and confirmed matches."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from minsheng.domain.errors import Conflict, InvalidData, NotFound
from minsheng.domain.service_domains import classify_domain
from minsheng.domain.standards import StandardItem, StandardList, same_items
from minsheng.store.models import RegionRow, StandardItemRow, StandardListRow, StandardMatchRow
from minsheng.store.repositories.regions import region_row


def add_standard_list(session: Session, standard: StandardList) -> StandardListRow:
    """Store one version of a list; the same name, version and region twice is a Conflict."""
    region_id = region_row(session, standard.region_code).id if standard.region_code else None
    duplicate = session.scalar(
        select(StandardListRow).where(
            StandardListRow.name == standard.name,
            StandardListRow.version == standard.version,
            StandardListRow.region_id.is_(None)
            if region_id is None
            else StandardListRow.region_id == region_id,
        )
    )
    if duplicate is not None:
        raise Conflict(
            f"standard list {standard.name!r} version {standard.version} is already stored"
        )
    row = StandardListRow(
        name=standard.name,
        version=standard.version,
        region_id=region_id,
        issued_on=standard.issued_on,
        source=standard.source,
        reason=standard.reason,
        author=standard.author,
        created_at=standard.created_at or datetime.now(UTC),
        plan_id=standard.plan_id,
    )
    for position, item in enumerate(standard.items):
        domain = classify_domain(item.domain) if item.domain else None
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
                category=item.category,
                source=item.source,
            )
        )
    session.add(row)
    session.flush()
    return row


def to_domain(session: Session, row: StandardListRow) -> StandardList:
    region = session.get(RegionRow, row.region_id) if row.region_id else None
    return StandardList(
        name=row.name,
        version=row.version,
        region_code=region.code if region else None,
        issued_on=row.issued_on,
        source=row.source,
        reason=row.reason,
        author=row.author,
        created_at=row.created_at,
        plan_id=row.plan_id,
        items=[
            StandardItem(
                domain=i.domain_label,
                item=i.item,
                served=i.served,
                content=i.content,
                standard=i.standard,
                spending_responsibility=i.spending_responsibility,
                lead_department=i.lead_department,
                category=i.category,
                source=i.source,
            )
            for i in row.items
        ],
    )


def _version_number(version: str) -> int:
    return int(version) if version.isdigit() else 0


def versions(session: Session, name: str, region_id: int | None) -> list[StandardListRow]:
    """Every version of one list (name and region), oldest first."""
    stmt = (
        select(StandardListRow)
        .options(selectinload(StandardListRow.items))
        .where(
            StandardListRow.name == name,
            StandardListRow.region_id.is_(None)
            if region_id is None
            else StandardListRow.region_id == region_id,
        )
    )
    rows = list(session.scalars(stmt))
    return sorted(rows, key=lambda r: (_version_number(r.version), r.id))


def all_rows(session: Session) -> list[StandardListRow]:
    stmt = (
        select(StandardListRow)
        .options(selectinload(StandardListRow.items))
        .order_by(StandardListRow.id)
    )
    return list(session.scalars(stmt))


def standard_lists(session: Session) -> list[tuple[int, StandardList]]:
    return [(row.id, to_domain(session, row)) for row in all_rows(session)]


def list_row(session: Session, list_id: int) -> StandardListRow:
    row = session.get(StandardListRow, list_id)
    if row is None:
        raise NotFound(
            f"no standard list with id {list_id}", message_zh=f"没有编号为 {list_id} 的服务清单"
        )
    return row


def standard_list(session: Session, list_id: int) -> StandardList:
    return to_domain(session, list_row(session, list_id))


def find_list_row(session: Session, ref: int | str, version: str | None = None) -> StandardListRow:
    """A list version by id, or by name (the latest version unless ``version`` is given).

    A name stored for several regions is ambiguous: the id must be given then.
    """
    text = str(ref).strip()
    if text.isdigit():
        row = list_row(session, int(text))
        family = versions(session, row.name, row.region_id)
        if version is None:
            return row
    else:
        named = list(session.scalars(select(StandardListRow).where(StandardListRow.name == text)))
        if not named:
            raise NotFound(
                f"no standard list named {text!r}", message_zh=f"没有名为“{text}”的服务清单"
            )
        if len({r.region_id for r in named}) > 1:
            ids = ", ".join(str(r.id) for r in named[:8])
            raise InvalidData(
                f"list name {text!r} is stored for several regions; give an id ({ids})"
            )
        family = versions(session, named[0].name, named[0].region_id)
        if version is None:
            return family[-1]
    for row in family:
        if row.version == str(version):
            return row
    known = ", ".join(r.version for r in family)
    raise NotFound(
        f"list {family[0].name!r} has no version {version} (versions: {known})",
        message_zh=f"清单“{family[0].name}”没有第 {version} 版（现有版本：{known}）",
    )


def match_verdicts(session: Session) -> dict[tuple[str, str], bool]:
    """Confirmed (True) and rejected (False) fuzzy matches, by (local item, reference item)."""
    return {
        (r.local_item, r.reference_item): r.accepted
        for r in session.scalars(select(StandardMatchRow))
    }


def set_match_verdict(
    session: Session, local_item: str, reference_item: str, accepted: bool, by: str | None
) -> StandardMatchRow:
    row = session.scalar(
        select(StandardMatchRow).where(
            StandardMatchRow.local_item == local_item,
            StandardMatchRow.reference_item == reference_item,
        )
    )
    if row is None:
        row = StandardMatchRow(local_item=local_item, reference_item=reference_item)
        session.add(row)
    row.accepted, row.confirmed_by, row.confirmed_at = accepted, by, datetime.now(UTC)
    session.flush()
    return row


def record_version(session: Session, standard: StandardList) -> tuple[StandardListRow, bool]:
    """Store ``standard`` as the next version of its list, unless it equals the latest one.

    Returns the row and whether a version was added. The version number is the next
    whole number (``standard.version`` is ignored), so nothing a caller sends can
    overwrite or reorder an earlier version.
    """
    region_id = region_row(session, standard.region_code).id if standard.region_code else None
    family = versions(session, standard.name, region_id)
    if family:
        latest = family[-1]
        if same_items(to_domain(session, latest).items, standard.items):
            return latest, False
        number = max(_version_number(r.version) for r in family) + 1
    else:
        number = 1
    row = add_standard_list(session, replace(standard, version=str(number)))
    return row, True
