"""Fixtures for the evaluation tests: judge one indicator for one region."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

# the helpers module sits beside this file; make it importable under any import mode
sys.path.insert(0, str(Path(__file__).parent))
from evaluation_helpers import indicator, observations  # noqa: E402

from minsheng.analytics.evaluation import evaluate
from minsheng.analytics.specs import specs_frame

Judge = Callable[..., dict[str, Any]]


@pytest.fixture
def judge() -> Judge:
    """Evaluate one indicator for one region and return its result row as a dict."""

    def run(
        baseline: str | None,
        target: str | None,
        values: dict[int, float],
        year: int,
        *,
        baseline_year: int = 2020,
        target_year: int = 2025,
        about_tolerance: float = 0.05,
        judgements: pl.DataFrame | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        specs = specs_frame(
            [indicator(baseline, target, **kwargs)],
            baseline_year=baseline_year,
            target_year=target_year,
        )
        rows = evaluate(
            specs,
            observations(values),
            year,
            regions=["110101"],
            about_tolerance=about_tolerance,
            judgements=judgements,
        )
        assert rows.height == 1
        return rows.row(0, named=True)

    return run
