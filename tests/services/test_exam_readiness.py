"""Before the exam: how many lessons a learner read of the course, and nothing to warn about once all are read."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from bot_harness import FIXTURE_CONTENT

from bot.content import load_catalog
from bot.services import exam
from bot.services.learners import LearnerDefaults, touch_learner
from bot.storage import crud, make_engine, session_scope, upgrade_database
from bot.storage.models import stored_id

NOW = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
DEFAULTS = LearnerDefaults(language="fr", timezone="Europe/Paris", daily_time=time(9, 0))


@pytest.fixture
def engine(database_url):
    upgrade_database(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def test_the_warning_counts_lessons_read_and_goes_once_every_lesson_is_read(engine):
    course = load_catalog(FIXTURE_CONTENT).courses["mini"]
    lessons = [lesson.id for lesson in course.lessons_in_order()]
    assert len(lessons) >= 2
    with session_scope(engine) as session:
        learner, _ = touch_learner(session=session, telegram_id=5, first_name="L", language_code="fr",
                                   defaults=DEFAULTS, now=NOW)
        warning = exam.not_ready(session=session, course=course, learner=learner)
        assert warning is not None and (warning.lessons_read, warning.lessons_total) == (0, len(lessons))
        assert warning.questions == len(exam.exam_questions(course, seed="any"))
        assert warning.modules == sum(1 for module in course.modules if course.module_questions(module.id))
        for lesson_id in lessons[:-1]:
            crud.insert_lesson_completion_once(session=session, learner_id=stored_id(learner), course_id=course.id,
                                               lesson_id=lesson_id, completed_at=NOW)
        warning = exam.not_ready(session=session, course=course, learner=learner)
        assert warning is not None and warning.lessons_read == len(lessons) - 1
        crud.insert_lesson_completion_once(session=session, learner_id=stored_id(learner), course_id=course.id,
                                           lesson_id=lessons[-1], completed_at=NOW)
        assert exam.not_ready(session=session, course=course, learner=learner) is None
