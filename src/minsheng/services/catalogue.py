"""The national canonical indicator catalogue shipped as ``data/catalogue.csv``."""

from __future__ import annotations

import csv
import io

from minsheng.data import data_file
from minsheng.domain.indicators import CanonicalIndicator, Polarity
from minsheng.domain.service_domains import DOMAINS_BY_CODE


def shipped_catalogue() -> list[CanonicalIndicator]:
    """Rows of ``catalogue.csv`` as CanonicalIndicators (aliases separated by ``;`` or ``|``)."""
    text = data_file("catalogue.csv").read_text(encoding="utf-8")
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        domain = row["domain"].strip()
        if domain not in DOMAINS_BY_CODE:
            raise ValueError(f"catalogue.csv: {row['code']} names unknown domain {domain!r}")
        aliases = tuple(
            a.strip() for a in (row.get("aliases") or "").replace("|", ";").split(";") if a.strip()
        )
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
    return out


def plausible_bounds(indicator: CanonicalIndicator) -> tuple[float | None, float | None]:
    """Bounds outside which a value is implausible (a warning on import, never a refusal).

    Rates cannot be negative and, unless gross (毛…率, which counts over-age
    enrolment and may pass 100), cannot exceed 100 %; counts cannot be negative.
    """
    if indicator.unit == "%":
        return 0.0, (None if "毛" in indicator.name else 100.0)
    return 0.0, None
