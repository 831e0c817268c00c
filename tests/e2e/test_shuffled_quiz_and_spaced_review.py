"""A learner's quiz options come shuffled, are scored right, and old messages keep their own order;
missed questions come back sooner than known ones on the FSRS schedule (clock injected)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bot_harness import POLL_TIMEOUT, TOKEN
from lesson_reading import read_lessons

from bot.app import build_application, start_bot, stop_bot
from bot.config import Settings
from bot.content import load_catalog

COURSE_DIR = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture
async def course_bot(local_api, clock, database_url):
    settings = Settings(bot_token=None, fair_budgets=False, database_url=database_url, content_dir=COURSE_DIR,
                        delivery_sweep_seconds=3600)
    catalog = load_catalog(COURSE_DIR)
    application = build_application(settings, catalog=catalog, base_url=local_api.url, token=TOKEN, clock=clock,
                                    rate_limit=False)
    await start_bot(application, poll_timeout=POLL_TIMEOUT)
    yield catalog.courses["docker-fr"]
    await stop_bot(application)


def shown_options(message) -> dict[str, str]:
    """Letter -> option text, as the message shows them."""
    return {line[0]: line[3:] for line in message.text.split("\n") if len(line) > 3 and line[1:3] == ". "}


def question_of(course, message):
    paragraphs = message.text.split("\n\n")
    return next(q for q in course.questions_in_order() if q.question in paragraphs)


async def ask(api, user, command="/quiz"):
    sent = await user.send(command)
    return await api.wait_for_message(user.id, after=sent, predicate=lambda m: bool(m.buttons) and ". " in m.text)


async def test_options_are_shuffled_scored_right_and_an_old_message_keeps_its_order(course_bot, local_api):
    api, course = local_api, course_bot
    orders = set()
    for learner_id in range(2101, 2109):  # several learners: their orders differ
        user = api.user(learner_id, first_name="L")
        sent = await user.send("/start docker-fr")
        await api.wait_for_message(user.id, after=sent, predicate=lambda m: bool(m.buttons))
        await read_lessons(api, user)  # quizzes ask only about lessons read
        message = await ask(api, user)
        orders.add(tuple(shown_options(message).values()))
    assert len(orders) > 1, "the same question is shown in different orders to different learners"

    kim = api.user(2201, first_name="Kim")
    sent = await kim.send("/start docker-fr")
    await api.wait_for_message(kim.id, after=sent, predicate=lambda m: bool(m.buttons))
    await read_lessons(api, kim)
    first = await ask(api, kim)
    question = question_of(course, first)
    right = question.options[question.answer]
    first_letters = shown_options(first)
    old_buttons = dict(first.buttons)  # letter -> callback data, as an old client still has them
    right_letter = next(letter for letter, text in first_letters.items() if text == right)
    wrong_letter = next(letter for letter in first_letters if letter != right_letter)

    await kim.press(first, wrong_letter)
    verdict = await api.wait_for_edit(first)
    assert "Pas tout à fait" in verdict.text and f"{right_letter}. {right}" in verdict.text

    # missed: it comes back after the questions not tried yet (answered right here), as a new attempt
    second, between = await ask(api, kim), []
    while question_of(course, second) != question:
        other = question_of(course, second)
        between.append(other)
        assert len(between) < 20, "the missed question comes back once the untried ones are done"
        await kim.press(second, next(k for k, v in shown_options(second).items() if v == other.options[other.answer]))
        await api.wait_for_edit(second)
        second = await ask(api, kim)
    assert list(shown_options(second).values()) != list(first_letters.values()), "a new attempt, a new order"

    # The first message's own buttons still mean what they showed, whatever the new order is.
    await kim.press(first, data=old_buttons[right_letter])
    again = await api.wait_for_edit(first, edits=2)
    assert "Bonne réponse" in again.text and f"{right_letter}. {right}" in again.text

    new_letter = next(letter for letter, text in shown_options(second).items() if text == right)
    await kim.press(second, new_letter)
    answered = await api.wait_for_edit(second)
    assert "Bonne réponse" in answered.text and f"{new_letter}. {right}" in answered.text


async def test_a_missed_question_comes_back_sooner_than_a_known_one(course_bot, local_api, clock):
    api, course = local_api, course_bot
    start = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    clock.set(start)
    eva = api.user(2301, first_name="Eva")
    sent = await eva.send("/start docker-fr")
    await api.wait_for_message(eva.id, after=sent, predicate=lambda m: bool(m.buttons))

    await read_lessons(api, eva, 4)  # the whole first module
    known = await ask(api, eva)
    known_q = question_of(course, known)
    letter = next(k for k, v in shown_options(known).items() if v == known_q.options[known_q.answer])
    await eva.press(known, letter)
    await api.wait_for_edit(known)

    missed = await ask(api, eva)
    missed_q = question_of(course, missed)
    assert missed_q != known_q
    letter = next(k for k, v in shown_options(missed).items() if v != missed_q.options[missed_q.answer])
    await eva.press(missed, letter)
    await api.wait_for_edit(missed)

    now_review = await ask(api, eva, "/review")
    assert question_of(course, now_review) == missed_q, "a missed question is to review at once, not tomorrow"
    assert "1 question(s) à revoir" in now_review.text, "the known one is not"
    sent = await eva.send("/progress")
    progress = await api.wait_for_message(eva.id, after=sent, predicate=lambda m: "progression" in m.text)
    assert "mémorisation estimée 100 %" not in progress.text, "a question just missed is not counted as remembered"
    assert "mémorisation estimée 50 %" in progress.text, progress.text

    clock.set(start + timedelta(days=1, hours=1))
    review = await ask(api, eva, "/review")
    assert "Révision" in review.text and question_of(course, review) == missed_q, "the missed question is due first"
    assert "1 question(s) à revoir" in review.text, "the known question is not due yet"

    sent = await eva.send("/progress")
    progress = await api.wait_for_message(eva.id, after=sent, predicate=lambda m: "progression" in m.text)
    assert "1 question(s) à revoir sur 2" in progress.text and "mémorisation estimée" in progress.text

    letter = next(k for k, v in shown_options(review).items() if v == missed_q.options[missed_q.answer])
    await eva.press(review, letter)
    answered = await api.wait_for_edit(review)
    assert "Bonne réponse" in answered.text
    await eva.press(answered, "❓ Question suivante")  # the next review: none due now
    after = await api.wait_for_message(eva.id, after=answered, predicate=lambda m: "Rien à réviser" in m.text)
    assert after is not None

    clock.set(start + timedelta(days=2, hours=1))
    later = await ask(api, eva, "/review")
    assert question_of(course, later) == known_q, "the known question comes back, later"


async def test_a_question_just_missed_is_not_asked_again_while_untried_ones_remain(course_bot, local_api):
    api, course = local_api, course_bot
    noe = api.user(2301, first_name="Noé")
    sent = await noe.send("/start docker-fr")
    await api.wait_for_message(noe.id, after=sent, predicate=lambda m: bool(m.buttons))
    await read_lessons(api, noe, 3)  # three lessons: several questions to ask
    first = await ask(api, noe)
    missed = question_of(course, first)
    await noe.press(first, next(k for k, v in shown_options(first).items() if v != missed.options[missed.answer]))
    await api.wait_for_edit(first)
    following = question_of(course, await ask(api, noe))
    assert following != missed, "not the question whose answer was just shown"
