"""A learner writes to the bot in plain words, as to a person: greetings, thanks, "c'est quoi un volume ?", a
mistyped command. The bot answers as a tutor would, from the course, with the next step as buttons; never
with the lab's "type a command"."""

from __future__ import annotations

import pytest
from bot_harness import REPO_CONTENT

LAB_REPLY = "Tape une commande"  # what every plain word used to get


@pytest.fixture
async def course_bot(make_harness):
    return await make_harness(content=REPO_CONTENT)


async def _enrolled(bot, user_id: int, name: str, lang: str = "fr"):
    learner = bot.api.user(user_id, first_name=name, language_code=lang)
    sent = await learner.send("/start docker-fr")
    await bot.api.wait_for_message(learner.id, after=sent, predicate=lambda m: bool(m.buttons))
    return learner


async def test_a_greeting_and_thanks_get_a_warm_answer_with_the_next_step_as_buttons(course_bot):
    api = course_bot.api
    lea = await _enrolled(course_bot, 1201, "Léa")
    sent = await lea.send("salut")
    answer = await api.wait_for_message(lea.id, after=sent)
    assert "Léa" in answer.text and LAB_REPLY not in answer.text
    labels = [label for label, _ in answer.buttons]
    assert any("monolithe" in label.lower() for label in labels), "the lesson where she stands is one tap away"
    assert any("Quiz" in label for label in labels) and any("Labo" in label for label in labels)

    sent = await lea.send("merci 🙏")
    answer = await api.wait_for_message(lea.id, after=sent)
    assert "plaisir" in answer.text and answer.buttons


async def test_a_question_in_plain_words_is_answered_from_the_glossary_with_its_lesson(course_bot):
    api = course_bot.api
    max_ = await _enrolled(course_bot, 1202, "Max")
    sent = await max_.send("c'est quoi un volume ?")
    answer = await api.wait_for_message(max_.id, after=sent)
    assert "<b>Volume</b>" in (answer.html or "") or answer.text.startswith("📖 Volume")
    lesson_button = answer.buttons[0][0]
    await max_.press(answer, lesson_button)
    page = await api.wait_for_message(max_.id, after=answer)
    assert lesson_button.split(":", 1)[-1].strip() in page.text, "the button opens the lesson that teaches it"


async def test_an_english_learner_asks_what_a_layer_is(course_bot):
    api = course_bot.api
    ann = await _enrolled(course_bot, 1203, "Ann", lang="en")
    sent = await ann.send("what is a layer?")
    answer = await api.wait_for_message(ann.id, after=sent)
    assert "Couche" in answer.text and "layer" in answer.text


async def test_a_question_the_course_does_not_cover_gets_no_invented_answer(course_bot):
    api = course_bot.api
    zoe = await _enrolled(course_bot, 1204, "Zoé")
    sent = await zoe.send("c'est quoi une pizza napolitaine ?")
    answer = await api.wait_for_message(zoe.id, after=sent)
    assert "rien trouvé" in answer.text and "pizza napolitaine" in answer.text
    assert any("Sommaire" in label for label, _ in answer.buttons)


async def test_a_mistyped_command_gets_did_you_mean_with_a_button(course_bot):
    api = course_bot.api
    tom = await _enrolled(course_bot, 1205, "Tom")
    sent = await tom.send("/lesons")
    answer = await api.wait_for_message(tom.id, after=sent)
    assert "/lessons" in answer.text and "voulais dire" in answer.text
    await tom.press(answer, "/lessons")
    toc = await api.wait_for_message(tom.id, after=answer)
    assert "m01" in toc.text.lower() or len(toc.buttons) >= 5, "the button opens the table of contents"


async def test_help_words_a_long_text_and_a_cut_class_link_are_understood(course_bot):
    api = course_bot.api
    eva = await _enrolled(course_bot, 1206, "Eva")
    for words, expected in (("aide", "/help"), ("x " * 2400, "long message"),
                            ("https://t.me/tutorbot?start=j-abc123def456", "coupé")):
        sent = await eva.send(words)
        answer = await api.wait_for_message(eva.id, after=sent)
        assert expected in answer.text and LAB_REPLY not in answer.text, (words[:30], answer.text)


