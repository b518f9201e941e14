"""Basic public service lists: domain → service items, with the declared count checked.

Plans state them as a box (``服务领域 | 服务内容及目标 | 服务项目`` rows whose
items end with ``(共N项)``) or in running text (``本领域服务项目共N项，具体包括：
甲、乙、丙。``). Items are separated by commas in a box (an item may itself
contain ``、``: ``职业介绍、职业指导和创业开业指导``) and by ``、`` in a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from minsheng.domain.plans import OutlineNode, ServiceListEntry
from minsheng.domain.service_domains import classify_domain
from minsheng.ingest.documents.outline import heading_at
from minsheng.ingest.documents.tables import split_pipe
from minsheng.ingest.documents.text import squeeze_spaces

_COUNT = re.compile(r"[(（]\s*共\s*(\d+)\s*项\s*[)）]")
_SENTENCE = re.compile(
    r"本领域(?:基本公共)?(?:服务)?(?:项目)?共\s*(\d+)\s*项[，,]?\s*(?:具体)?包括[:：]?\s*(?P<items>[^。]+)"
)


@dataclass
class ServiceLists:
    entries: list[ServiceListEntry] = field(default_factory=list)
    lines: set[int] = field(default_factory=set)  # 0-based lines read
    warnings: list[str] = field(default_factory=list)


def _header_roles(cells: list[str]) -> dict[str, int] | None:
    roles: dict[str, int] = {}
    for i, raw in enumerate(cells):
        cell = squeeze_spaces(raw)
        if "领域" in cell and "domain" not in roles:
            roles["domain"] = i
        elif re.search(r"项目|清单", cell) and "items" not in roles:
            roles["items"] = i
        elif re.search(r"内容|目标", cell) and "content" not in roles:
            roles["content"] = i
    return roles if {"domain", "items"} <= roles.keys() else None


def _cell(cells: list[str], roles: dict[str, int], key: str) -> str:
    at = roles.get(key)
    return cells[at] if at is not None and at < len(cells) else ""


def split_items(text: str, separators: str = "，,;；") -> tuple[list[str], int | None]:
    """Items of one cell and the count it declares, if any."""
    declared = None
    m = _COUNT.search(text)
    if m:
        declared = int(m.group(1))
        text = text[: m.start()] + text[m.end() :]
    body = squeeze_spaces(text).strip("。.；; ")
    items = [i.strip("。.；; ") for i in re.split(f"[{separators}]", body)]
    items = [i for i in items if i]
    if len(items) == 1 and "、" in items[0] and separators != "、":
        items = [i for i in items[0].split("、") if i]
    return items, declared


def read_service_lists(lines: list[str], outline: list[OutlineNode]) -> ServiceLists:
    out = ServiceLists()
    i = 0
    while i < len(lines):
        line = lines[i]
        # a header names 领域 (perhaps with spaces between): other lines are not split into cells
        header_like = "|" in line and "领" in line and "域" in line
        roles = _header_roles(split_pipe(line)) if header_like else None
        if roles is None:
            i += 1
            continue
        out.lines.add(i)
        i += 1
        while i < len(lines) and "|" in lines[i]:
            cells = split_pipe(lines[i])
            domain = squeeze_spaces(_cell(cells, roles, "domain"))
            items, declared = split_items(_cell(cells, roles, "items"))
            content = squeeze_spaces(_cell(cells, roles, "content")) or None
            if not domain and out.entries and items:
                out.entries[-1].items.extend(items)  # a row continuing a merged domain cell
            elif domain and items:
                out.entries.append(ServiceListEntry(domain, items, content, declared))
            out.lines.add(i)
            i += 1
    for number, line in enumerate(lines, 1):
        for m in _SENTENCE.finditer(line):
            items, _ = split_items(m.group("items"), "、，,;；")
            chain = heading_at(outline, number)
            found = next(
                (d for d in (classify_domain(n.title) for n in reversed(chain)) if d), None
            )
            domain = found.name_zh if found else (chain[-1].title if chain else "")
            out.entries.append(ServiceListEntry(domain, items, None, int(m.group(1))))
            out.lines.add(number - 1)
    for entry in out.entries:
        if entry.count_matches is False:
            out.warnings.append(
                f"service list {entry.domain}: declares {entry.declared_count} items, {len(entry.items)} found"
            )
    return out
