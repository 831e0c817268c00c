"""Time zones by city: what a learner types on a phone, matched to IANA zones (pure, no database)."""

from __future__ import annotations

from bot.services import zone_names
from bot.services.zone_names import find_zone


def test_cities_are_found_whatever_the_case_accents_and_region():
    assert find_zone("paris").zone == "Europe/Paris"
    assert find_zone("PARIS").zone == "Europe/Paris"
    assert find_zone("montreal").zone == "America/Toronto"  # the canonical zone, not the old alias
    assert find_zone("Montréal").zone == "America/Toronto"
    assert find_zone("new york").zone == "America/New_York"
    assert find_zone("New_York").zone == "America/New_York"
    assert find_zone("são paulo").zone == "America/Sao_Paulo"
    assert find_zone("Zürich").zone == "Europe/Zurich"
    assert find_zone("europe/london").zone == "Europe/London"
    assert find_zone("utc").zone == "UTC"


def test_ambiguous_and_misspelt_names_give_close_zones():
    assert find_zone("istanbul") == zone_names.ZoneLookup(None, ("Asia/Istanbul", "Europe/Istanbul"))
    assert find_zone("pariss").suggestions == ("Europe/Paris",)
    assert find_zone("montrea").suggestions[0] == "America/Toronto"
    assert find_zone("atlantide") == zone_names.ZoneLookup(None, ())
    assert find_zone("  ") == zone_names.ZoneLookup(None, ())


def test_the_city_index_is_built_once():
    zone_names._index.cache_clear()
    find_zone("paris")
    find_zone("lyon")
    find_zone("new york")
    assert zone_names._index.cache_info().misses == 1
