"""Facility accessibility: coverage, 2SFCA/E2SFCA, underserved cells, siting.

Pure, vectorised kernels over coordinates in metres (see :mod:`.geometry` for lon/lat).
A regular demand grid is detected and handled without any demand-supply pair list.
"""

from .fca import FcaResult, Points, enhanced_two_step_fca, two_step_fca, two_step_fca_from_costs
from .weights import Gaussian, Step, Uniform

__all__ = [
    "FcaResult",
    "Gaussian",
    "Points",
    "Step",
    "Uniform",
    "enhanced_two_step_fca",
    "two_step_fca",
    "two_step_fca_from_costs",
]
