"""Reference data shipped with the package: divisions, domains, indicator catalogue."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

DIVISIONS_SOURCE = "npm:china-division"
DIVISIONS_VERSION = "2.7.0"


def data_file(*parts: str) -> Traversable:
    """A file shipped in ``minsheng/data``."""
    node = files("minsheng.data")
    for part in parts:
        node = node / part
    return node
