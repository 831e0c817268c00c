"""Small, obvious queries: verb_noun(*, session, ...). No business rules here.

The queries every update runs (the learner, their enrolment, their quiz answers) are built
once, with bound parameters: SQLAlchemy then skips rebuilding the statement and its cache key.
Those that read or write plain values (no row objects) run on the session's connection, past
the ORM's per-statement machinery, after flushing what the session holds (`_plain`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy import RowMapping, bindparam, case, func, insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, CursorResult
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from bot.storage.models import (
    Enrollment,
    ExerciseAttempt,
    ExerciseCompletion,
    Learner,
    LessonCompletion,
    QuizAnswer,
    SentPoll,
)
from bot.storage.outbox_models import DailySchedule
from bot.storage.review_models import ReviewCard

Row = TypeVar("Row", bound=SQLModel)

_LEARNER_BY_TELEGRAM_ID = select(Learner).where(Learner.telegram_id == bindparam("telegram_id"))
_ENROLLMENT = select(Enrollment).where(
    Enrollment.learner_id == bindparam("learner_id"), Enrollment.course_id == bindparam("course_id"))
_QUIZ_ANSWERS = (select(QuizAnswer)
                 .where(QuizAnswer.learner_id == bindparam("learner_id"), QuizAnswer.course_id == bindparam("course_id"))
                 .order_by(col(QuizAnswer.answered_at)))
_QUESTION_HISTORY = select(
    QuizAnswer.question_id, func.max(case((col(QuizAnswer.correct).is_(True), 1), else_=0)),
    func.max(QuizAnswer.answered_at)).where(
    QuizAnswer.learner_id == bindparam("learner_id"), QuizAnswer.course_id == bindparam("course_id")
).group_by(QuizAnswer.question_id)
_HAS_QUIZ_ANSWER = select(QuizAnswer.id).where(
    QuizAnswer.learner_id == bindparam("learner_id"), QuizAnswer.course_id == bindparam("course_id"),
    QuizAnswer.question_id == bindparam("question_id")).limit(1)
_INSERT_QUIZ_ANSWER = insert(QuizAnswer)
_LEARNER_TABLE = Learner.__table__  # type: ignore[attr-defined]  # SQLModel sets it on table models
_LEARNER_VALUES = select(_LEARNER_TABLE).where(_LEARNER_TABLE.c.telegram_id == bindparam("telegram_id"))
_INSERT_LEARNER = insert(_LEARNER_TABLE)
_INSERT_DAILY_SCHEDULE = insert(DailySchedule)
_NEXT_LESSON_ID = select(Enrollment.next_lesson_id).where(
    Enrollment.learner_id == bindparam("learner_id"), Enrollment.course_id == bindparam("course_id"))
_INSERT_ENROLLMENT = insert(Enrollment)
_SET_NEXT_LESSON_ID = update(Enrollment).where(
    col(Enrollment.learner_id) == bindparam("of_learner"), col(Enrollment.course_id) == bindparam("of_course"))
_INSERT_COMPLETION_ONCE = {  # a lesson read again is already there: nothing inserted, no error
    "sqlite": sqlite.insert(LessonCompletion).on_conflict_do_nothing(),
    "postgresql": postgresql.insert(LessonCompletion).on_conflict_do_nothing(),
}
_COMPLETED_LESSON_IDS = select(LessonCompletion.lesson_id).where(
    LessonCompletion.learner_id == bindparam("learner_id"), LessonCompletion.course_id == bindparam("course_id"))
_COUNT_QUIZ_ANSWERS = select(func.count(col(QuizAnswer.id))).where(
    QuizAnswer.learner_id == bindparam("learner_id"), QuizAnswer.course_id == bindparam("course_id"),
    QuizAnswer.question_id == bindparam("question_id"))
_REVIEW_TABLE = ReviewCard.__table__  # type: ignore[attr-defined]
_REVIEW_CARD_VALUES = select(_REVIEW_TABLE).where(
    _REVIEW_TABLE.c.learner_id == bindparam("learner_id"), _REVIEW_TABLE.c.course_id == bindparam("course_id"),
    _REVIEW_TABLE.c.question_id == bindparam("question_id"))
_INSERT_REVIEW_CARD = insert(_REVIEW_TABLE)
_UPDATE_REVIEW_CARD = update(_REVIEW_TABLE).where(_REVIEW_TABLE.c.id == bindparam("card_id"))


def _plain(session: Session) -> Connection:
    """The session's connection, for a statement that needs no row objects: pending changes are
    flushed first, so it sees them (as an ORM query would)."""
    session.flush()
    return session.connection()


def get_learner(*, session: Session, telegram_id: int) -> Learner | None:
    return session.exec(_LEARNER_BY_TELEGRAM_ID, params={"telegram_id": telegram_id}).first()


def get_learner_values(*, session: Session, telegram_id: int) -> RowMapping | None:
    """The learner's columns (not a row object: nothing to track), or None."""
    return _plain(session).execute(_LEARNER_VALUES, {"telegram_id": telegram_id}).mappings().first()


