"""Key project boxes (专栏N …重点工程/重点任务/重大工程): numbered items with their domain.

A box's items are numbered ``1.``, ``2.``… and often run on one line; each
item opens with its name, ended by ``。`` or ``：``, then describes the work.
The box title names the domain (``幼有所育重点工程``); an item whose box does
not is classified by its own name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from minsheng.domain.plans import KeyProject
from minsheng.domain.service_domains import classify_domain
from minsheng.ingest.text import SENTENCE_END, split_numbered, squeeze_spaces

_BOX = re.compile(r"^\s*专栏\s*(\d+)\s*(.*)$")
_PROJECT_BOX = re.compile(r"重点工程|重点任务|重大工程|重点项目|重大项目|工程|行动|计划")
_NOT_PROJECT = re.compile(r"指标|清单")
_ITEM_START = re.compile(r"^\s*\d{1,2}\s*[.．、]")
_NAME_END = re.compile(r"[。：:]")
#: Longest item name; a longer head is a description without a name.
MAX_NAME = 40


@dataclass
class ProjectBoxes:
    projects: list[KeyProject] = field(default_factory=list)
    lines: set[int] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)


def _split_item(text: str) -> tuple[str, str | None]:
    m = _NAME_END.search(text)
    if m and m.start() <= MAX_NAME:
        name, rest = text[: m.start()], text[m.end() :]
    else:
        name, rest = text[:MAX_NAME], text
    return name.strip(), (rest.strip() or None)


def read_project_boxes(lines: list[str]) -> ProjectBoxes:
    out = ProjectBoxes()
    for i, line in enumerate(lines):
        m = _BOX.match(squeeze_spaces(line))
        if not m or not _PROJECT_BOX.search(m.group(2)) or _NOT_PROJECT.search(m.group(2)):
            continue
        box = f"专栏{m.group(1)} {m.group(2)}".strip()
        out.lines.add(i)
        parts: list[str] = []
        j = i + 1
        while j < len(lines):
            text = lines[j].strip().strip("|").strip()
            if not text:
                if parts:
                    break
                j += 1
                continue
            continues = bool(parts) and not squeeze_spaces(parts[-1]).endswith(tuple(SENTENCE_END))
            if not _ITEM_START.match(text) and not continues:
                break
            parts.append(text)
            out.lines.add(j)
            j += 1
        items = split_numbered(" ".join(parts))
        if not items:
            out.warnings.append(f"line {i + 1}: {box} has no numbered items")
            continue
        if items[0][0] != 1:
            out.warnings.append(f"line {i + 1}: {box} starts at item {items[0][0]}")
        box_domain = classify_domain(m.group(2))
        for _, item in items:
            name, description = _split_item(squeeze_spaces(item))
            domain = box_domain or classify_domain(name)
            out.projects.append(
                KeyProject(
                    name=name,
                    domain=domain.code if domain else None,
                    box=box,
                    description=description,
                )
            )
    return out
