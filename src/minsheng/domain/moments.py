"""Moments as users read them: in China Standard Time, whatever zone the server runs in.

The store keeps instants as UTC on every engine; a county official comparing an audit
line or a value's entry time with a phone call expects Beijing time, on a page and in a
terminal alike. One zone, one format, for every face.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

DISPLAY_ZONE = ZoneInfo("Asia/Shanghai")


def in_display_zone(value: datetime) -> datetime:
    """An instant in China Standard Time (a time without offset is taken as this
    machine's local time, as ``astimezone`` does)."""
    return value.astimezone(DISPLAY_ZONE)


def moment_text(value: datetime | str | None, *, seconds: bool = True) -> str:
    """``2026-12-01 08:03:07`` in China Standard Time; ``—`` for none."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return in_display_zone(value).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
