"""Time zones as a learner types them: an IANA name in any case, or just the city ("paris", "Montréal",
"new york", "londres", "genève": see zone_aliases), with close matches proposed when the text is ambiguous or
unknown; an offset ("UTC+2", "GMT-5", "+05:30") proposes the usual zones at that offset now, and the fixed-offset
zone (which does not follow daylight saving time)."""

from __future__ import annotations

import functools
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from difflib import get_close_matches

from bot.services.zone_aliases import ALIASES

__all__ = ["ZoneLookup", "find_zone", "is_offered", "zone_label"]

_REGIONS = ("Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian",
            "Pacific")
MAX_SUGGESTIONS = 5
# Zones offered for an offset ("UTC+2"), when their offset right now is the one asked, in this order.
WELL_KNOWN = (
    "Europe/London", "Europe/Lisbon", "Africa/Abidjan", "Africa/Dakar", "Europe/Paris", "Europe/Brussels",
    "Europe/Zurich", "Africa/Algiers", "Africa/Casablanca", "Africa/Lagos", "Africa/Kinshasa", "Europe/Athens",
    "Africa/Cairo", "Africa/Johannesburg", "Asia/Beirut", "Europe/Kyiv", "Europe/Moscow", "Europe/Istanbul",
    "Africa/Nairobi", "Asia/Dubai", "Indian/Reunion", "Indian/Mauritius", "Asia/Karachi", "Asia/Kolkata",
    "Asia/Dhaka", "Asia/Bangkok", "Asia/Shanghai", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney",
    "Pacific/Noumea", "Pacific/Auckland", "Pacific/Tahiti", "America/Halifax", "America/Martinique",
    "America/Sao_Paulo", "America/Toronto", "America/New_York", "America/Chicago", "America/Denver",
    "America/Mexico_City", "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "UTC",
)
# "UTC+2", "gmt -5", "+02:00", "UTC+5:30", "utc+1h", "UTC2" (a sign is needed without UTC/GMT in front)
_OFFSET = re.compile(r"(?:(?:utc|gmt)\s*([+\-−]?)|([+\-−]))\s*(\d{1,2})(?:\s*[:h.]?\s*(\d{2}))?\s*h?")


@dataclass(frozen=True)
class ZoneLookup:
    """The zone the text names, or (when none or several) the zones it may mean, closest first."""

    zone: str | None
    suggestions: tuple[str, ...] = ()
    offset: str | None = None  # "UTC+2": the text was an offset; the suggestions all have it now
    fixed: str | None = None  # among the suggestions, the fixed-offset zone ("Etc/GMT-2"), if there is one


def _offset_of(text: str) -> timedelta | None:
    """"UTC+2", "gmt-5", "+02:00", "UTC+5:30", "utc +1h" -> the offset; None for anything else."""
    match = _OFFSET.fullmatch(text.strip().casefold())
    if match is None:
        return None
    sign = match.group(1) or match.group(2) or "+"
    hours, minutes = int(match.group(3)), int(match.group(4) or 0)
    if minutes >= 60:
        return None
    offset = timedelta(hours=hours, minutes=minutes)
    return -offset if sign in "-−" else offset


