"""Reading lessons: a lesson counts as read when its last page is shown, and quizzes ask only about what was read."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session

from bot.content import Catalog, Course, Module, Question
from bot.services import journey
from bot.storage import crud
from bot.storage.models import stored_id

__all__ = ["drawn_on_read_lessons", "lessons_read", "page_shown", "questions_waiting_for_reading"]


def lessons_read(*, session: Session, learner_id: int, course_id: str) -> frozenset[str]:
    return crud.list_completed_lesson_ids(session=session, learner_id=learner_id, course_id=course_id)


def drawn_on_read_lessons(question: Question, module: Module, read: Iterable[str]) -> bool:
    """A question about a lesson waits until that lesson was read; one about no lesson in particular, until a
    lesson of its module was."""
    read = frozenset(read)
    if question.lesson is not None:
        return question.lesson in read
    return any(lesson_id in read for lesson_id in module.lessons)


def questions_waiting_for_reading(*, session: Session, course: Course, learner: journey.LearnerRef,
                                  module_id: str | None) -> int:
    """How many questions (of the module, or of the course) wait for a lesson still unread."""
    mastered = {a.question_id for a in crud.list_quiz_answers(
        session=session, learner_id=stored_id(learner), course_id=course.id) if a.correct}
    read = lessons_read(session=session, learner_id=stored_id(learner), course_id=course.id)
    return sum(1 for module, question in course.questions_with_modules()
               if (module_id is None or module.id == module_id) and question.id not in mastered
               and not drawn_on_read_lessons(question, module, read))


def page_shown(*, session: Session, catalog: Catalog, learner: journey.LearnerRef, lesson_id: str, page: int, pages: int,
               now: datetime) -> bool:
    """Record the lesson as read when its last page was shown; True when that happened just now."""
    if page < pages - 1:
        return False
    step = journey.complete_lesson(session=session, catalog=catalog, learner=learner, lesson_id=lesson_id, now=now)
    return step.newly_completed
