"""A learner who has read only two lessons sends /exam: the bot says how many lessons were read and that the exam
covers the whole course, and offers to start anyway or go back to the lessons (nothing is started until then)."""

from __future__ import annotations

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


async def test_a_learner_who_read_two_lessons_is_warned_and_chooses(course_bot, local_api):
    api, course = local_api, course_bot
    total = len(course.lessons_in_order())
    lea = api.user(3301, first_name="Léa")
    sent = await lea.send("/start docker-fr")
    await api.wait_for_message(lea.id, after=sent, predicate=lambda m: bool(m.buttons))
    last_page = await read_lessons(api, lea, 2)

    sent = await lea.send("/exam")
    warning = await api.wait_for_message(lea.id, after=sent, predicate=lambda m: "Avant l'examen" in m.text)
    assert f"2 leçon(s) sur {total}" in warning.text
    assert "tout le cours" in warning.text
    labels = [label for label, _ in warning.buttons]
    assert labels == ["🎓 Commencer quand même", "📚 Revenir aux leçons"]
    assert not any("question 1/" in (m.text or "") for m in api.messages(lea.id)), "no exam before the choice"

    await lea.press(warning, "📚 Revenir aux leçons")
    toc = await api.wait_for_message(lea.id, after=warning, predicate=lambda m: "leçons lues" in m.text)
    assert f"2/{total}" in toc.text
    assert not any("question 1/" in (m.text or "") for m in api.messages(lea.id))

    sent = await lea.send("/exam")
    warning = await api.wait_for_message(lea.id, after=sent, predicate=lambda m: "Avant l'examen" in m.text)
    await lea.press(warning, "🎓 Commencer quand même")
    intro = await api.wait_for_message(lea.id, after=warning, predicate=lambda m: "Examen final" in m.text)
    await api.wait_for_message(lea.id, after=intro, predicate=lambda m: "question 1/20" in m.text)
    assert last_page.message_id < intro.message_id


async def test_the_warning_speaks_english_to_an_english_learner(course_bot, local_api):
    api, course = local_api, course_bot
    amy = api.user(3302, first_name="Amy", language_code="en")
    sent = await amy.send("/start docker-fr")
    await api.wait_for_message(amy.id, after=sent, predicate=lambda m: bool(m.buttons))
    sent = await amy.send("/exam")
    warning = await api.wait_for_message(amy.id, after=sent, predicate=lambda m: "Before the final exam" in m.text)
    assert f"read 0 lesson(s) out of {len(course.lessons_in_order())}" in warning.text
    assert "the whole course" in warning.text
    assert [label for label, _ in warning.buttons] == ["🎓 Start anyway", "📚 Back to the lessons"]
