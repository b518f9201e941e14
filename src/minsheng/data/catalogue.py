"""The national canonical indicator catalogue shipped as ``catalogue.csv`` (facts, kept as data).

Columns: ``code,name,unit,polarity,domain,aliases,source``; aliases are separated
by ``|`` or ``;``. One reader serves ``minsheng init`` (which copies the catalogue
into the store) and the matcher that maps plan wording to it.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from minsheng.data import data_file
from minsheng.domain.errors import InvalidData, Problem
from minsheng.domain.indicators import CanonicalIndicator, Polarity
from minsheng.domain.service_domains import DOMAINS_BY_CODE


def load_catalogue(path: str | Path | None = None) -> list[CanonicalIndicator]:
    """The shipped national catalogue (``code,name,unit,polarity,domain,aliases,source``), or another CSV."""
    source = Path(path) if path else data_file("catalogue.csv")
    text = source.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    problems: list[Problem] = []
    out = []
    for number, row in enumerate(rows, 2):
        try:
            aliases = tuple(
                a.strip() for a in re.split(r"[;；|]", row.get("aliases") or "") if a.strip()
            )
            domain = row["domain"].strip()
            if domain not in DOMAINS_BY_CODE:
                raise ValueError(f"unknown domain {domain!r}")
            out.append(
                CanonicalIndicator(
                    code=row["code"].strip(),
                    name=row["name"].strip(),
                    unit=(row.get("unit") or "").strip() or None,
                    polarity=Polarity(row["polarity"].strip()),
                    domain=domain,
                    aliases=aliases,
                )
            )
        except (KeyError, ValueError, AttributeError) as exc:
            problems.append(
                Problem(
                    number,
                    None,
                    f"bad catalogue row: {exc}",
                    message_zh=f"指标目录的这一行有误：{exc}",
                )
            )
    if problems:
        raise InvalidData(
            "indicator catalogue has bad rows", problems, message_zh="指标目录有错误的行"
        )
    return out
