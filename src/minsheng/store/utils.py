"""Small helpers shared by the repositories."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Slices of at most ``size`` items (bound parameters are limited on SQLite)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
