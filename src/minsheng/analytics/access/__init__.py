"""Facility accessibility: coverage, 2SFCA/E2SFCA, underserved cells, siting.

Pure, vectorised kernels over coordinates in metres (see :mod:`.geometry` for lon/lat).
A regular demand grid is detected and handled without any demand-supply pair list.
"""

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
from .fca import FcaResult, Points, enhanced_two_step_fca, two_step_fca, two_step_fca_from_costs
from .siting import SitingStep, greedy_max_cover
from .tiles import two_step_fca_tiled
from .weights import Gaussian, Step, Uniform

__all__ = [
    "SitingStep",
    "coverage_by_region",
    "covered",
    "covered_from_costs",
    "greedy_max_cover",
    "mean_score_by_region",
    "nearest_distance",
    "relative_threshold",
    "supply_demand_ratio_by_region",
    "two_step_fca_tiled",
    "underserved",
    "FcaResult",
    "Gaussian",
    "Points",
    "Step",
    "Uniform",
    "enhanced_two_step_fca",
    "two_step_fca",
    "two_step_fca_from_costs",
]