def insert_learner_values(*, session: Session, values: dict[str, object]) -> int:
    """Store a new learner from column values (the columns' defaults fill the rest); returns its id."""
    result = _plain(session).execute(_INSERT_LEARNER, values)
    assert isinstance(result, CursorResult)  # an INSERT's result
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("the database gave no id for the new learner")
    return int(key[0])


def insert_daily_schedule(*, session: Session, learner_id: int, next_due_at: datetime) -> None:
    """A new learner's daily schedule (the delivery sweep computes their first daily time)."""
    _plain(session).execute(_INSERT_DAILY_SCHEDULE, {"learner_id": learner_id, "next_due_at": next_due_at})


def update_learner_values(*, session: Session, learner_id: int, values: dict[str, object]) -> None:
    """Change a learner's columns in place (a Learner row loaded in this session would not see it)."""
    _plain(session).execute(update(_LEARNER_TABLE).where(_LEARNER_TABLE.c.id == learner_id).values(values))


def get_learner_by_id(*, session: Session, learner_id: int) -> Learner | None:
    return session.get(Learner, learner_id)


def add(*, session: Session, row: Row) -> Row:
    session.add(row)
    session.flush()
    return row


def get_enrollment(*, session: Session, learner_id: int, course_id: str) -> Enrollment | None:
    return session.exec(_ENROLLMENT, params={"learner_id": learner_id, "course_id": course_id}).first()


def get_next_lesson_id(*, session: Session, learner_id: int, course_id: str) -> tuple[bool, str | None]:
    """(enrolled, the bookmark: the lesson to read next, None when finished), as plain values."""
    found = _plain(session).execute(_NEXT_LESSON_ID, {"learner_id": learner_id, "course_id": course_id}).first()
    return (False, None) if found is None else (True, found[0])


def insert_enrollment_values(*, session: Session, learner_id: int, course_id: str, next_lesson_id: str | None,
                             enrolled_at: datetime) -> None:
    _plain(session).execute(_INSERT_ENROLLMENT, {"learner_id": learner_id, "course_id": course_id,
                                                 "next_lesson_id": next_lesson_id, "enrolled_at": enrolled_at})


def set_next_lesson_id(*, session: Session, learner_id: int, course_id: str, lesson_id: str | None) -> None:
    """Move the learner's bookmark in a course."""
    _plain(session).execute(_SET_NEXT_LESSON_ID, {"of_learner": learner_id, "of_course": course_id,
                                                  "next_lesson_id": lesson_id})


def insert_lesson_completion_once(*, session: Session, learner_id: int, course_id: str, lesson_id: str,
                                  completed_at: datetime) -> bool:
    """Record a lesson as read, once; False when it already was (one statement, no savepoint)."""
    connection = _plain(session)
    statement = _INSERT_COMPLETION_ONCE.get(connection.dialect.name)
    if statement is None:  # another database: the savepoint way
        return insert_once(session=session, row=LessonCompletion(
            learner_id=learner_id, course_id=course_id, lesson_id=lesson_id, completed_at=completed_at))
    result = connection.execute(statement, {"learner_id": learner_id, "course_id": course_id,
                                            "lesson_id": lesson_id, "completed_at": completed_at})
    assert isinstance(result, CursorResult)  # an INSERT's result
    return result.rowcount == 1


