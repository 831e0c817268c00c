"""The shipped course, followed end to end through Telegram: every page and every question is accepted."""

from __future__ import annotations

from pathlib import Path

import pytest
from bot_harness import POLL_TIMEOUT, TOKEN

from bot.app import build_application, start_bot, stop_bot
from bot.config import Settings
from bot.content import load_catalog

COURSE_DIR = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture
async def course_bot(local_api, clock, database_url):
    settings = Settings(bot_token=None, fair_budgets=False, database_url=database_url,
                        content_dir=COURSE_DIR, delivery_sweep_seconds=3600)
    catalog = load_catalog(COURSE_DIR)
    application = build_application(settings, catalog=catalog, base_url=local_api.url, token=TOKEN, clock=clock,
                                    rate_limit=False)
    await start_bot(application, poll_timeout=POLL_TIMEOUT)
    yield catalog.courses["docker-fr"]
    await stop_bot(application)


def rejected(api) -> list:
    return [(method, error) for method, _, error in api.requests_log if error]


async def test_a_learner_reads_every_lesson_of_the_course_to_the_end(course_bot, local_api):
    api, course = local_api, course_bot
    reader = api.user(1001, first_name="Lou")
    sent = await reader.send("/start docker-fr")
    message = await api.wait_for_message(reader.id, after=sent, predicate=lambda m: bool(m.buttons))
    await reader.press(message, message.buttons[0][0])  # continue with the first lesson
    titles_seen = []
    for _ in range(600):
        message = await api.wait_for_message(reader.id, after=message, predicate=lambda m: bool(m.buttons))
        if "terminé toutes les leçons" in message.text:
            break
        titles_seen.append(message.text.splitlines()[0])
        await reader.press(message, next(label for label, _ in message.buttons if label.startswith("Suivant")))
    else:
        pytest.fail("the course never ended")
    lesson_titles = [lesson.title for lesson in course.lessons_in_order()]
    assert all(any(title in seen for seen in titles_seen) for title in lesson_titles)
    assert rejected(api) == [], "Telegram accepted every page"


async def read_every_lesson(database_url, course) -> None:
    """The learner has read the whole course (reading it through the chat is the test above)."""
    from datetime import UTC, datetime

    from bot.storage import make_engine, session_scope
    from bot.storage.models import LessonCompletion

    engine = make_engine(database_url)
    with session_scope(engine) as session:
        for lesson in course.lessons_in_order():
            session.add(LessonCompletion(learner_id=1, course_id=course.id, lesson_id=lesson.id,
                                         completed_at=datetime.now(UTC)))
    engine.dispose()


async def test_every_quiz_question_of_the_course_can_be_asked_and_answered(course_bot, local_api, database_url):
    api, course = local_api, course_bot
    quizzer = api.user(1002, first_name="Kim")
    sent = await quizzer.send("/start docker-fr")
    await api.wait_for_message(quizzer.id, after=sent, predicate=lambda m: bool(m.buttons))
    sent = await quizzer.send("/quiz")
    first = await api.wait_for_message(quizzer.id, after=sent)
    assert "pas encore lues" in first.text, "no question on a lesson not read yet"
    await read_every_lesson(database_url, course)
    questions = course.questions_in_order()
    message = await quizzer.send("/quiz")
    for _ in questions:
        asked = await api.wait_for_message(quizzer.id, after=message, predicate=lambda m: "Question" in m.text)
        shown = asked.text.split("\n\n")[1]
        right = next(q.options[q.answer] for q in questions if q.question == shown)
        # options are shuffled per learner: find the letter the right option has in this message
        letter = next(line[0] for line in asked.text.split("\n") if line[1:3] == ". " and line[3:] == right)
        await quizzer.press(asked, letter)
        answered = await api.wait_for_edit(asked)
        assert "Bonne réponse" in answered.text
        await quizzer.press(answered, data="quiz:")  # the next question of the whole course
        message = answered
    sent = await quizzer.send("/progress")
    progress = await api.wait_for_message(quizzer.id, after=sent, predicate=lambda m: "progression" in m.text)
    assert progress.text.count("justes (100 %)") == len(course.modules)
    assert rejected(api) == []
