"""Revising a basic public service list by hand (the web app's form and API).

The service that stores a revision (:func:`minsheng.services.standards.revise_list`)
keeps every version with its reason and author; here the person is checked first
(:func:`minsheng.services.permissions.check_list_editor`) and the revision recorded
in the audit trail, in the same breath.
"""

from __future__ import annotations

from minsheng.domain.errors import InvalidData, Problem
from minsheng.domain.standards import StandardItem, item_key
from minsheng.domain.users import Actor
from minsheng.services import permissions
from minsheng.services.standards import StoredList, find_list, revise_list
from minsheng.store.database import Database
from minsheng.store.repositories import audit as audit_repo

#: The longest text each field of an item may hold (the form and the API alike): a cell is
#: a phrase or a paragraph, never a pasted document.
FIELD_LIMITS = {
    "domain": 100, "category": 200, "item": 300, "served": 2000, "content": 4000,
    "standard": 4000, "spending_responsibility": 2000, "lead_department": 500,
}  # fmt: skip
REASON_LIMIT = 1000
ITEMS_LIMIT = 2000


def edit_list(
    db: Database, who: Actor, list_id: int, items: list[StandardItem], reason: str
) -> StoredList:
    """Store ``items`` as the next version of the list ``list_id`` belongs to, as ``who``.

    Every item needs its name and domain, and no name twice (row-numbered problems refuse
    the whole edit); an unchanged list adds no version.
    """
    current = find_list(db, list_id)
    permissions.check_list_editor(who, current.list.region_code)
    problems: list[Problem] = []
    if len(items) > ITEMS_LIMIT:
        problems.append(
            Problem(
                None,
                "items",
                f"{len(items)} items; a list holds {ITEMS_LIMIT}",
                message_zh=f"共 {len(items)} 项，一份清单最多 {ITEMS_LIMIT} 项，请拆分或删减",
            )
        )
    if len(reason or "") > REASON_LIMIT:
        problems.append(
            Problem(
                None,
                "reason",
                f"longer than {REASON_LIMIT} characters",
                message_zh=f"超过 {REASON_LIMIT} 字，请精简修订理由",
            )
        )
    seen: dict[str, int] = {}
    for row, item in enumerate(items, 1):
        for name, limit in FIELD_LIMITS.items():
            text = getattr(item, name) or ""
            if len(text) > limit:
                problems.append(
                    Problem(
                        row,
                        name,
                        f"{len(text)} characters; at most {limit}",
                        message_zh=f"共 {len(text)} 字，最多 {limit} 字，请精简",
                    )
                )
        if not item.item.strip():
            problems.append(
                Problem(row, "item", "an item needs its name", message_zh="请填写服务项目名称")
            )
        if not item.domain.strip():
            problems.append(
                Problem(
                    row,
                    "domain",
                    f"{item.item}: an item needs its domain",
                    message_zh=f"“{item.item}”未填写所属领域，请填写",
                )
            )
        key = item_key(item.item)
        if key and key in seen:
            problems.append(
                Problem(
                    row,
                    "item",
                    f"{item.item} is already row {seen[key]}",
                    message_zh=f"“{item.item}”与第{seen[key]}行重复，请合并或删除一行",
                )
            )
        seen.setdefault(key, row)
    if not items:
        problems.append(
            Problem(
                None,
                "items",
                "a list keeps at least one item",
                message_zh="清单至少保留一个服务项目",
            )
        )
    if not (reason or "").strip():
        problems.append(Problem(None, "reason", "a revision says why", message_zh="请填写修订理由"))
    if problems:
        raise InvalidData(
            f"{len(problems)} problem(s); the list was not changed",
            problems,
            message_zh=f"{len(problems)}处问题，清单未修改",
        )
    stored = revise_list(db, list_id, items, reason.strip(), author=who.name)
    if stored.created:
        with db.session() as session:
            audit_repo.record(
                session, who.username, "list.revise",
                f"{stored.list.name} v{stored.list.version}", region=stored.list.region_code,
                before={"version": current.list.version, "items": len(current.list.items)},
                after={"version": stored.list.version, "items": len(stored.list.items),
                       "reason": reason.strip()},
            )  # fmt: skip
    return stored
