"""Who wrote what, from where: the audit trail's vocabulary.

Every write is kept: a value as a new version (the versions are the trail of
values), every other write as an event naming its before and after. The address a
write came from is known only to the face that received it (the web app knows the
client's address, the CLI the operator's machine); it travels to the store in a
context variable rather than through every service signature, so no write can
forget to pass it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

_ORIGIN: ContextVar[str | None] = ContextVar("minsheng_origin", default=None)


@contextmanager
def acting_from(origin: str | None) -> Iterator[None]:
    """Writes inside this block are recorded as coming from ``origin`` (an address, "cli@host")."""
    token = _ORIGIN.set(origin)
    try:
        yield
    finally:
        _ORIGIN.reset(token)


def set_origin(origin: str | None) -> None:
    """For a process that acts from one place throughout (the CLI)."""
    _ORIGIN.set(origin)


def current_origin() -> str | None:
    return _ORIGIN.get()


@dataclass(frozen=True)
class AuditEntry:
    """One write: when, by whom, from where, what it did to which subject, before and after."""

    at: datetime
    actor: str | None
    origin: str | None
    action: str  # e.g. "value.enter", "value.approve", "user.add", "deadline.set"
    subject: str  # what was written, in words a reader recognises
    region: str | None  # the region code the write concerns, when one does
    before: dict[str, Any] | None
    after: dict[str, Any] | None
