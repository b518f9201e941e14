"""The national basic public service standard shipped as ``national_standard.json``.

Its 9 domains and 22 service categories, and the items the shared sources name,
each with the source of its facts. Version 1 is the 2021 standard, version 2 the
2023 revision as far as the sources say what changed. Fields a source does not
give are empty: the comparison then has names to match but no standards to judge.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from minsheng.data import data_file
from minsheng.domain.standards import StandardItem, StandardList


@dataclass(frozen=True)
class Category:
    number: int
    name: str
    domain: str


def _raw() -> dict:  # type: ignore[type-arg]
    return json.loads(data_file("national_standard.json").read_text(encoding="utf-8"))


def national_categories() -> list[Category]:
    """The 22 service categories (服务类别) under their domains, in the standard's order."""
    return [
        Category(c["number"], c["name"], d["name"])
        for d in _raw()["domains"]
        for c in d["categories"]
    ]


def national_domains() -> list[str]:
    return [d["name"] for d in _raw()["domains"]]


def national_standard_versions() -> list[StandardList]:
    """Every shipped version of the national standard, oldest first."""
    raw = _raw()
    out = []
    for v in raw["versions"]:
        out.append(
            StandardList(
                name=raw["name"],
                version=v["version"],
                region_code=raw["region_code"],
                issued_on=date.fromisoformat(v["issued_on"]) if v.get("issued_on") else None,
                source=v["source"],
                reason=v["reason"],
                author="minsheng (shipped reference data)",
                items=[
                    StandardItem(
                        domain=i.get("domain", ""),
                        item=i["item"],
                        served=i.get("served"),
                        content=i.get("content"),
                        standard=i.get("standard"),
                        spending_responsibility=i.get("spending_responsibility"),
                        lead_department=i.get("lead_department"),
                        category=i.get("category"),
                        source=i.get("source"),
                    )
                    for i in v["items"]
                ],
            )
        )
    return out