def list_completed_lesson_ids(*, session: Session, learner_id: int, course_id: str) -> frozenset[str]:
    params = {"learner_id": learner_id, "course_id": course_id}
    return frozenset(_plain(session).execute(_COMPLETED_LESSON_IDS, params).scalars())


def count_quiz_answers(*, session: Session, learner_id: int, course_id: str, question_id: str) -> int:
    params = {"learner_id": learner_id, "course_id": course_id, "question_id": question_id}
    return int(_plain(session).execute(_COUNT_QUIZ_ANSWERS, params).scalar_one())


def get_review_card_values(*, session: Session, learner_id: int, course_id: str, question_id: str
                           ) -> RowMapping | None:
    params = {"learner_id": learner_id, "course_id": course_id, "question_id": question_id}
    return _plain(session).execute(_REVIEW_CARD_VALUES, params).mappings().first()


def insert_review_card_values(*, session: Session, values: dict[str, object]) -> None:
    _plain(session).execute(_INSERT_REVIEW_CARD, values)


def update_review_card_values(*, session: Session, card_id: int, values: dict[str, object]) -> None:
    _plain(session).execute(_UPDATE_REVIEW_CARD, {"card_id": card_id, **values})


def list_completed_lessons(*, session: Session, learner_id: int, course_id: str) -> Sequence[LessonCompletion]:
    return session.exec(
        select(LessonCompletion).where(
            LessonCompletion.learner_id == learner_id, LessonCompletion.course_id == course_id
        )
    ).all()


def insert_once(*, session: Session, row: SQLModel) -> bool:
    """Insert a row guarded by a unique key; False when it was already there."""
    try:
        with session.begin_nested():
            session.add(row)
        return True
    except IntegrityError:
        return False


def list_quiz_answers(*, session: Session, learner_id: int, course_id: str) -> Sequence[QuizAnswer]:
    return session.exec(_QUIZ_ANSWERS, params={"learner_id": learner_id, "course_id": course_id}).all()


def question_history(*, session: Session, learner_id: int, course_id: str) -> dict[str, tuple[bool, datetime]]:
    """Each question the learner answered: (answered correctly at least once, when last answered)."""
    rows = _plain(session).execute(_QUESTION_HISTORY, {"learner_id": learner_id, "course_id": course_id})
    return {question_id: (bool(right), last) for question_id, right, last in rows}


def has_quiz_answer(*, session: Session, learner_id: int, course_id: str, question_id: str) -> bool:
    params = {"learner_id": learner_id, "course_id": course_id, "question_id": question_id}
    return _plain(session).execute(_HAS_QUIZ_ANSWER, params).first() is not None


def insert_quiz_answer(*, session: Session, learner_id: int, course_id: str, question_id: str, choice: int,
                       correct: bool, answered_at: datetime) -> None:
    """Store an answer without building a row object (the caller needs no id back)."""
    _plain(session).execute(_INSERT_QUIZ_ANSWER, {
        "learner_id": learner_id, "course_id": course_id, "question_id": question_id, "choice": choice,
        "correct": correct, "answered_at": answered_at})


def get_sent_poll(*, session: Session, poll_id: str) -> SentPoll | None:
    return session.get(SentPoll, poll_id)


def list_activity_times(*, session: Session, learner_id: int) -> list[datetime]:
    """When the learner did something that counts for a streak."""
    lessons = session.exec(
        select(LessonCompletion.completed_at).where(LessonCompletion.learner_id == learner_id)
    ).all()
    answers = session.exec(select(QuizAnswer.answered_at).where(QuizAnswer.learner_id == learner_id)).all()
    return [*lessons, *answers]


def list_exercise_completions(
    *, session: Session, learner_id: int, course_id: str
) -> Sequence[ExerciseCompletion]:
    return session.exec(
        select(ExerciseCompletion).where(
            ExerciseCompletion.learner_id == learner_id, ExerciseCompletion.course_id == course_id
        )
    ).all()


def list_attempts(*, session: Session, learner_id: int, limit: int = 50) -> Sequence[ExerciseAttempt]:
    return session.exec(
        select(ExerciseAttempt)
        .where(ExerciseAttempt.learner_id == learner_id)
        .order_by(col(ExerciseAttempt.id).desc())
        .limit(limit)
    ).all()
