"""Basic public service lists and cost tables from CSV/XLSX files, and the fill-in template.

A list file has one item a row under a header naming the columns in Chinese or
English (``服务领域/domain``, ``服务类别/category``, ``服务项目/item``, ``服务对象/served``,
``服务内容/content``, ``服务标准/standard``, ``支出责任/spending responsibility``,
``牵头负责单位/lead department``, ``来源/source``). A cost table gives, per item (and
optionally per region), the eligible population and optionally the
central/provincial/local shares and a budget.
Row numbers are those a spreadsheet shows (header = row 1). Reading never stores:
the service decides, all or nothing.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from minsheng.domain.errors import InvalidData, Problem
from minsheng.domain.standards import FIELD_NAMES_ZH, ITEM_FIELDS, StandardItem
from minsheng.ingest.spreadsheets import read_table

_ITEM_ALIASES: dict[str, tuple[str, ...]] = {
    "domain": ("服务领域", "领域", "domain"),
    "category": ("服务类别", "类别", "category"),
    "item": ("服务项目", "项目", "项目名称", "item"),
    "served": ("服务对象", "对象", "served", "whoisserved"),
    "content": ("服务内容", "内容", "content"),
    "standard": ("服务标准", "标准", "standard"),
    "spending_responsibility": ("支出责任", "spendingresponsibility", "spending"),
    "lead_department": ("牵头负责单位", "牵头单位", "负责单位", "leaddepartment"),
    "source": ("来源", "source"),
}
_COST_ALIASES: dict[str, tuple[str, ...]] = {
    "item": ("服务项目", "项目", "item"),
    "population": ("受益人数", "服务对象人数", "人数", "eligiblepopulation", "population"),
    "central": ("中央", "中央比例", "central"),
    "provincial": ("省级", "省级比例", "provincial"),
    "local": ("市县", "市县比例", "local"),
    "budget": ("预算", "budget"),
    "region": ("地区", "行政区划代码", "地区代码", "region", "regioncode"),
}


def _fold(text: str) -> str:
    return re.sub(r"[\s_（）()]+", "", unicodedata.normalize("NFKC", text).strip().lower())


def _role(cell: str, aliases: dict[str, tuple[str, ...]]) -> str | None:
    for part in [cell, *re.split(r"[/|\n]", cell)]:
        folded = _fold(part)
        for role, names in aliases.items():
            if folded in {_fold(n) for n in names}:
                return role
    return None


def _table(path: Path) -> Iterator[tuple[int, list[str]]]:
    rows, _ = read_table(path)
    if rows is None:
        raise InvalidData(f"{path.name}: no data sheet")
    yield from enumerate(rows, 1)


def _rows(
    path: Path, aliases: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    roles: dict[str, int] | None = None
    for number, cells in _table(path):
        if roles is None:
            if not any(cells):
                continue
            found = {r: i for i, c in reversed(list(enumerate(cells))) if (r := _role(c, aliases))}
            missing = [r for r in required if r not in found]
            if missing:
                raise InvalidData(
                    f"{path.name}: row {number} is not a header; missing column(s) "
                    + ", ".join(f"{FIELD_NAMES_ZH.get(m, m)}/{m}" for m in missing)
                )
            roles = found
            continue
        if not any(cells):
            continue
        yield number, {r: cells[i].strip() if i < len(cells) else "" for r, i in roles.items()}
    if roles is None:
        raise InvalidData(f"{path.name}: the file is empty")


def read_standard_items(path: Path) -> tuple[list[tuple[int, StandardItem]], list[Problem]]:
    """Items of a list file with their row numbers, and every problem found (none stored)."""
    items: list[tuple[int, StandardItem]] = []
    problems: list[Problem] = []
    for number, row in _rows(Path(path), _ITEM_ALIASES, ("domain", "item")):
        if not row.get("item"):
            problems.append(
                Problem(number, "服务项目/item", "empty", message_zh="服务项目为空，请填写项目名称")
            )
            continue
        if not row.get("domain"):
            problems.append(
                Problem(
                    number, "服务领域/domain", "empty", message_zh="服务领域为空，请填写所属领域"
                )
            )
            continue
        values = {f: (row.get(f) or None) for f in ITEM_FIELDS}
        items.append((number, StandardItem(**values)))  # type: ignore[arg-type]
    return items, problems


@dataclass(frozen=True)
class CostRow:
    item: str
    population: float | None
    shares: tuple[float, float, float] | None  # central, provincial, local (fractions)
    budget: float | None
    region: str | None = None  # the region the row is for; None: every region costed


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("，", "").strip())


def read_cost_table(path: Path) -> list[CostRow]:
    """Eligible populations, shares (% or fractions) and budgets by item; all or nothing."""
    out: list[CostRow] = []
    problems: list[Problem] = []
    for number, row in _rows(Path(path), _COST_ALIASES, ("item",)):
        try:
            population = _number(row["population"]) if row.get("population") else None
            budget = _number(row["budget"]) if row.get("budget") else None
            parts = [row.get(k, "") for k in ("central", "provincial", "local")]
            shares = None
            if any(parts):
                values = [_number(p.rstrip("%％")) if p else 0.0 for p in parts]
                if sum(values) > 1.000001:
                    values = [v / 100 for v in values]
                if abs(sum(values) - 1) > 1e-6:
                    problems.append(
                        Problem(
                            number,
                            "shares",
                            "central + provincial + local ≠ 100%",
                            message_zh="中央、省级、市县分担比例之和不等于 100%，请核对",
                        )
                    )
                    continue
                shares = (values[0], values[1], values[2])
        except ValueError:
            problems.append(
                Problem(
                    number,
                    None,
                    "not a number",
                    message_zh="受益人数、分担比例或预算中有不是数字的内容，请填写数值",
                )
            )
            continue
        if population is not None and population < 0:
            problems.append(
                Problem(
                    number, "population", "negative", message_zh="受益人数为负数，请填写实际人数"
                )
            )
            continue
        out.append(CostRow(row["item"], population, shares, budget, row.get("region") or None))
    if problems:
        raise InvalidData(
            f"{Path(path).name}: {len(problems)} error(s); nothing was read",
            problems,
            message_zh=f"{Path(path).name}：{len(problems)} 处错误，未读取任何数据",
        )
    return out


def write_list_template(path: Path) -> Path:
    """An .xlsx (or .csv) with the list's columns, Chinese and English, and a 说明 sheet."""
    path = Path(path)
    headers = [f"{FIELD_NAMES_ZH[f]} / {f}" for f in ITEM_FIELDS]
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerow(headers)
        return path
    if path.suffix.lower() != ".xlsx":
        raise InvalidData(f"{path.name}: the template is .xlsx or .csv")
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "清单"
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, _ in enumerate(headers):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width = 22
    ws.freeze_panes = "A2"
    notes = book.create_sheet("说明")
    for line in (
        "每行一个服务项目；服务领域、服务项目必填，其余可空。",
        "服务标准照原文填写（如：每人每年不低于89元、每月300元、免费、全覆盖）。",
        "支出责任照原文填写；写明比例时（如：中央80%、地方20%）用于分担测算。",
        "导入时整表校验：任何一行有误则整表不导入，并按行号列出问题。",
        "One service item a row; domain and item are required. Import is all or nothing.",
    ):
        notes.append([line])
    book.save(path)
    return path
