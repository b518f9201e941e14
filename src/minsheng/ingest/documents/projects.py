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
from minsheng.ingest.documents.tables import one_cell_text, split_pipe
from minsheng.ingest.documents.text import SENTENCE_END, split_numbered, squeeze_spaces

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


_TABLE_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("name", re.compile(r"名称|^项目$|^工程$")),
    ("investment", re.compile(r"投资")),
    ("years", re.compile(r"年限|起止|建设期|实施期|时间")),
    ("lead_unit", re.compile(r"责任|牵头|实施主体|建设单位|业主")),
    ("status", re.compile(r"性质|状态")),
    ("description", re.compile(r"内容|规模")),
)
_YEARS = re.compile(r"((?:19|20)\d{2})\s*年?\s*(?:[-—–~～至到]+\s*((?:19|20)\d{2}))?")
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(亿元|亿|万元|万)?")


def _table_roles(cells: list[str]) -> dict[str, int] | None:
    roles: dict[str, int] = {}
    for at, raw in enumerate(cells):
        cell = squeeze_spaces(raw)
        for role, pattern in _TABLE_ROLES:
            if role not in roles and pattern.search(cell):
                roles[role] = at
                break
    return roles if "name" in roles and len(roles) >= 2 else None


def _investment(cell: str, header: str) -> float | None:
    """Amount in 10k yuan (万元), the unit plans report investment in."""
    m = _AMOUNT.search(cell)
    if not m:
        return None
    unit = m.group(2) or ("亿" if "亿" in header else "万")
    return float(m.group(1)) * (10000.0 if unit.startswith("亿") else 1.0)


def _read_project_table(
    lines: list[str], start: int, box: str, box_domain: str | None, out: ProjectBoxes
) -> None:
    header = split_pipe(lines[start])
    roles = _table_roles(header) or {}
    out.lines.add(start)
    j = start + 1
    while j < len(lines) and "|" in lines[j]:
        cells = split_pipe(lines[j])
        out.lines.add(j)
        j += 1

        def cell(role: str, row: list[str] = cells) -> str:
            at = roles.get(role)
            return squeeze_spaces(row[at]) if at is not None and at < len(row) else ""

        name = re.sub(r"^\d{1,3}\s*[.．、]?\s*", "", cell("name"))
        if not name:
            continue
        years = _YEARS.search(cell("years"))
        domain = classify_domain(name)
        out.projects.append(
            KeyProject(
                name=name,
                domain=box_domain or (domain.code if domain else None),
                box=box,
                description=cell("description") or None,
                lead_unit=cell("lead_unit") or None,
                investment=_investment(cell("investment"), header[roles["investment"]])
                if "investment" in roles
                else None,
                start_year=int(years.group(1)) if years else None,
                end_year=int(years.group(2) or years.group(1)) if years else None,
                status=cell("status") or None,
            )
        )


def read_project_boxes(lines: list[str]) -> ProjectBoxes:
    out = ProjectBoxes()
    for i, line in enumerate(lines):
        if "专" not in line or "栏" not in line:  # no box title: skip the cell splitting below
            continue
        m = _BOX.match(squeeze_spaces(one_cell_text(line)))
        if not m or not _PROJECT_BOX.search(m.group(2)) or _NOT_PROJECT.search(m.group(2)):
            continue
        box = f"专栏{m.group(1)} {m.group(2)}".strip()
        out.lines.add(i)
        box_domain = classify_domain(m.group(2))
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j < len(lines) and "|" in lines[j] and _table_roles(split_pipe(lines[j])):
            _read_project_table(lines, j, box, box_domain.code if box_domain else None, out)
            continue
        parts: list[str] = []
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
