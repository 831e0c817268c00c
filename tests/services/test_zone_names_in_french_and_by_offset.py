"""/timezone with a French (or English) place name the tz database does not spell, and with a UTC offset:
only zones at the offset asked are offered, the fixed one with inverted Etc signs (pure, no database)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.services.zone_names import ZoneLookup, find_zone

WINTER = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
SUMMER = datetime(2026, 7, 15, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("typed", "zone"), [
    ("londres", "Europe/London"), ("Bruxelles", "Europe/Brussels"), ("genève", "Europe/Zurich"),
    ("Québec", "America/Toronto"), ("Montréal", "America/Toronto"), ("marseille", "Europe/Paris"),
    ("Lyon", "Europe/Paris"), ("toulouse", "Europe/Paris"), ("nice", "Europe/Paris"), ("bordeaux", "Europe/Paris"),
    ("lille", "Europe/Paris"), ("nantes", "Europe/Paris"), ("strasbourg", "Europe/Paris"),
    ("montpellier", "Europe/Paris"), ("rennes", "Europe/Paris"), ("Saint-Étienne", "Europe/Paris"),
    ("lausanne", "Europe/Zurich"), ("liège", "Europe/Brussels"), ("alger", "Africa/Algiers"),
    ("tunis", "Africa/Tunis"), ("rabat", "Africa/Casablanca"), ("abidjan", "Africa/Abidjan"),
    ("Côte d'Ivoire", "Africa/Abidjan"), ("beyrouth", "Asia/Beirut"), ("moscou", "Europe/Moscow"),
    ("pékin", "Asia/Shanghai"), ("beijing", "Asia/Shanghai"), ("tokyo", "Asia/Tokyo"), ("geneva", "Europe/Zurich"),
    ("mumbai", "Asia/Kolkata"), ("san francisco", "America/Los_Angeles"),
])
def test_french_and_english_place_names(typed, zone):
    assert find_zone(typed).zone == zone


def test_a_misspelt_french_name_is_proposed():
    assert find_zone("bruxelle").suggestions == ("Europe/Brussels",)


@pytest.mark.parametrize("now", [WINTER, SUMMER])
@pytest.mark.parametrize(("typed", "hours", "fixed"), [
    ("UTC+2", 2, "Etc/GMT-2"), ("GMT+1", 1, "Etc/GMT-1"), ("UTC-5", -5, "Etc/GMT+5"), ("+02:00", 2, "Etc/GMT-2"),
    ("utc +3", 3, "Etc/GMT-3"), ("UTC+0", 0, "UTC"), ("utc2", 2, "Etc/GMT-2"), ("GMT-3h", -3, "Etc/GMT+3"),
])
def test_an_offset_offers_only_zones_at_that_offset_now(typed, hours, fixed, now):
    found = find_zone(typed, now=now)
    assert found.zone is None and found.fixed == fixed
    assert found.offset == f"UTC{hours:+d}"
    assert found.suggestions[-1] == fixed and len(found.suggestions) >= 2, "some regions, then the fixed zone"
    for zone in found.suggestions:
        assert now.astimezone(ZoneInfo(zone)).utcoffset().total_seconds() == hours * 3600, zone


def test_regions_follow_the_season():
    assert "Europe/Paris" in find_zone("UTC+1", now=WINTER).suggestions
    assert "Europe/Paris" in find_zone("UTC+2", now=SUMMER).suggestions
    assert "Europe/Paris" not in find_zone("UTC+2", now=WINTER).suggestions


def test_half_hour_offsets_and_impossible_ones():
    for typed in ("UTC+5:30", "+0530"):
        found = find_zone(typed, now=WINTER)
        assert found.suggestions == ("Asia/Kolkata",) and found.fixed is None and found.offset == "UTC+5:30"
    assert find_zone("UTC+15", now=WINTER) == ZoneLookup(None)
    assert find_zone("UTC+2:75", now=WINTER).suggestions == () or find_zone("UTC+2:75", now=WINTER).offset is None
