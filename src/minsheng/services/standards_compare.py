"""Compare a stored list with the national standard or its higher level's list; confirm matches.

The national standard is the shipped reference data (latest version unless asked);
the higher level's list is the one read from the higher-level plan the local
list's plan implements (``minsheng plans … --higher``), else the latest version of
a list stored for the nearest ancestor region that has one. Fuzzy matches below the threshold stay suggestions
until a person confirms them (``confirm_match``); verdicts are remembered in the
store and apply to every later comparison.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from minsheng.analytics.standards_compare import (
    DEFAULT_SUGGEST_FROM,
    DEFAULT_THRESHOLD,
    Comparison,
    compare_items,
)
from minsheng.data.national_standard import national_standard_versions
from minsheng.domain.errors import InvalidData, NotFound
from minsheng.domain.standards import StandardList
from minsheng.services.standards import StoredList, find_list
from minsheng.store.database import Database
from minsheng.store.models import PlanRow, RegionRow, StandardListRow
from minsheng.store.repositories import standards as standards_repo

__all__ = ["ListComparison", "compare_list", "confirm_match", "national_reference"]


@dataclass(frozen=True)
class ListComparison:
    local: StoredList
    reference: StandardList
    reference_id: int | None  # the stored list compared with (None: shipped national data)
    comparison: Comparison
    note: str | None = None  # what the reader must know to read the result right (Chinese)
    note_en: str | None = None  # the same in English


def national_reference(version: str | None = None) -> StandardList:
    """The shipped national standard (latest version unless ``version`` is given)."""
    versions = national_standard_versions()
    if version is None:
        return versions[-1]
    for v in versions:
        if v.version == str(version):
            return v
    raise NotFound(
        f"the national standard has no version {version}",
        message_zh=f"国家基本公共服务标准没有第 {version} 版",
    )


def _higher_plan_list(db: Database, local: StoredList) -> tuple[int, StandardList] | None:
    """The list read from the plan that the local list's plan implements, when both are known."""
    if local.list.plan_id is None:
        return None
    with db.session() as session:
        plan = session.get(PlanRow, local.list.plan_id)
        if plan is None or plan.higher_plan_id is None:
            return None
        row = session.scalar(
            select(StandardListRow)
            .where(StandardListRow.plan_id == plan.higher_plan_id)
            .order_by(StandardListRow.id.desc())
        )
        if row is None:
            return None
        latest = standards_repo.versions(session, row.name, row.region_id)[-1]
        return latest.id, standards_repo.to_domain(session, latest)


def _higher_list(db: Database, local: StoredList) -> tuple[int, StandardList]:
    linked = _higher_plan_list(db, local)
    if linked is not None:
        return linked
    code = local.list.region_code
    if code is None:
        raise InvalidData(
            f"list {local.id} has no region, so it has no higher level",
            message_zh=f"清单 {local.id} 未记录地区，无从确定上级",
        )
    with db.session() as session:
        region = session.scalar(select(RegionRow).where(RegionRow.code == code))
        parent_code = region.parent_code if region else None
        while parent_code:
            parent = session.scalar(
                select(RegionRow).where(RegionRow.code == parent_code, RegionRow.valid_to.is_(None))
            ) or session.scalar(select(RegionRow).where(RegionRow.code == parent_code))
            if parent is None:
                break
            names = {
                r.name
                for r in session.scalars(
                    select(StandardListRow).where(StandardListRow.region_id == parent.id)
                )
            }
            if len(names) > 1:
                raise InvalidData(
                    f"{parent.name} has several lists ({', '.join(sorted(names))}); "
                    "name the one to compare with",
                    message_zh=f"{parent.name}存有多个清单（{'、'.join(sorted(names))}），"
                    "请指明与哪一个比较",
                )
            if names:
                row = standards_repo.versions(session, names.pop(), parent.id)[-1]
                return row.id, standards_repo.to_domain(session, row)
            parent_code = parent.parent_code
    raise NotFound(
        f"no list is stored for a region above {code}",
        message_zh=f"地区 {code} 的上级地区都没有存入服务清单，无法与上级比较",
    )


def has_higher_list(db: Database, local: StoredList) -> bool:
    """Whether a list of a higher level is stored to compare ``local`` with (pages offer the
    comparison only then: a link that can only answer "none stored" is a dead end)."""
    try:
        _higher_list(db, local)
    except NotFound:
        return False
    except InvalidData:  # no region (no higher level), or several lists above: the page says which
        return local.list.region_code is not None
    return True


def compare_list(
    db: Database,
    ref: int | str,
    with_: str = "national",
    version: str | None = None,
    against: int | str | None = None,
    national_version: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    suggest_from: float = DEFAULT_SUGGEST_FROM,
) -> ListComparison:
    """Compare a list with ``national``, ``higher`` (its nearest ancestor's list) or ``against``."""
    if not 0 <= suggest_from <= threshold <= 100:
        raise InvalidData("need 0 ≤ suggestion floor ≤ threshold ≤ 100")
    local = find_list(db, ref, version)
    reference_id: int | None
    note: str | None = None
    note_en: str | None = None
    if against is not None:
        other = find_list(db, against)
        reference_id, reference = other.id, other.list
    elif with_ == "national":
        reference_id, reference = None, national_reference(national_version)
        note = (
            f"国家标准参考数据只含其来源列出的 {len(reference.items)} 个服务项目："
            "“新增”项目可能是参考数据未列出的国家项目，并非一定超出国家标准"
        )
        note_en = (
            f"the national reference holds only the {len(reference.items)} items its sources "
            "name: an item 'added' locally may be a national item they do not name"
        )
    elif with_ == "higher":
        reference_id, reference = _higher_list(db, local)
    else:
        raise InvalidData(
            f"--with takes national or higher, not {with_!r}",
            message_zh=f"比较对象应为 national（国家标准）或 higher（上级清单），而不是“{with_}”",
        )
    with db.session() as session:
        verdicts = standards_repo.match_verdicts(session)
    comparison = compare_items(
        local.list.items, reference.items, verdicts, threshold=threshold, suggest_from=suggest_from
    )
    return ListComparison(local, reference, reference_id, comparison, note, note_en)


def confirm_match(
    db: Database, local_item: str, reference_item: str, author: str, accepted: bool = True
) -> None:
    """Remember a person's verdict on pairing two item names (accepted or rejected)."""
    if not local_item.strip() or not reference_item.strip():
        raise InvalidData("give both item names")
    if not author.strip():
        raise InvalidData("a confirmation needs its author")
    with db.session() as session:
        standards_repo.set_match_verdict(
            session, local_item.strip(), reference_item.strip(), accepted, author.strip()
        )
