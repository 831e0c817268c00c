"""Quiz questions: which one to ask next, and what an answer is worth."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.content import Catalog, Course, Question
from bot.services import review
from bot.services.errors import StaleReference
from bot.services.journey import LearnerRef
from bot.services.lesson_reading import drawn_on_read_lessons, lessons_read
from bot.storage import crud
from bot.storage.models import Learner, PollOrder, SentPoll, stored_id

__all__ = [
    "AnswerOutcome", "Order", "answer_poll", "answer_question", "decode_order", "encode_order", "find_question",
    "next_question", "option_order", "order_for_attempt", "record_answer", "remember_poll",
]

Order = tuple[int, ...]  # order[position shown] = index of the option in the course file


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


def option_order(*, learner_id: int, question: Question, attempt: int) -> Order:
    """The options' order for one learner's n-th attempt at a question: shuffled, and reproducible."""
    order = list(range(len(question.options)))
    random.Random(f"{learner_id}:{question.id}:{attempt}").shuffle(order)
    return tuple(order)


def order_for_attempt(*, session: Session, course: Course, learner: LearnerRef, question: Question) -> Order:
    """A fresh order for the learner's next attempt, never the same as their previous one."""
    learner_id = stored_id(learner)
    attempts = crud.count_quiz_answers(session=session, learner_id=learner_id, course_id=course.id,
                                       question_id=question.id)
    order = option_order(learner_id=learner_id, question=question, attempt=attempts)
    if attempts and order == option_order(learner_id=learner_id, question=question, attempt=attempts - 1):
        order = order[1:] + order[:1]
    return order


def encode_order(order: Order) -> str:
    """One digit per option (a question has at most 10)."""
    return "".join(str(i) for i in order)


def decode_order(text: str, question: Question) -> Order:
    """The order a message was sent with; "" (buttons sent before shuffling existed) is the file's order."""
    if not text:
        return tuple(range(len(question.options)))
    if not text.isdigit() or sorted(int(c) for c in text) != list(range(len(question.options))):
        raise StaleReference(f"option order {text!r} of {question.id}")
    return tuple(int(c) for c in text)


def next_question(
    *, session: Session, course: Course, learner: LearnerRef, module_id: str | None = None,
    also_read: frozenset[str] = frozenset(),
) -> Question | None:
    """The next question not yet answered correctly (in course order, or in one module), among those on the
    lessons the learner read (and `also_read`: today's lesson, sent with the question).

    Questions never tried come first; a missed one comes back only after them, the longest-missed first, so
    the question just missed (its answer just shown) is not asked again at once.
    """
    history = crud.question_history(session=session, learner_id=stored_id(learner), course_id=course.id)
    read = lessons_read(session=session, learner_id=stored_id(learner), course_id=course.id) | also_read
    missed: list[tuple[datetime, int, Question]] = []
    for position, (module, question) in enumerate(course.questions_with_modules()):
        if module_id is not None and module.id != module_id:
            continue
        if not drawn_on_read_lessons(question, module, read):
            continue
        tried = history.get(question.id)
        if tried is None:
            return question
        right, last = tried
        if not right:
            missed.append((last, position, question))
    return min(missed, key=lambda item: (item[0], item[1]))[2] if missed else None


def answer_question(
    *, session: Session, course: Course, learner: Learner, question_id: str, choice: int, now: datetime
) -> AnswerOutcome:
    """Record an answer; every answer is kept, the first one decides accuracy."""
    return record_answer(session=session, course=course, learner_id=stored_id(learner), question_id=question_id,
                         choice=choice, now=now)


def record_answer(
    *, session: Session, course: Course, learner_id: int, question_id: str, choice: int, now: datetime
) -> AnswerOutcome:
    """`answer_question` for a caller that knows the learner's id (no row needed)."""
    question = find_question(course, question_id)
    if not 0 <= choice < len(question.options):
        raise StaleReference(f"option {choice} of {question_id}")
    answered_before = crud.has_quiz_answer(
        session=session, learner_id=learner_id, course_id=course.id, question_id=question_id
    )
    correct = choice == question.answer
    review.record_review(session=session, learner_id=learner_id, course_id=course.id, question_id=question_id,
                         correct=correct, now=now)
    crud.insert_quiz_answer(session=session, learner_id=learner_id, course_id=course.id,
                            question_id=question_id, choice=choice, correct=correct, answered_at=now)
    return AnswerOutcome(question=question, choice=choice, correct=correct, first_try=not answered_before)


def remember_poll(
    *, session: Session, poll_id: str, chat_id: int, message_id: int, learner_id: int,
    course: Course, question: Question, now: datetime, order: Order | None = None,
) -> None:
    """poll_answer updates carry no chat: keep poll id -> question (and the order its options were sent in)."""
    if order is not None:
        crud.add(session=session, row=PollOrder(poll_id=poll_id, option_order=encode_order(order)))
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
    course = catalog.courses[sent.course_id]
    shown = session.get(PollOrder, poll_id)
    try:
        if shown is not None:
            order = decode_order(shown.option_order, find_question(course, sent.question_id))
            if not 0 <= choice < len(order):
                return None
            choice = order[choice]
        return answer_question(session=session, course=course, learner=learner,
                               question_id=sent.question_id, choice=choice, now=now)
    except StaleReference:
        return None
