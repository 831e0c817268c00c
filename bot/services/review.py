"""Spaced review on an FSRS schedule (the `fsrs` package): every quiz answer updates the card
of its question; missed and due questions come back in the daily bundle and with /review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler
from sqlmodel import Session, col, select

from bot.content import Course, Question
from bot.storage import crud
from bot.storage.models import Learner, ReviewCard, stored_id

__all__ = ["ReviewStats", "due_questions", "record_review", "review_stats"]

# A quiz bot reviews once a day at most: no minute-long learning steps, no random fuzz (tests and
# learners see the same schedule for the same answers).
SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


@dataclass(frozen=True)
class ReviewStats:
    cards: int
    due: int
    retention: float | None  # mean probability of recalling each card now, from FSRS


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back; every stored datetime is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _naive(moment: datetime) -> datetime:
    """Stored datetimes are timezone-aware UTC (see bot/storage/models.py)."""
    return _aware(moment).astimezone(UTC)


def record_review(*, session: Session, learner_id: int, course_id: str, question_id: str, correct: bool,
                  now: datetime) -> datetime:
    """Rate the answer (Good when right, Again when wrong) and store the new card; returns when it is due.

    On every quiz answer: read and written as plain values (no row object)."""
    found = crud.get_review_card_values(session=session, learner_id=learner_id, course_id=course_id,
                                        question_id=question_id)
    # An explicit card_id: fsrs makes one from the clock and sleeps a millisecond to keep it unique, which
    # under load handed the GIL back and forth with the event loop (tests/e2e/test_event_loop_stays_free.py).
    # The row is the card's identity here; fsrs does not use the id to schedule.
    card = Card.from_json(found["card"]) if found is not None else Card(card_id=1, due=_aware(now))
    card, _ = SCHEDULER.review_card(card, Rating.Good if correct else Rating.Again, review_datetime=_aware(now))
    # A missed question is to review now ("à revoir maintenant"), not at FSRS's next date: the row's own due
    # says so until a right answer, while the card keeps FSRS's schedule (see `_missed`).
    due = card.due if correct else _aware(now)
    values: dict[str, object] = {"card": card.to_json(), "due": _naive(due), "updated_at": _naive(now)}
    if found is None:
        crud.insert_review_card_values(session=session, values={
            **values, "learner_id": learner_id, "course_id": course_id, "question_id": question_id,
            "reviews": 1, "lapses": int(not correct)})
    else:
        crud.update_review_card_values(session=session, card_id=found["id"], values={
            **values, "reviews": found["reviews"] + 1, "lapses": found["lapses"] + (not correct)})
    return due


def _missed(row: ReviewCard) -> bool:
    """Whether the question's last answer was wrong (its row is due before FSRS's own date for the card)."""
    return _aware(row.due) < _aware(Card.from_json(row.card).due)


def due_questions(*, session: Session, course: Course, learner: Learner, now: datetime,
                  limit: int = 10) -> list[Question]:
    """Questions whose card is due, most overdue first (questions gone from the course are skipped)."""
    rows = session.exec(select(ReviewCard).where(
        ReviewCard.learner_id == stored_id(learner), ReviewCard.course_id == course.id,
        col(ReviewCard.due) <= _naive(now)).order_by(col(ReviewCard.due))).all()
    found = [q for row in rows if (q := course.question(row.question_id)) is not None]
    return found[:limit]


def review_stats(*, session: Session, course: Course, learner: Learner, now: datetime) -> ReviewStats:
    rows = session.exec(select(ReviewCard).where(
        ReviewCard.learner_id == stored_id(learner), ReviewCard.course_id == course.id)).all()
    rows = [row for row in rows if course.question(row.question_id) is not None]
    if not rows:
        return ReviewStats(cards=0, due=0, retention=None)
    moment = _aware(now)
    # A question just missed is not remembered, whatever FSRS estimates for its next review.
    recall = [0.0 if _missed(row) else SCHEDULER.get_card_retrievability(Card.from_json(row.card),
                                                                         current_datetime=moment) for row in rows]
    due = sum(_aware(row.due) <= moment for row in rows)
    return ReviewStats(cards=len(rows), due=due, retention=sum(recall) / len(recall))
