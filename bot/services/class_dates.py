"""The one reader of dates and times for the class commands (/class new, /class plan, /schedule).

A day is `2026-03-02`, `demain`/`tomorrow` or `aujourd'hui`/`today`; a time is `9`, `9h`, `14h30`, `14:30`.
Anything else is refused (InvalidWhen), never ignored. `earliest_start` is the first day whose class time
is still to come, which is what the bot proposes and what a calendar may start on.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.services.class_errors import InvalidWhen

__all__ = ["earliest_start", "is_clock", "parse_clock", "parse_day"]

_CLOCK = re.compile(r"^(?P<h>\d{1,2})(?:[:h](?P<m>\d{2})?)?$", re.IGNORECASE)
_TODAY = ("today", "aujourd'hui", "aujourd’hui")
_TOMORROW = ("demain", "tomorrow")


def is_clock(value: str) -> bool:
    """`14h`, `14h30`, `14:30` look like a time (a bare number does not, in a list of words)."""
    return bool(_CLOCK.match(value.strip())) and not value.strip().isdigit()


def parse_clock(value: str) -> time:
    match = _CLOCK.match(value.strip())
    if match is None:
        raise InvalidWhen(value, "unreadable")
    try:
        return time(int(match["h"]), int(match["m"] or 0))
    except ValueError:
        raise InvalidWhen(value, "unreadable") from None


def parse_day(value: str, *, today: date) -> date:
    word = value.strip().lower()
    if word in _TODAY:
        return today
    if word in _TOMORROW:
        return today + timedelta(days=1)
    try:
        return date.fromisoformat(word)
    except ValueError:
        raise InvalidWhen(value, "unreadable") from None


def earliest_start(*, zone: str, at: time, now: datetime, weekdays_only: bool = False) -> date:
    """The first day (a weekday if asked) whose `at` in `zone` is still to come."""
    tz = ZoneInfo(zone)
    day = now.astimezone(tz).date()
    while datetime.combine(day, at, tzinfo=tz) <= now or (weekdays_only and day.weekday() >= 5):
        day += timedelta(days=1)
    return day
