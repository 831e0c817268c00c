"""Daily delivery: each learner's bundle (greeting, lesson, quiz poll) goes into the outbox at their local time.

Each learner has a stored, indexed next due instant (DailySchedule): a sweep reads only the
rows due now, so it costs O(due), not O(learners). A due learner gets one "bundle" row keyed
`bundle:<learner>:<local date>`: a second sweep, a restart, or a class sending its own lesson
that day cannot add a second one. The row is then rescheduled to their next daily time.
A learner who is paused, blocked or has no course is only moved to the next day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.content import Catalog, Question
from bot.services import classes, journey, outbox, quizzes, review
from bot.services.errors import NotEnrolled
from bot.storage.models import DailySchedule, Learner, stored_id

__all__ = [
    "BUNDLE_KIND", "Sweep", "bundle_key", "bundle_payload", "ensure_scheduled", "is_due", "next_due_at", "sweep_due",
]

BUNDLE_KIND = "bundle"
SWEEP_BATCH = 2000


def bundle_key(learner_id: int, local_date: date) -> str:
    """The one daily bundle a learner may get on a local date (whichever path enqueues it first)."""
    return f"bundle:{learner_id}:{local_date.isoformat()}"


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


def next_due_at(learner: Learner, now: datetime) -> datetime:
    """The learner's first daily time strictly after `now` (in their zone, DST included), in UTC."""
    zone = ZoneInfo(learner.timezone)
    day = now.astimezone(zone).date()
    for offset in range(3):
        moment = datetime.combine(day + timedelta(days=offset), learner.daily_time, tzinfo=zone)
        if moment > now:
            return moment.astimezone(now.tzinfo)
    raise AssertionError("a daily time always comes within two days")  # pragma: no cover


def ensure_scheduled(*, session: Session, learner: Learner, now: datetime) -> None:
    """Give a learner a schedule row (new learners; the migration gives one to the others)."""
    if session.get(DailySchedule, stored_id(learner)) is None:
        session.add(DailySchedule(learner_id=stored_id(learner), next_due_at=next_due_at(learner, now)))


def bundle_payload(*, session: Session, catalog: Catalog, learner: Learner, now: datetime) -> dict[str, Any]:
    """Today's bundle for a learner, as the sender needs it: ids, not text (the course is read at send time).

    The lesson, the next question (with the order its options are shown in) and one question due again on the
    learner's FSRS schedule. Raises NotEnrolled when they have no course.
    """
    course = journey.active_course(catalog=catalog, learner=learner)
    lesson = journey.current_lesson(session=session, catalog=catalog, learner=learner)
    question = quizzes.next_question(session=session, course=course, learner=learner,
                                     also_read=frozenset({lesson.id}) if lesson else frozenset())
    due = next((q for q in review.due_questions(session=session, course=course, learner=learner, now=now, limit=2)
                if question is None or q.id != question.id), None)

    def order(shown: Question | None) -> list[int] | None:
        return list(quizzes.order_for_attempt(session=session, course=course, learner=learner, question=shown)) \
            if shown else None

    return {
        "learner_id": stored_id(learner), "lang": learner.language, "first_name": learner.first_name,
        "course": course.id, "lesson": lesson.id if lesson else None,
        "question": question.id if question else None, "order": order(question),
        "review": due.id if due else None, "review_order": order(due),
        "greeting": "daily_hello",
    }


def _deliverable(session: Session, learner: Learner) -> bool:
    """Paused, blocked, without a course, or in a class (whose calendar brings their lessons): nothing today."""
    return (not learner.paused and not learner.blocked and learner.active_course is not None
            and not classes.in_any_class(session=session, learner_id=stored_id(learner)))


@dataclass(frozen=True)
class Sweep:
    keys: list[str]  # the outbox rows enqueued
    examined: int  # schedule rows read (all of them due)


def sweep_due(*, session: Session, catalog: Catalog, now: datetime, limit: int = SWEEP_BATCH) -> Sweep:
    """Enqueue the bundle of up to `limit` learners due at `now` (call again while `examined == limit`)."""
    due = session.exec(
        select(DailySchedule, Learner)
        .join(Learner, col(Learner.id) == col(DailySchedule.learner_id))
        .where(col(DailySchedule.next_due_at) <= now)
        .order_by(col(DailySchedule.next_due_at))
        .limit(limit)
    ).all()
    keys: list[str] = []
    for schedule, learner in due:
        local_date = is_due(learner, now) if _deliverable(session, learner) else None
        if local_date is not None:
            try:
                payload = bundle_payload(session=session, catalog=catalog, learner=learner, now=now)
            except NotEnrolled:
                payload = None
            key = bundle_key(stored_id(learner), local_date)
            if payload is not None and outbox.enqueue(session=session, now=now, messages=[outbox.Outgoing(
                    key=key, kind=BUNDLE_KIND, chat_id=learner.telegram_id, payload=payload,
                    priority=outbox.BUNDLE)]):
                keys.append(key)
        schedule.next_due_at = next_due_at(learner, now)
        session.add(schedule)
    return Sweep(keys, len(due))
