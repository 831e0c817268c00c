"""A weekly time in a time zone: the next occurrence, right across DST changes."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["next_run"]


def next_run(*, weekday: int, at: time, timezone: str, after: datetime) -> datetime:
    """The first `weekday` at local `at` strictly after `after`, in UTC-aware form."""
    zone = ZoneInfo(timezone)
    local = after.astimezone(zone)
    for days in range(8):
        day = (local + timedelta(days=days)).date()
        if day.weekday() != weekday:
            continue
        candidate = datetime.combine(day, at, tzinfo=zone)
        if candidate > local:
            return candidate.astimezone(after.tzinfo)
    raise AssertionError("a weekday comes back within 8 days")
