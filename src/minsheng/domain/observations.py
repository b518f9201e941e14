"""Yearly observations of an indicator for a region, with their history.

Nothing is ever overwritten: a correction is a new version of the same
(indicator, region, year) key, and every version keeps who entered it and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ObservationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    PUBLISHED = "published"


@dataclass(frozen=True)
class Observation:
    """One value. ``indicator`` is a plan indicator's name or a canonical code."""

    indicator: str
    region_code: str
    year: int
    value: float
    unit: str | None = None
    source: str | None = None
    synthetic: bool = False
    status: ObservationStatus = ObservationStatus.SUBMITTED
    version: int = 1
    entered_by: str | None = None
    entered_at: datetime | None = None
    note: str | None = None
    #: '>', '>=', '<' or '<=' when the value was reported only as a bound ('>95'): the
    #: true value lies beyond it, and the evaluation judges it as such
    bound: str | None = None
