"""Optional parts installed as extras (``pip install 'minsheng[dask]'``, ``[osm]``).

A lean server install leaves out Dask and osmium; a command that needs one says in
one line which extra to install instead of ending in an ImportError.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from minsheng.domain.errors import InvalidData


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """Import ``module`` or refuse with the extra that provides it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise InvalidData(
            f"{purpose} needs {module.split('.')[0]}, which is not installed: "
            f"pip install 'minsheng[{extra}]' (./run installs it)"
        ) from None
