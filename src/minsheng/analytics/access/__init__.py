"""Facility accessibility: coverage, 2SFCA/E2SFCA, underserved cells, siting.

Pure, vectorised kernels over coordinates in metres (see :mod:`.geometry` for lon/lat).
A regular demand grid is detected and handled without any demand-supply pair list.

The names below load with their module on first use (PEP 562): a 2SFCA run does not pay
for importing siting, tiling and routing it never calls.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_HOME = {
    "coverage_by_region": "coverage",
    "covered": "coverage",
    "covered_from_costs": "coverage",
    "mean_score_by_region": "coverage",
    "nearest_distance": "coverage",
    "relative_threshold": "coverage",
    "supply_demand_ratio_by_region": "coverage",
    "underserved": "coverage",
    "FcaResult": "fca",
    "Points": "fca",
    "enhanced_two_step_fca": "fca",
    "two_step_fca": "fca",
    "two_step_fca_from_costs": "fca",
    "SitingStep": "siting",
    "greedy_max_cover": "siting",
    "two_step_fca_tiled": "tiles",
    "Gaussian": "weights",
    "Step": "weights",
    "Uniform": "weights",
}

__all__ = [
    "coverage_by_region",
    "covered",
    "covered_from_costs",
    "mean_score_by_region",
    "nearest_distance",
    "relative_threshold",
    "supply_demand_ratio_by_region",
    "underserved",
    "FcaResult",
    "Points",
    "enhanced_two_step_fca",
    "two_step_fca",
    "two_step_fca_from_costs",
    "SitingStep",
    "greedy_max_cover",
    "two_step_fca_tiled",
    "Gaussian",
    "Step",
    "Uniform",
]

if TYPE_CHECKING:
    from .coverage import (
        coverage_by_region,
        covered,
        covered_from_costs,
        mean_score_by_region,
        nearest_distance,
        relative_threshold,
        supply_demand_ratio_by_region,
        underserved,
    )
    from .fca import (
        FcaResult,
        Points,
        enhanced_two_step_fca,
        two_step_fca,
        two_step_fca_from_costs,
    )
    from .siting import SitingStep, greedy_max_cover
    from .tiles import two_step_fca_tiled
    from .weights import Gaussian, Step, Uniform


def __getattr__(name: str) -> Any:  # noqa: ANN401 - whatever the module holds
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value
