"""The one reader of dates and times for the class commands (/class new, /class plan, /schedule).

A day is written as people write it, in French or English: `2026-03-02`, `08/12`, `08/12/2026`, `8 déc.`,
`8 décembre`, `dec 8`, `demain`/`tomorrow`, `aujourd'hui`/`today`, `après-demain`, or a weekday (`lundi`,
`friday`: the next one, today included); a time is `9`, `9h`, `14h30`, `14:30`, `18:00`, `6pm`, `6:30pm`.
Anything else is refused (InvalidWhen), never ignored. `earliest_start` is the first day whose class time
is still to come, which is what the bot proposes and what a calendar may start on.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.services.class_errors import InvalidWhen

__all__ = ["earliest_start", "is_clock", "parse_clock", "parse_day", "read_when", "split_when", "starts_with_weekday"]

_CLOCK = re.compile(r"^(?P<h>\d{1,2})(?:[:h](?P<m>\d{2})?)?\s*(?P<half>am|pm)?$", re.IGNORECASE)
_TODAY = ("today", "aujourd'hui", "aujourd’hui", "auj")
_TOMORROW = ("demain", "tomorrow", "tmrw")
_AFTER_TOMORROW = ("après-demain", "apres-demain", "après demain", "apres demain")
_WEEKDAYS = {name: index for index, names in enumerate((
    ("lundi", "lun", "monday", "mon"), ("mardi", "mar", "tuesday", "tue", "tues"),
    ("mercredi", "mer", "wednesday", "wed"), ("jeudi", "jeu", "thursday", "thu", "thur", "thurs"),
    ("vendredi", "ven", "friday", "fri"), ("samedi", "sam", "saturday", "sat"),
    ("dimanche", "dim", "sunday", "sun"))) for name in names}
_MONTHS = {name: index + 1 for index, names in enumerate((
    ("janvier", "janv", "jan", "january"), ("février", "fevrier", "févr", "fevr", "fév", "fev", "feb", "february"),
    ("mars", "mar", "march"), ("avril", "avr", "apr", "april"), ("mai", "may"), ("juin", "jun", "june"),
    ("juillet", "juil", "jul", "july"), ("août", "aout", "aug", "august"),
    ("septembre", "sept", "sep", "september"), ("octobre", "oct", "october"), ("novembre", "nov", "november"),
    ("décembre", "decembre", "déc", "dec", "december"))) for name in names}
_NUMERIC_DAY = re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:/(?P<y>\d{2}|\d{4}))?$")
_DAY_MONTH = re.compile(r"^(?P<d>\d{1,2})(?:er)?\s+(?P<month>[^\W\d_]+)\.?(?:\s+(?P<y>\d{4}))?$")
_MONTH_DAY = re.compile(r"^(?P<month>[^\W\d_]+)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{4}))?$")
_PREFIX = re.compile(r"^(?:le|on|this|ce)\s+", re.IGNORECASE)
_SUFFIX = re.compile(r"\s+(?:à|a|at)$", re.IGNORECASE)


def is_clock(value: str) -> bool:
    """`14h`, `14h30`, `14:30`, `6pm` look like a time (a bare number does not, in a list of words)."""
    return bool(_CLOCK.match(value.strip())) and not value.strip().isdigit()


def parse_clock(value: str) -> time:
    match = _CLOCK.match(value.strip())
    if match is None:
        raise InvalidWhen(value, "unreadable")
    hours, minutes, half = int(match["h"]), int(match["m"] or 0), (match["half"] or "").lower()
    if half:
        if not 1 <= hours <= 12:
            raise InvalidWhen(value, "unreadable")
        hours = hours % 12 + (12 if half == "pm" else 0)
    try:
        return time(hours, minutes)
    except ValueError:
        raise InvalidWhen(value, "unreadable") from None


def parse_day(value: str, *, today: date) -> date:
    """A day as people write it (see the module docstring); a date without a year is the next one to come."""
    word = _SUFFIX.sub("", _PREFIX.sub("", " ".join(value.strip().lower().split())))
    if word in _TODAY:
        return today
    if word in _TOMORROW:
        return today + timedelta(days=1)
    if word in _AFTER_TOMORROW:
        return today + timedelta(days=2)
    if word in _WEEKDAYS:
        return today + timedelta(days=(_WEEKDAYS[word] - today.weekday()) % 7)
    try:
        return date.fromisoformat(word)
    except ValueError:
        pass
    numeric = _NUMERIC_DAY.match(word)
    named = _DAY_MONTH.match(word) or _MONTH_DAY.match(word)
    if numeric:
        day, month, year = int(numeric["d"]), int(numeric["m"]), numeric["y"]
    elif named and named["month"] in _MONTHS:
        day, month, year = int(named["d"]), _MONTHS[named["month"]], named["y"]
    else:
        raise InvalidWhen(value, "unreadable")
    try:
        if year is not None:
            return date(int(year) + (2000 if len(year) == 2 else 0), month, day)
        found = date(today.year, month, day)
        return found if found >= today else date(today.year + 1, month, day)
    except ValueError:
        raise InvalidWhen(value, "unreadable") from None


def starts_with_weekday(text: str) -> bool:
    """"lundi 9h", "le vendredi à 18h": a weekday, which means next week once today's time has passed."""
    words = _PREFIX.sub("", text.strip().lower()).split()
    return bool(words) and words[0] in _WEEKDAYS


def read_when(text: str, *, today: date) -> tuple[date | None, time]:
    """A day (optional: one to three words) then a time: "vendredi 18h", "8 déc. 10h", "tomorrow 6 pm", "14:30"."""
    words = text.split()
    if len(words) >= 2 and words[-1].lower() in {"am", "pm"}:
        words = [*words[:-2], words[-2] + words[-1]]
    if not words or not (is_clock(words[-1]) or (len(words) == 1 and words[0].isdigit())):
        raise InvalidWhen(text, "unreadable")
    day = parse_day(" ".join(words[:-1]), today=today) if len(words) > 1 else None
    return day, parse_clock(words[-1])


def split_when(text: str, *, today: date) -> tuple[str, str] | None:
    """The "when" words at the start of `text` (see `read_when`) and the rest:
    "vendredi 18h lesson m02" -> ("vendredi 18h", "lesson m02"); None when it starts with no day and time."""
    spans = [match.span() for match in re.finditer(r"\S+", text)][:5]
    for count in range(len(spans), 0, -1):
        head = text[:spans[count - 1][1]].strip()
        if count == 1 and head.isdigit():
            continue  # a bare number alone is no time in a list of words
        try:
            read_when(head, today=today)
        except InvalidWhen:
            continue
        return " ".join(head.split()), text[spans[count - 1][1]:].strip()  # the rest as typed, lines and all
    return None
def earliest_start(*, zone: str, at: time, now: datetime, weekdays_only: bool = False) -> date:
    """The first day (a weekday if asked) whose `at` in `zone` is still to come."""
    tz = ZoneInfo(zone)
    day = now.astimezone(tz).date()
    while datetime.combine(day, at, tzinfo=tz) <= now or (weekdays_only and day.weekday() >= 5):
        day += timedelta(days=1)
    return day
