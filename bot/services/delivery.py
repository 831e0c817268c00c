"""Daily delivery: who is due now, claimed once per local day so a restart never repeats one.

A learner is due when their local time has passed their daily time and nothing was
delivered for that local date yet. Claiming inserts a row guarded by a unique key
(learner, local date, kind): two sweeps, or a sweep after a restart, cannot both win.
A claim that never became "sent" (the bot died mid-send) is retried after a grace delay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.content import Catalog, Course, Lesson, Question
from bot.services import journey, quizzes, review
from bot.services.errors import NotEnrolled
from bot.storage import crud
from bot.storage.models import Delivery, Learner, stored_id

__all__ = ["DailyPlan", "DueDelivery", "claim_due_deliveries", "finish_delivery", "is_due", "plan_delivery"]

KIND = "daily"
STALE_CLAIM = timedelta(minutes=2)


@dataclass(frozen=True)
class DueDelivery:
    delivery_id: int
    learner_id: int
    telegram_id: int
    local_date: date


def is_due(learner: Learner, now: datetime) -> date | None:
    """The local date owed a delivery at `now`, or None.

    A learner who enrolled today after their daily time starts tomorrow: they have just
    read the first lesson.
    """
    zone = ZoneInfo(learner.timezone)
    local_now = now.astimezone(zone)
    if local_now.time() < learner.daily_time:
        return None
    today = local_now.date()
    first_due = datetime.combine(today, learner.daily_time, tzinfo=zone)
    if learner.created_at.astimezone(zone) > first_due:
        return None
    return today


def claim_due_deliveries(*, session: Session, now: datetime) -> list[DueDelivery]:
    """Claim every delivery due at `now`, plus stale claims left by a crash."""
    claimed: list[DueDelivery] = []
    for learner in crud.list_deliverable_learners(session=session):
        local_date = is_due(learner, now)
        if local_date is None:
            continue
        row = Delivery(learner_id=stored_id(learner), local_date=local_date, kind=KIND, status="claimed",
                       claimed_at=now)
        if crud.insert_once(session=session, row=row):
            claimed.append(DueDelivery(stored_id(row), stored_id(learner), learner.telegram_id, local_date))
    for stale in crud.list_stale_claims(session=session, claimed_before=now - STALE_CLAIM):
        owner = crud.get_learner_by_id(session=session, learner_id=stale.learner_id)
        if owner is None or owner.paused or owner.blocked:
            continue
        stale.claimed_at = now
        session.add(stale)
        claimed.append(DueDelivery(stored_id(stale), stored_id(owner), owner.telegram_id, stale.local_date))
    return claimed


def finish_delivery(*, session: Session, delivery_id: int, status: str, now: datetime) -> None:
    """Mark a claimed delivery as sent, or failed (a failed one is not retried)."""
    row = session.get(Delivery, delivery_id)
    if row is None:
        return
    row.status = status
    row.sent_at = now if status == "sent" else None
    session.add(row)


@dataclass(frozen=True)
class DailyPlan:
    """What one learner gets today: read in one short transaction, sent after it closed."""

    learner_id: int
    lang: str
    first_name: str
    course: Course
    lesson: Lesson | None
    question: Question | None
    order: tuple[int, ...] | None = None  # how the question's options are shown
    review: Question | None = None  # a question due again on the learner's FSRS schedule
    review_order: tuple[int, ...] | None = None


def plan_delivery(*, session: Session, catalog: Catalog, learner_id: int, now: datetime) -> DailyPlan:
    """Today's lesson and question for a learner; raises NotEnrolled when they have no course."""
    learner = crud.get_learner_by_id(session=session, learner_id=learner_id)
    if learner is None:
        raise NotEnrolled()
    course = journey.active_course(catalog=catalog, learner=learner)
    lesson = journey.current_lesson(session=session, catalog=catalog, learner=learner)
    question = quizzes.next_question(session=session, course=course, learner=learner,
                                     also_read=frozenset({lesson.id}) if lesson else frozenset())
    due = [q for q in review.due_questions(session=session, course=course, learner=learner, now=now, limit=2)
           if question is None or q.id != question.id][:1]
    return DailyPlan(
        learner_id=learner_id, lang=learner.language, first_name=learner.first_name, course=course, lesson=lesson,
        question=question,
        order=quizzes.order_for_attempt(session=session, course=course, learner=learner, question=question)
        if question else None,
        review=due[0] if due else None,
        review_order=quizzes.order_for_attempt(session=session, course=course, learner=learner, question=due[0])
        if due else None,
    )
