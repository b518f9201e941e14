"""Basic public service lists (基本公共服务清单) as versioned data: store, revise, read, diff.

A list is named by (name, region). Every change — a plan ingested again, a file
imported, an edit in the web app — stores the next version with its date, reason
and author; earlier versions are never touched. This module is the API the CLI and
web routers call; comparison, cost and file import live beside it
(``standards_compare``, ``standards_cost``, ``standards_files``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from minsheng.data.national_standard import national_standard_versions
from minsheng.domain.errors import InvalidData, NotFound
from minsheng.domain.plans import Plan
from minsheng.domain.service_domains import DOMAINS, DOMAINS_BY_CODE, classify_domain
from minsheng.domain.standards import ListDiff, StandardItem, StandardList, diff_lists
from minsheng.services.regions import region_index
from minsheng.store.database import Database
from minsheng.store.models import PlanRow, RegionRow, StandardListRow
from minsheng.store.repositories import standards as standards_repo

__all__ = [
    "ListSummary",
    "StoredList",
    "diff_versions",
    "find_list",
    "items_by_domain",
    "get_standard_list",
    "list_from_plan",
    "list_history",
    "list_standard_lists",
    "record_list",
    "record_plan_list",
    "revise_list",
    "save_standard_list",
    "store_national_standard",
]


@dataclass(frozen=True)
class StoredList:
    id: int
    list: StandardList
    created: bool = True  # False when the list equalled its latest version and nothing was added


@dataclass(frozen=True)
class ListSummary:
    id: int
    name: str
    region_code: str | None
    version: str
    versions: int
    items: int
    issued_on: date | None
    author: str | None
    created_at: datetime | None
    source: str | None


def save_standard_list(db: Database, standard: StandardList) -> int:
    """Store a list with its version as given; the same name, version and region twice is a Conflict."""
    with db.session() as session:
        return standards_repo.add_standard_list(session, standard).id


def record_list(db: Database, standard: StandardList) -> StoredList:
    """Store a list as the next version of (name, region); an unchanged list adds nothing."""
    _require_history(standard)
    with db.session() as session:
        if standard.region_code:  # a code or any name the one region resolver takes (永川區)
            code = region_index(session).resolve(standard.region_code).code
            standard = replace(standard, region_code=code)
        row, created = standards_repo.record_version(session, standard)
        return StoredList(row.id, standards_repo.to_domain(session, row), created)


def _require_history(standard: StandardList) -> None:
    if not standard.name.strip():
        raise InvalidData("a list needs a name")
    if not (standard.author or "").strip():
        raise InvalidData("a list version needs its author (who made the change)")


def revise_list(
    db: Database,
    ref: int | str,
    items: list[StandardItem],
    reason: str,
    author: str,
    issued_on: date | None = None,
    source: str | None = None,
) -> StoredList:
    """A new version of a stored list with these items (the web app's edit, a correction)."""
    if not reason.strip():
        raise InvalidData("a change needs its reason")
    with db.session() as session:
        current = standards_repo.to_domain(session, standards_repo.find_list_row(session, ref))
    revised = replace(
        current,
        items=items,
        reason=reason,
        author=author,
        issued_on=issued_on or current.issued_on,
        source=source or current.source,
        created_at=None,
        plan_id=None,
    )
    return record_list(db, revised)


def items_by_domain(
    standard: StandardList, domain: str | None = None
) -> dict[str, list[StandardItem]]:
    """Items grouped under the nine domains in their order (``未分领域`` last); one domain
    when ``domain`` (a name or code, classified like a plan's wording) is given."""
    wanted = None
    if domain is not None:
        found = DOMAINS_BY_CODE.get(domain) or classify_domain(domain)
        if found is None:
            raise InvalidData(f"{domain!r} is not one of the nine service domains")
        wanted = found.code
    groups: dict[str, list[StandardItem]] = {d.name_zh: [] for d in DOMAINS}
    groups["未分领域"] = []
    for item in standard.items:
        found = classify_domain(item.domain) if item.domain else None
        if wanted is not None and (found is None or found.code != wanted):
            continue
        groups[found.name_zh if found else "未分领域"].append(item)
    return {name: items for name, items in groups.items() if items}


def list_standard_lists(db: Database) -> list[tuple[int, StandardList]]:
    """Every stored version of every list, by id."""
    with db.session() as session:
        return standards_repo.standard_lists(session)


def list_summaries(db: Database) -> list[ListSummary]:
    """The latest version of every list, with its version count (what ``standards list`` shows)."""
    with db.session() as session:
        rows = standards_repo.all_rows(session)
        families: dict[tuple[str, int | None], list[StandardListRow]] = {}
        for row in rows:
            families.setdefault((row.name, row.region_id), []).append(row)
        out = []
        for (name, region_id), _ in families.items():
            family = standards_repo.versions(session, name, region_id)
            latest = standards_repo.to_domain(session, family[-1])
            out.append(
                ListSummary(
                    family[-1].id,
                    name,
                    latest.region_code,
                    latest.version,
                    len(family),
                    len(latest.items),
                    latest.issued_on,
                    latest.author,
                    latest.created_at,
                    latest.source,
                )
            )
        return out


def get_standard_list(db: Database, list_id: int) -> StandardList:
    """One stored version by its id."""
    return find_list(db, list_id).list


def find_list(db: Database, ref: int | str, version: str | None = None) -> StoredList:
    """A list by id or name (latest version unless ``version`` is given)."""
    with db.session() as session:
        row = standards_repo.find_list_row(session, ref, version)
        return StoredList(row.id, standards_repo.to_domain(session, row))


def list_history(db: Database, ref: int | str) -> list[tuple[StoredList, ListDiff | None]]:
    """Every version of a list, oldest first, each with its diff from the one before."""
    with db.session() as session:
        row = standards_repo.find_list_row(session, ref)
        family = [
            StoredList(r.id, standards_repo.to_domain(session, r))
            for r in standards_repo.versions(session, row.name, row.region_id)
        ]
    out: list[tuple[StoredList, ListDiff | None]] = []
    for i, stored in enumerate(family):
        out.append((stored, diff_lists(family[i - 1].list.items, stored.list.items) if i else None))
    return out


def diff_versions(
    db: Database,
    ref_a: int | str,
    ref_b: int | str | None = None,
    version_a: str | None = None,
    version_b: str | None = None,
) -> tuple[StoredList, StoredList, ListDiff]:
    """The diff of two lists, or of two versions of one list (``ref_b`` None).

    With one list and no versions, the latest version is diffed with the one before.
    """
    if ref_b is None:
        history = list_history(db, ref_a)
        if version_a is None and version_b is None:
            if len(history) < 2:
                raise InvalidData("the list has one version only: nothing to diff")
            a, b = history[-2][0], history[-1][0]
        else:
            if version_a is None or version_b is None:
                raise InvalidData("give both versions to diff (e.g. --versions 1 2)")
            a = find_list(db, ref_a, version_a)
            b = find_list(db, ref_a, version_b)
    else:
        a = find_list(db, ref_a, version_a)
        b = find_list(db, ref_b, version_b)
    return a, b, diff_lists(a.list.items, b.list.items)


def list_from_plan(plan: Plan, plan_id: int | None = None) -> StandardList | None:
    """The basic public service list a plan publishes, as a list (None when it has none).

    The extraction gives each domain's items (and the domain's content and goal, which
    is not an item's content, so it is not copied into the items).
    """
    if not plan.services:
        return None
    meta = plan.metadata
    title = meta.title or (Path(plan.source_file).stem if plan.source_file else None)
    if not title:
        return None
    # the document is the list version's source; an item repeating it would make every item
    # "changed" when the same plan comes again under another file name
    items = [
        StandardItem(domain=entry.domain, item=name)
        for entry in plan.services
        for name in entry.items
    ]
    return StandardList(
        name=f"{title}·基本公共服务清单",
        version="1",
        region_code=meta.region_code,
        items=items,
        issued_on=meta.issue_date,
        source=plan.source_file or title,
        reason=f"读自规划文件 {plan.source_file or title}",
        author="minsheng ingest",
        plan_id=plan_id,
    )


def record_plan_list(session: Session, plan: Plan, plan_row: PlanRow) -> int | None:
    """Inside a plan's storing session: its service list as the next version of its list.

    The list takes the region the plan was stored with (none when its region is unknown
    to the store), so storing a plan never fails because of its list.
    """
    standard = list_from_plan(plan, plan_row.id)
    if standard is None:
        return None
    region = session.get(RegionRow, plan_row.region_id) if plan_row.region_id else None
    standard = replace(standard, region_code=region.code if region else None)
    row, _ = standards_repo.record_version(session, standard)
    return row.id


def store_national_standard(db: Database) -> list[StoredList]:
    """Store the shipped national standard's versions that are not stored yet (by version)."""
    out = []
    with db.session() as session:
        for version in national_standard_versions():
            try:
                row = standards_repo.find_list_row(session, version.name, version.version)
                created = False
            except NotFound:
                row, created = standards_repo.add_standard_list(session, version), True
            out.append(StoredList(row.id, standards_repo.to_domain(session, row), created))
    return out
