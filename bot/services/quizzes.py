"""Quiz questions: which one to ask next, and what an answer is worth."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.content import Catalog, Course, Question
from bot.services.errors import StaleReference
from bot.services.lesson_reading import drawn_on_read_lessons, lessons_read
from bot.storage import crud
from bot.storage.models import Learner, QuizAnswer, SentPoll, stored_id

__all__ = ["AnswerOutcome", "answer_poll", "answer_question", "find_question", "next_question", "remember_poll"]


@dataclass(frozen=True)
class AnswerOutcome:
    question: Question
    choice: int
    correct: bool
    first_try: bool


def find_question(course: Course, question_id: str) -> Question:
    question = course.question(question_id)
    if question is None:
        raise StaleReference(f"question {question_id}")
    return question


def next_question(
    *, session: Session, course: Course, learner: Learner, module_id: str | None = None,
    also_read: frozenset[str] = frozenset(),
) -> Question | None:
    """The first question not yet answered correctly, in course order (or in one module), among those on the
    lessons the learner read (and `also_read`: today's lesson, sent with the question)."""
    mastered = {
        a.question_id
        for a in crud.list_quiz_answers(session=session, learner_id=stored_id(learner), course_id=course.id)
        if a.correct
    }
    read = lessons_read(session=session, learner_id=stored_id(learner), course_id=course.id) | also_read
    for module, question in course.questions_with_modules():
        if module_id is not None and module.id != module_id:
            continue
        if question.id not in mastered and drawn_on_read_lessons(question, module, read):
            return question
    return None


def answer_question(
    *, session: Session, course: Course, learner: Learner, question_id: str, choice: int, now: datetime
) -> AnswerOutcome:
    """Record an answer; every answer is kept, the first one decides accuracy."""
    question = find_question(course, question_id)
    if not 0 <= choice < len(question.options):
        raise StaleReference(f"option {choice} of {question_id}")
    answered_before = crud.has_quiz_answer(
        session=session, learner_id=stored_id(learner), course_id=course.id, question_id=question_id
    )
    correct = choice == question.answer
    crud.add(
        session=session,
        row=QuizAnswer(
            learner_id=stored_id(learner), course_id=course.id, question_id=question_id,
            choice=choice, correct=correct, answered_at=now,
        ),
    )
    return AnswerOutcome(question=question, choice=choice, correct=correct, first_try=not answered_before)


def remember_poll(
    *, session: Session, poll_id: str, chat_id: int, message_id: int, learner_id: int,
    course: Course, question: Question, now: datetime,
) -> None:
    """poll_answer updates carry no chat: keep poll id -> question."""
    crud.add(
        session=session,
        row=SentPoll(
            poll_id=poll_id, chat_id=chat_id, learner_id=learner_id, course_id=course.id,
            question_id=question.id, message_id=message_id, sent_at=now,
        ),
    )


def answer_poll(
    *, session: Session, catalog: Catalog, poll_id: str, telegram_id: int, choice: int, now: datetime
) -> AnswerOutcome | None:
    """Record the answer to a quiz poll we sent; None when the poll, learner or question is unknown."""
    sent = crud.get_sent_poll(session=session, poll_id=poll_id)
    learner = crud.get_learner(session=session, telegram_id=telegram_id)
    if sent is None or learner is None or sent.course_id not in catalog.courses:
        return None
    try:
        return answer_question(session=session, course=catalog.courses[sent.course_id], learner=learner,
                               question_id=sent.question_id, choice=choice, now=now)
    except StaleReference:
        return None
