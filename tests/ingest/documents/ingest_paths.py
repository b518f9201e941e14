"""Paths to the shared corpus and gold extractions, and to this package's own fixtures."""

from __future__ import annotations

import json
from pathlib import Path

SHARED = (Path(__file__).parents[3] / ".." / "shared").resolve()
CORPUS = SHARED / "corpus"
GOLD = SHARED / "gold"
FIXTURES = Path(__file__).parents[2] / "fixtures" / "ingest"

GOLD_INDICATORS = sorted(GOLD.glob("*.indicators.json")) if GOLD.is_dir() else []
GOLD_SERVICES = sorted(GOLD.glob("*.services.json")) if GOLD.is_dir() else []


def corpus_file(gold_path: Path) -> Path:
    """The corpus document a gold file describes (named in its ``document`` field)."""
    data = json.loads(gold_path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and data.get("document"):
        return CORPUS / data["document"]
    return CORPUS / (gold_path.name.split(".")[0] + ".txt")
