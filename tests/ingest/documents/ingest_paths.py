"""Paths to the shared corpus and gold extractions, and to this package's own fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared_material import SHARED, require

CORPUS = SHARED / "corpus"
GOLD = SHARED / "gold"
FIXTURES = Path(__file__).parents[2] / "fixtures" / "ingest"


def _gold(pattern: str) -> list:
    """The gold files, or one case that fails (not an empty, silently skipped set)."""
    found = sorted(GOLD.glob(pattern)) if GOLD.is_dir() else []
    return found or [pytest.param(GOLD / pattern, id="shared-material-missing")]


GOLD_INDICATORS = _gold("*.indicators.json")
GOLD_SERVICES = _gold("*.services.json")


def corpus_file(gold_path: Path) -> Path:
    """The corpus document a gold file describes (named in its ``document`` field)."""
    require()
    data = json.loads(gold_path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and data.get("document"):
        return CORPUS / data["document"]
    return CORPUS / (gold_path.name.split(".")[0] + ".txt")
