"""Region helpers for pages: descendant prefixes and the vendored boundary file of an area."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from minsheng.domain.regions import Level, Region, level_of_code

MAP_DIR = Path(__file__).parent / "static" / "vendor" / "map"
PREFIX_DIGITS = {Level.NATIONAL: 0, Level.PROVINCE: 2, Level.PREFECTURE: 4, Level.COUNTY: 6}


def prefix(code: str) -> str:
    """The GB/T 2260 prefix every region under ``code`` shares (全国: the empty prefix)."""
    return code[: PREFIX_DIGITS[level_of_code(code)]]


def brief(region: Region) -> dict[str, Any]:
    return {"code": region.code, "name": region.name, "level": region.level.value}


@cache
def _province_files() -> dict[str, str]:
    return json.loads((MAP_DIR / "index.json").read_text(encoding="utf-8"))


def boundaries_url(code: str) -> str:
    """The boundary file that draws the regions under ``code``: China's provinces, or a province's units."""
    if level_of_code(code) is Level.NATIONAL:
        return "/static/vendor/map/china.json"
    path = _province_files().get(code[:2])
    return f"/static/vendor/map/{path}" if path else ""
