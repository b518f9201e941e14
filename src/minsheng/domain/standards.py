"""Basic public service standards (基本公共服务标准/清单): lists, items and their differences.

A list is versioned data: the pair (name, region) names it, every change makes the
next version with its date, reason and author, and any two versions can be diffed.
Items are keyed by their name (whitespace and width folded), so a reworded item
shows as one removed and one added — the comparison, not the diff, pairs wordings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, fields
from datetime import date, datetime

# The fields of an item a person can change, in the order a list shows them.
ITEM_FIELDS: tuple[str, ...] = (
    "domain",
    "category",
    "item",
    "served",
    "content",
    "standard",
    "spending_responsibility",
    "lead_department",
    "source",
)

FIELD_NAMES_ZH: dict[str, str] = {
    "domain": "服务领域",
    "category": "服务类别",
    "item": "服务项目",
    "served": "服务对象",
    "content": "服务内容",
    "standard": "服务标准",
    "spending_responsibility": "支出责任",
    "lead_department": "牵头负责单位",
    "source": "来源",
}


@dataclass
class StandardItem:
    domain: str
    item: str
    served: str | None = None  # 服务对象
    content: str | None = None  # 服务内容
    standard: str | None = None  # 服务标准
    spending_responsibility: str | None = None  # 支出责任
    lead_department: str | None = None  # 牵头负责单位
    category: str | None = None  # 服务类别
    source: str | None = None  # where the item's facts come from


@dataclass
class StandardList:
    name: str
    version: str
    region_code: str | None
    items: list[StandardItem] = field(default_factory=list)
    issued_on: date | None = None  # the date the version took effect
    source: str | None = None
    reason: str | None = None  # why this version was made
    author: str | None = None  # who made it
    created_at: datetime | None = field(default=None, compare=False)  # when it was stored
    plan_id: int | None = None  # the plan it was read from


def item_key(name: str) -> str:
    """The identity of an item name: width folded, spaces and trailing punctuation dropped."""
    text = unicodedata.normalize("NFKC", name)
    return re.sub(r"[\s。.;；,，]+", "", text)


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class ItemChange:
    item: str
    changes: tuple[FieldChange, ...]


@dataclass
class ListDiff:
    """What changed from list ``a`` to list ``b`` (items keyed by :func:`item_key`)."""

    added: list[StandardItem] = field(default_factory=list)
    removed: list[StandardItem] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _keyed(items: list[StandardItem]) -> dict[str, StandardItem]:
    """Items by key; a repeated name gets its occurrence number so nothing is lost."""
    out: dict[str, StandardItem] = {}
    for item in items:
        key = item_key(item.item)
        n = 1
        while key in out:
            n += 1
            key = f"{item_key(item.item)}#{n}"
        out[key] = item
    return out


def _norm(value: str | None) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    return text or None


def diff_lists(a: list[StandardItem], b: list[StandardItem]) -> ListDiff:
    """Items added, removed and changed (field by field) from ``a`` to ``b``."""
    before, after = _keyed(a), _keyed(b)
    out = ListDiff()
    for key, item in after.items():
        old = before.get(key)
        if old is None:
            out.added.append(item)
            continue
        changes = tuple(
            FieldChange(f, getattr(old, f), getattr(item, f))
            for f in ITEM_FIELDS
            if f != "item" and _norm(getattr(old, f)) != _norm(getattr(item, f))
        )
        if changes:
            out.changed.append(ItemChange(item.item, changes))
        else:
            out.unchanged += 1
    out.removed = [item for key, item in before.items() if key not in after]
    return out


def same_items(a: list[StandardItem], b: list[StandardItem]) -> bool:
    """True when two item lists hold the same items in the same order with the same fields."""
    if len(a) != len(b):
        return False
    return all(
        _norm(getattr(x, f.name)) == _norm(getattr(y, f.name))
        for x, y in zip(a, b, strict=True)
        for f in fields(StandardItem)
    )
