"""A learner on a phone: /start, a lesson, a quiz, /progress — through real HTTP and python-telegram-bot."""

from __future__ import annotations

import asyncio


async def next_reply(api, user, after=None, timeout=5.0):
    return await api.wait_for_message(user.id, after=after, timeout=timeout)


async def test_a_new_learner_picks_the_course_reads_a_lesson_answers_a_quiz_and_sees_progress(harness):
    api = harness.api
    ana = api.user(501, first_name="Ana", language_code="fr")

    sent = await ana.send("/start")
    welcome = await next_reply(api, ana, after=sent)
    assert "Ana" in welcome.text
    choice = await next_reply(api, ana, after=welcome)
    assert "Mini cours Docker" in choice.text

    await ana.press(choice, "Mini cours Docker")
    menu = await next_reply(api, ana, after=choice)
    assert "Mini cours Docker" in menu.text and "inscrit" in menu.text, "one message: welcome and menu"
    await ana.press(menu, "📖 Les images")

    page = await next_reply(api, ana, after=menu)
    assert "Les images" in page.text and "modèle en lecture seule" in page.text
    assert "<code>" in page.text  # the lesson's literal `<code>` is shown, not parsed
    labels = [label for label, _ in page.buttons]
    assert any("Suivant" in label for label in labels) and any("Quiz" in label for label in labels)

    await ana.press(page, next(label for label in labels if "Suivant" in label))
    long_lesson = await next_reply(api, ana, after=page)
    assert "Les conteneurs" in long_lesson.text
    assert any("Suivant" in label and "/" in label for label, _ in long_lesson.buttons), "a long lesson has pages"

    await ana.press(long_lesson, next(label for label, _ in long_lesson.buttons if "Suivant" in label))
    page_two = await next_reply(api, ana, after=long_lesson)
    assert "Paragraphe" in page_two.text

    sent = await ana.send("/quiz")
    question = await next_reply(api, ana, after=sent)
    assert "Qu'est-ce qu'une image Docker" in question.text or "arrêtés" in question.text
    await ana.press(question, "A")  # a wrong answer first
    feedback = await api.wait_for_edit(question)
    assert "Pas tout à fait" in feedback.text and "💡" in feedback.text, "the verdict appears under the question"
    assert any("Question suivante" in label for label, _ in feedback.buttons)

    sent = await ana.send("/progress")
    progress = await next_reply(api, ana, after=sent)
    assert "1/3" in progress.text  # one lesson of three done
    assert "0/1 justes" in progress.text
    assert "série de 1 jour" in progress.text


async def test_a_deep_link_enrols_directly_and_an_unknown_course_gets_a_friendly_answer(harness):
    api = harness.api
    bob = api.user(502, first_name="Bob")
    sent = await bob.send("/start mini")
    enrolled = await next_reply(api, bob, after=sent)
    assert "Mini cours Docker" in enrolled.text

    cleo = api.user(503, first_name="Cléo")
    sent = await cleo.send("/start kubernetes-avance")
    answer = await next_reply(api, cleo, after=sent)
    assert "kubernetes-avance" in answer.text and "ne connais pas" in answer.text
    offer = await next_reply(api, cleo, after=answer)
    assert offer.buttons, "the learner is offered the courses we do have"


async def test_special_characters_in_a_name_are_escaped_not_parsed(harness):
    api = harness.api
    mallory = api.user(504, first_name='<b>Mal & "lory"</b>')
    sent = await mallory.send("/start mini")
    enrolled = await next_reply(api, mallory, after=sent)
    assert '<b>Mal & "lory"</b>' in enrolled.text  # shown literally, and Telegram accepted the HTML


async def test_the_interface_speaks_english_to_an_english_phone(harness):
    api = harness.api
    eve = api.user(505, first_name="Eve", language_code="en")
    sent = await eve.send("/help")
    help_text = await next_reply(api, eve, after=sent)
    assert "What I can do" in help_text.text


async def test_two_taps_at_once_complete_a_lesson_only_once(harness):
    api = harness.api
    dan = api.user(506, first_name="Dan")
    sent = await dan.send("/start mini")
    menu = await api.wait_for_message(dan.id, after=sent, predicate=lambda m: bool(m.buttons))
    await dan.press(menu, "📖 Les images")
    page = await next_reply(api, dan, after=menu)
    label = next(label for label, _ in page.buttons if "Suivant" in label)
    await asyncio.gather(dan.press(page, label), dan.press(page, label))
    await next_reply(api, dan, after=page)
    await asyncio.sleep(0.3)
    sent = await dan.send("/progress")
    progress = await next_reply(api, dan, after=sent)
    assert "1/3" in progress.text
