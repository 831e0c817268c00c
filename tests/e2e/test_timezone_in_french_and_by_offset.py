"""/timezone londres, /timezone Québec set the zone; /timezone UTC+2 offers only zones at UTC+2 right now, the
fixed-offset one last with a word on daylight saving time, and each button sets what it says."""

from __future__ import annotations

from datetime import UTC, datetime


async def ask(api, user, text):
    sent = await user.send(text)
    return await api.wait_for_message(user.id, after=sent)


async def test_french_names_set_the_zone(harness):
    api = harness.api
    lea = api.user(6951, first_name="Léa")
    for typed, zone in (("/timezone londres", "Europe/London"), ("/timezone Québec", "America/Toronto"),
                        ("/timezone genève", "Europe/Zurich"), ("/timezone marseille", "Europe/Paris"),
                        ("/timezone Montréal", "America/Toronto")):
        settings = await ask(api, lea, typed)
        assert f"Fuseau horaire : {zone}" in settings.text, typed


async def test_an_offset_offers_zones_at_that_offset_and_the_fixed_one(harness, clock):
    api = harness.api
    clock.set(datetime(2026, 7, 15, 9, 0, tzinfo=UTC))  # summer: Paris is at UTC+2
    tom = api.user(6952, first_name="Tom")
    choice = await ask(api, tom, "/timezone UTC+2")
    assert "sont à UTC+2" in choice.text
    assert "ne suit pas l'heure d'été" in choice.text
    labels = [label for label, _ in choice.buttons]
    assert labels[0] == "Europe/Paris" and labels[-1] == "UTC+2 fixe (sans heure d'été)"
    assert not any(label in ("UTC", "GMT+0", "Etc/GMT+2") for label in labels)

    await tom.press(choice, "UTC+2 fixe (sans heure d'été)")
    settings = await api.wait_for_message(tom.id, after=choice, predicate=lambda m: "Fuseau horaire" in m.text)
    assert "Fuseau horaire : UTC+2" in settings.text and "Etc/GMT" not in settings.text, settings.text

    west = await ask(api, tom, "/timezone GMT-5")
    assert [label for label, _ in west.buttons][-1] == "UTC-5 fixe (sans heure d'été)"
    assert not any("Etc/GMT" in label for label, _ in west.buttons)
    assert "America/Chicago" in [label for label, _ in west.buttons], "UTC-5 in July: Chicago's summer time"
    assert "America/New_York" not in [label for label, _ in west.buttons]
