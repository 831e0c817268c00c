"""A learner on a phone sets their time zone by typing their city, in any case and with or without accents
(/timezone paris, /timezone Montréal, /timezone new york); an ambiguous or misspelt one gets the close zones
as buttons, and an unknown one an example that works."""

from __future__ import annotations


async def ask(api, user, text):
    sent = await user.send(text)
    return await api.wait_for_message(user.id, after=sent)


async def test_a_city_name_sets_the_time_zone(harness):
    api = harness.api
    lea = api.user(6901, first_name="Léa")
    for typed, zone in (("/timezone paris", "Europe/Paris"), ("/timezone Montréal", "America/Toronto"),
                        ("/timezone new york", "America/New_York"), ("/timezone TOKYO", "Asia/Tokyo"),
                        ("/timezone europe/brussels", "Europe/Brussels")):
        settings = await ask(api, lea, typed)
        assert f"Fuseau horaire : {zone}" in settings.text, typed


async def test_an_ambiguous_or_misspelt_city_gets_close_zones_as_buttons(harness):
    api = harness.api
    tom = api.user(6902, first_name="Tom")
    choice = await ask(api, tom, "/timezone istanbul")
    assert "Quel fuseau pour « istanbul »" in choice.text
    assert [label for label, _ in choice.buttons] == ["Asia/Istanbul", "Europe/Istanbul"]
    await tom.press(choice, "Europe/Istanbul")
    settings = await api.wait_for_message(tom.id, after=choice, predicate=lambda m: "Fuseau horaire" in m.text)
    assert "Fuseau horaire : Europe/Istanbul" in settings.text

    typo = await ask(api, tom, "/timezone pariss")
    assert [label for label, _ in typo.buttons] == ["Europe/Paris"]
    await tom.press(typo, "Europe/Paris")
    settings = await api.wait_for_message(tom.id, after=typo, predicate=lambda m: "Fuseau horaire" in m.text)
    assert "Fuseau horaire : Europe/Paris" in settings.text

    unknown = await ask(api, tom, "/timezone atlantide")
    assert "Je ne connais pas le fuseau « atlantide »" in unknown.text and "/timezone paris" in unknown.text
    assert not unknown.buttons


async def test_an_english_learner_is_answered_in_english(harness):
    api = harness.api
    amy = api.user(6903, first_name="Amy", language_code="en")
    choice = await ask(api, amy, "/timezone buenos aires")
    assert "Which time zone for “buenos aires”" in choice.text
    assert "America/Argentina/Buenos_Aires" in [label for label, _ in choice.buttons]
