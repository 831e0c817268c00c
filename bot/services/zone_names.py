"""Time zones as a learner types them: an IANA name in any case, or just the city ("paris", "Montréal",
"new york"), with close matches proposed when the text is ambiguous or unknown."""

from __future__ import annotations

import functools
import unicodedata
import zoneinfo
from dataclasses import dataclass
from difflib import get_close_matches

__all__ = ["ZoneLookup", "find_zone"]

_REGIONS = ("Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian",
            "Pacific")
MAX_SUGGESTIONS = 5


@dataclass(frozen=True)
class ZoneLookup:
    """The zone the text names, or (when none or several) the zones it may mean, closest first."""

    zone: str | None
    suggestions: tuple[str, ...] = ()


def _fold(text: str) -> str:
    """Lower case, no accents, underscores and dashes as spaces: "Montréal" -> "montreal"."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.replace("_", " ").replace("-", " ").split())


@dataclass(frozen=True)
class _Index:
    by_name: dict[str, str]  # every zone by its folded full name ("europe/paris")
    cities: dict[str, tuple[str, ...]]  # the regional zones by their folded city ("paris", "new york")
    spellings: tuple[str, ...]  # both, for close matches


@functools.cache
def _index() -> _Index:
    """Built once, on first use (zoneinfo reads its zone list from disk)."""
    names = sorted(zoneinfo.available_timezones())
    cities: dict[str, list[str]] = {}
    for name in names:
        if "/" in name and name.split("/", 1)[0] in _REGIONS:
            cities.setdefault(_fold(name.rsplit("/", 1)[1]), []).append(name)
    by_name = {_fold(name): name for name in names}
    return _Index(by_name, {city: tuple(zones) for city, zones in cities.items()}, (*cities, *by_name))


def find_zone(text: str) -> ZoneLookup:
    """`Europe/Paris`, `europe/paris`, `paris`, `PARIS` -> Europe/Paris; "new york" -> America/New_York."""
    wanted = _fold(text.strip())
    if not wanted:
        return ZoneLookup(None)
    index = _index()
    if wanted in index.by_name:
        return ZoneLookup(index.by_name[wanted])
    if wanted in index.cities:
        zones = index.cities[wanted]
        return ZoneLookup(zones[0]) if len(zones) == 1 else ZoneLookup(None, zones[:MAX_SUGGESTIONS])
    close = get_close_matches(wanted, index.spellings, n=MAX_SUGGESTIONS * 2, cutoff=0.75)
    suggestions = [zone for match in close for zone in index.cities.get(match, (index.by_name.get(match),)) if zone]
    return ZoneLookup(None, tuple(dict.fromkeys(suggestions))[:MAX_SUGGESTIONS])