async def test_a_single_glossary_match_is_answered_and_close_ones_are_buttons(course_bot):
    api = course_bot.api
    ugo = await _enrolled(course_bot, 1207, "Ugo")
    sent = await ugo.send("/def swarm")
    answer = await api.wait_for_message(ugo.id, after=sent)
    assert "Swarm" in answer.text and "Pas de" not in answer.text, "one term says it: it is the answer"
    sent = await ugo.send("/def cont")
    answer = await api.wait_for_message(ugo.id, after=sent)
    assert "Pas de" in answer.text and len(answer.buttons) >= 2, "several terms are close: each is a button"
    await ugo.press(answer, "Conteneur")
    defined = await api.wait_for_message(ugo.id, after=answer)
    assert defined.text.startswith("📖 Conteneur")


async def test_a_bot_that_only_teaches_never_offers_the_lab(make_harness):
    bot = await make_harness(content=REPO_CONTENT, lab_enabled=False)
    api = bot.api
    ines = api.user(1208, first_name="Inès")
    sent = await ines.send("/start")
    welcome = await api.wait_for_message(ines.id, after=sent)
    assert "pratiquer Docker" not in welcome.text
    sent = await ines.send("/start docker-fr")
    menu = await api.wait_for_message(ines.id, after=sent, predicate=lambda m: bool(m.buttons))
    assert not any("Labo" in label or "Exercices" in label for label, _ in menu.buttons)
    sent = await ines.send("/help")
    help_ = await api.wait_for_message(ines.id, after=sent, predicate=lambda m: "/start" in (m.text or ""))
    assert "/run" not in help_.text and "/exercise" not in help_.text and "labo" not in help_.text.lower()
    for typed in ("docker ps", "/run docker ps"):
        sent = await ines.send(typed)
        answer = await api.wait_for_message(ines.id, after=sent)
        assert "pas de labo" in answer.text, typed
    sent = await ines.send("salut")
    answer = await api.wait_for_message(ines.id, after=sent)
    assert not any("Labo" in label for label, _ in answer.buttons)


async def test_a_mistyped_class_code_is_said_so_and_enrols_nobody(course_bot):
    api = course_bot.api
    noa = api.user(1209, first_name="Noa")
    sent = await noa.send("/start j-abc123")
    answer = await api.wait_for_message(noa.id, after=sent)
    assert "coupé" in answer.text and "cours" not in answer.text.split("coupé")[0]
    sent = await noa.send("/progress")
    progress = await api.wait_for_message(noa.id, after=sent)
    assert "/start" in progress.text, "no course was chosen for her"


async def test_an_english_learner_is_told_the_course_is_in_french_before_enrolling_and_7pm_is_a_time(course_bot):
    api = course_bot.api
    ben = api.user(1210, first_name="Ben", language_code="en")
    sent = await ben.send("/start")
    courses = await api.wait_for_message(ben.id, after=sent, predicate=lambda m: bool(m.buttons))
    assert "Course in French" in courses.text and "English name beside each French term" in courses.text
    await ben.press(courses, courses.buttons[0][0])
    await api.wait_for_message(ben.id, after=courses, predicate=lambda m: bool(m.buttons))
    sent = await ben.send("/time 7pm")
    answer = await api.wait_for_message(ben.id, after=sent)
    assert "19:00" in answer.text, answer.text


async def test_timezone_and_time_alone_offer_buttons_and_a_change_is_confirmed(course_bot):
    api = course_bot.api
    ida = await _enrolled(course_bot, 1211, "Ida")
    sent = await ida.send("/time")
    picker = await api.wait_for_message(ida.id, after=sent)
    assert "08:00" in [label for label, _ in picker.buttons] and "/time 7:30" in picker.text
    await ida.press(picker, "08:00")
    saved = await api.wait_for_message(ida.id, after=picker, predicate=lambda m: "noté" in (m.text or ""))
    assert "arrivera à 08:00" in saved.text
    sent = await ida.send("/timezone")
    zones = await api.wait_for_message(ida.id, after=sent)
    assert "Europe/Brussels" in [label for label, _ in zones.buttons] and "/timezone paris" in zones.text
    await ida.press(zones, "Europe/Brussels")
    saved = await api.wait_for_message(ida.id, after=zones, predicate=lambda m: "noté" in (m.text or ""))
    assert "fuseau horaire est maintenant Europe/Brussels" in saved.text
