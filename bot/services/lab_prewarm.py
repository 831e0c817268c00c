"""Start the lab before a class starts: the members likely to run commands find their workspace ready.

Twenty private Docker daemons booting at the same moment queue behind each other on a small
machine. Before a calendar entry whose lesson has an exercise, `prewarm_plan` picks the members
who used the lab recently (most recent first), at most the lab's capacity less what it keeps for
everyone else, and spreads their boots evenly over the lead time before the class, so the boots
do not pile up. `warm` starts one workspace through the lab's public API (a no-op command).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.content import Catalog
from bot.services import classes
from bot.storage.models import Classroom, ExerciseAttempt, PlanEntry

__all__ = ["LEAD", "RECENT", "Prewarm", "WarmableLab", "prewarm_plan", "warm"]

LEAD = timedelta(minutes=10)
"""How long before the class time the first boots start."""
RECENT = timedelta(days=14)
"""A member who used the lab within this time is likely to use it again."""
MARGIN = timedelta(minutes=1)


@dataclass(frozen=True)
class Prewarm:
    learner_id: int
    at: datetime  # when to start this learner's workspace
    class_at: datetime


class WarmableLab(Protocol):
    async def run_internal(self, *, learner_id: int, command: str, timeout: float = 20) -> object: ...


def prewarm_plan(*, session: Session, catalog: Catalog, now: datetime, capacity: int,
                 lead: timedelta = LEAD) -> list[Prewarm]:
    """Boots to make for the classes starting within `lead`, spread over [class - lead, class - 1 min]."""
    entries = session.exec(select(PlanEntry, Classroom).join(Classroom, col(Classroom.id) == col(PlanEntry.class_id))
                           .where(col(PlanEntry.sent_at).is_(None), col(PlanEntry.due_at) > now,
                                  col(PlanEntry.due_at) <= now + lead, col(Classroom.deleted_at).is_(None))).all()
    plan: list[Prewarm] = []
    taken: set[int] = set()
    for entry, klass in entries:
        course = catalog.courses.get(klass.course_id)
        lesson = course.lessons.get(entry.lesson_id) if course else None
        if lesson is None or not lesson.exercise:
            continue
        members = classes.active_member_ids(session=session, class_id=entry.class_id)
        if not members:
            continue
        recent = session.exec(
            select(ExerciseAttempt.learner_id, func.max(ExerciseAttempt.created_at))
            .where(col(ExerciseAttempt.learner_id).in_(members), col(ExerciseAttempt.created_at) >= now - RECENT)
            .group_by(col(ExerciseAttempt.learner_id))
            .order_by(func.max(ExerciseAttempt.created_at).desc())).all()
        likely = [learner_id for learner_id, _ in recent if learner_id not in taken][: max(0, capacity - len(taken))]
        start, end = entry.due_at - lead, entry.due_at - MARGIN
        step = (end - start) / max(1, len(likely))
        for index, learner_id in enumerate(likely):
            plan.append(Prewarm(learner_id, start + step * index, entry.due_at))
            taken.add(learner_id)
    return sorted(plan, key=lambda item: item.at)


async def warm(*, lab: WarmableLab, learner_id: int) -> bool:
    """Start the learner's workspace (a command that does nothing); False when the lab refused."""
    try:
        await lab.run_internal(learner_id=learner_id, command="true", timeout=60)
    except Exception:  # noqa: BLE001 - a lab that cannot start one now is not an error: the class goes on
        return False
    return True
