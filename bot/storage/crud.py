"""Small, obvious queries: verb_noun(*, session, ...). No business rules here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

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

Row = TypeVar("Row", bound=SQLModel)


def get_learner(*, session: Session, telegram_id: int) -> Learner | None:
    return session.exec(select(Learner).where(Learner.telegram_id == telegram_id)).first()


def get_learner_by_id(*, session: Session, learner_id: int) -> Learner | None:
    return session.get(Learner, learner_id)


def add(*, session: Session, row: Row) -> Row:
    session.add(row)
    session.flush()
    return row


def get_enrollment(*, session: Session, learner_id: int, course_id: str) -> Enrollment | None:
    return session.exec(
        select(Enrollment).where(Enrollment.learner_id == learner_id, Enrollment.course_id == course_id)
    ).first()


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
    return session.exec(
        select(QuizAnswer)
        .where(QuizAnswer.learner_id == learner_id, QuizAnswer.course_id == course_id)
        .order_by(col(QuizAnswer.answered_at))
    ).all()


def has_quiz_answer(*, session: Session, learner_id: int, course_id: str, question_id: str) -> bool:
    return session.exec(
        select(QuizAnswer.id).where(
            QuizAnswer.learner_id == learner_id, QuizAnswer.course_id == course_id,
            QuizAnswer.question_id == question_id,
        ).limit(1)
    ).first() is not None


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