def _offset_label(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


_ETC = re.compile(r"^Etc/GMT([+-])(\d{1,2})$")


def zone_label(zone: str) -> str:
    """A zone as people read it: the fixed-offset zones by their offset ("Etc/GMT+5" is UTC-5: the Etc names have
    their sign inverted, so they are never shown), the others by their name."""
    match = _ETC.match(zone)
    if match is None:
        return "UTC" if zone in ("Etc/UTC", "Etc/GMT", "Etc/GMT0", "Etc/Zulu") else zone
    return f"UTC{'-' if match[1] == '+' else '+'}{int(match[2])}"


def _fixed_zone(offset: timedelta) -> str | None:
    """The Etc zone with this offset all year: signs are inverted there (UTC+2 is Etc/GMT-2)."""
    seconds = int(offset.total_seconds())
    if seconds == 0:
        return "UTC"
    if seconds % 3600 or not -12 * 3600 <= seconds <= 14 * 3600:
        return None
    hours = seconds // 3600
    return f"Etc/GMT{-hours:+d}"


def _by_offset(offset: timedelta, now: datetime) -> ZoneLookup:
    """The well-known zones whose offset is `offset` at `now`, then the fixed-offset zone; never another offset."""
    if not -timedelta(hours=12) <= offset <= timedelta(hours=14):
        return ZoneLookup(None)
    fixed = _fixed_zone(offset)
    zones = [zone for zone in WELL_KNOWN if zone != fixed and now.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset() == offset]
    zones = zones[:MAX_SUGGESTIONS - 1] + ([fixed] if fixed else [])
    return ZoneLookup(None, tuple(zones), offset=_offset_label(offset), fixed=fixed)


def _fold(text: str) -> str:
    """Lower case, no accents, underscores, dashes, dots and apostrophes as spaces: "Montréal" -> "montreal"."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    for sign in "_-'’.":
        text = text.replace(sign, " ")
    return " ".join(text.split())


@dataclass(frozen=True)
class _Index:
    by_name: dict[str, str]  # every zone by its folded full name ("europe/paris")
    cities: dict[str, tuple[str, ...]]  # the regional zones by their folded city ("paris", "new york")
    aliases: dict[str, str]  # place names the database does not spell ("londres", "marseille")
    spellings: tuple[str, ...]  # all three, for close matches


_FIXED = re.compile(r"^Etc/GMT[+-]\d{1,2}$")


@functools.cache
def _offerable() -> frozenset[str]:
    """The zones the bot ever proposes: a region's cities, UTC and the fixed offsets (`Etc/GMT-2`); never the
    host's `localtime`, `Factory` or the legacy names, whatever the system's zone list holds."""
    return frozenset(name for name in zoneinfo.available_timezones()
                     if name == "UTC" or _FIXED.match(name) or ("/" in name and name.split("/", 1)[0] in _REGIONS))


def is_offered(name: str) -> bool:
    """Whether the bot could have offered `name` (a zone a button carries is checked against it)."""
    return name in _offerable()


@functools.cache
def _index() -> _Index:
    """Built once, on first use (zoneinfo reads its zone list from disk)."""
    names = sorted(_offerable())
    cities: dict[str, list[str]] = {}
    for name in names:
        if "/" in name and name.split("/", 1)[0] in _REGIONS:
            cities.setdefault(_fold(name.rsplit("/", 1)[1]), []).append(name)
    by_name = {_fold(name): name for name in names}
    return _Index(by_name, {city: tuple(zones) for city, zones in cities.items()}, ALIASES,
                  (*ALIASES, *cities, *by_name))


def find_zone(text: str, *, now: datetime | None = None) -> ZoneLookup:
    """`Europe/Paris`, `europe/paris`, `paris`, `PARIS`, `marseille` -> Europe/Paris; "new york" ->
    America/New_York; "UTC+2" -> the zones at UTC+2 at `now` (the current time when not given)."""
    wanted = _fold(text.strip())
    if not wanted:
        return ZoneLookup(None)
    index = _index()
    if wanted in index.by_name:
        return ZoneLookup(index.by_name[wanted])
    if (offset := _offset_of(text)) is not None:
        return _by_offset(offset, now or datetime.now(UTC))
    if wanted in index.aliases:
        return ZoneLookup(index.aliases[wanted])
    if wanted in index.cities:
        zones = index.cities[wanted]
        return ZoneLookup(zones[0]) if len(zones) == 1 else ZoneLookup(None, zones[:MAX_SUGGESTIONS])
    close = get_close_matches(wanted, index.spellings, n=MAX_SUGGESTIONS * 2, cutoff=0.75)
    suggestions = [zone for match in close
                   for zone in ((index.aliases[match],) if match in index.aliases
                                else index.cities.get(match, (index.by_name.get(match),))) if zone]
    return ZoneLookup(None, tuple(dict.fromkeys(suggestions))[:MAX_SUGGESTIONS])
