"""Administrative regions (行政区划) under GB/T 2260.

A six-digit code reads PPCCXX: province, prefecture, county. The national root
has the conventional code 100000. Codes are re-used and re-assigned over time
(counties merged, renamed, re-coded), so a region carries the years it was
valid and, once retired, the code of the unit that took its place; data stays
attached to the unit it was reported for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from minsheng.domain.errors import InvalidData

NATIONAL_CODE = "100000"
NATIONAL_NAME = "全国"
_CODE = re.compile(r"^\d{6}$")


class Level(StrEnum):
    """The four planning levels, top down."""

    NATIONAL = "national"
    PROVINCE = "province"
    PREFECTURE = "prefecture"
    COUNTY = "county"

    @property
    def rank(self) -> int:
        return list(Level).index(self)

    @property
    def label_zh(self) -> str:
        return {
            "national": "国家",
            "province": "省",
            "prefecture": "市(州)",
            "county": "县(市、区)",
        }[self.value]


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: Level
    parent_code: str | None
    valid_from: int | None = None
    valid_to: int | None = None
    successor_code: str | None = None

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


def normalise_code(code: str | int) -> str:
    """Accept 2-, 4- or 6-digit codes (as division lists write them) and pad to six."""
    text = str(code).strip()
    if not text.isdigit() or len(text) not in (2, 4, 6):
        raise InvalidData(f"not a GB/T 2260 code: {code!r} (expected 2, 4 or 6 digits)")
    return text.ljust(6, "0")


def level_of_code(code: str) -> Level:
    """The level a six-digit code names, by which of its digit pairs are zero."""
    if not _CODE.match(code):
        raise InvalidData(f"not a six-digit GB/T 2260 code: {code!r}")
    if code == NATIONAL_CODE:
        return Level.NATIONAL
    if code[2:] == "0000":
        return Level.PROVINCE
    if code[4:] == "00":
        return Level.PREFECTURE
    return Level.COUNTY


def parent_code_of(code: str) -> str | None:
    """The parent implied by the code itself (province for a prefecture, etc.)."""
    level = level_of_code(code)
    if level is Level.NATIONAL:
        return None
    if level is Level.PROVINCE:
        return NATIONAL_CODE
    if level is Level.PREFECTURE:
        return code[:2] + "0000"
    return code[:4] + "00"


def ancestry(code: str, regions: dict[str, Region]) -> list[Region]:
    """The chain from a region up to the national root, the region itself first."""
    chain: list[Region] = []
    seen: set[str] = set()
    current: str | None = code
    while current is not None:
        if current in seen:
            raise InvalidData(f"region tree has a cycle at {current}")
        seen.add(current)
        region = regions.get(current)
        if region is None:
            break
        chain.append(region)
        current = region.parent_code
    return chain


def code_prefix(code: str) -> str:
    """The code digits that all descendants share: ``510000`` → ``51``, ``100000`` → ``""``."""
    if code == NATIONAL_CODE:
        return ""
    level = level_of_code(code)
    return {Level.PROVINCE: code[:2], Level.PREFECTURE: code[:4]}.get(level, code)
