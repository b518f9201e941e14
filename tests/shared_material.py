"""Where the shared material is (real plan documents, gold extractions, national statistics).

``MINSHENG_SHARED_DIR`` names it, else ``../shared`` beside the checkout. Tests that
need it take the ``shared_dir`` fixture (tests/conftest.py), which FAILS — never
skips — when it is missing: a green run must mean the real documents were read.
Parametrised tests list their cases at import time from :data:`SHARED` and fail
through :func:`require` when it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(
    os.environ.get("MINSHENG_SHARED_DIR") or Path(__file__).resolve().parents[1].parent / "shared"
).resolve()


def require() -> Path:
    """The shared material, or a failed test saying how to provide it."""
    if not (SHARED / "corpus").is_dir() or not (SHARED / "data").is_dir():
        pytest.fail(
            f"the shared material is missing at {SHARED} (corpus/, gold/, data/): "
            "check it out beside the repository as ../shared or set MINSHENG_SHARED_DIR",
            pytrace=False,
        )
    return SHARED
