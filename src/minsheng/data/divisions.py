"""The shipped division tree (china-division CSVs) as domain Regions.

Prefecture-level cities without districts appear once, as prefectures.
Municipalities and province-administered county groups appear in the source
as placeholder prefectures (市辖区, 县, 省直辖县级行政区划); they are kept as
prefecture-level nodes so every county has a parent chain to its province,
and named after their province so a listing reads sensibly.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache

from minsheng.data import DIVISIONS_VERSION, data_file
from minsheng.domain.regions import NATIONAL_CODE, NATIONAL_NAME, Level, Region, normalise_code

_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def _rows(name: str) -> list[dict[str, str]]:
    text = data_file("divisions", name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@lru_cache(maxsize=1)
def load_divisions() -> tuple[Region, ...]:
    """Every region of the shipped tree, national root first, parents before children."""
    regions = [Region(NATIONAL_CODE, NATIONAL_NAME, Level.NATIONAL, None)]
    provinces = {}
    for row in _rows("provinces.csv"):
        code = normalise_code(row["code"])
        provinces[code] = row["name"]
        regions.append(Region(code, row["name"], Level.PROVINCE, NATIONAL_CODE))
    for row in _rows("cities.csv"):
        code = normalise_code(row["code"])
        parent = normalise_code(row["provinceCode"])
        name = row["name"]
        if name in _PLACEHOLDERS:
            name = f"{provinces[parent]}{name}"
        regions.append(Region(code, name, Level.PREFECTURE, parent))
    prefectures = {r.code for r in regions}
    for row in _rows("areas.csv"):
        code = normalise_code(row["code"])
        if code in prefectures:
            # a prefecture-level city without districts (东莞市) is listed again as its own area
            continue
        regions.append(Region(code, row["name"], Level.COUNTY, normalise_code(row["cityCode"])))
    return tuple(regions)


def divisions_by_code() -> dict[str, Region]:
    return {r.code: r for r in load_divisions()}


def full_name(code: str, by_code: dict[str, Region] | None = None) -> str:
    """``500118`` → ``重庆市永川区``: province, prefecture (unless a placeholder) and county."""
    by_code = by_code or divisions_by_code()
    chain = []
    current = by_code.get(code)
    while current is not None and current.level is not Level.NATIONAL:
        chain.append(current)
        current = by_code.get(current.parent_code or "")
    parts = []
    for region in reversed(chain):
        if region.level is Level.PREFECTURE and any(region.name.endswith(p) for p in _PLACEHOLDERS):
            continue
        parts.append(region.name)
    return "".join(parts) or (by_code[code].name if code in by_code else code)


__all__ = ["DIVISIONS_VERSION", "load_divisions", "divisions_by_code", "full_name"]
