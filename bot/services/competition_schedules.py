"""Scheduled games: `/quiz every fri 18:00` in the group's time zone, announced 10 minutes before.

The next run is computed in local time and converted to UTC each time, so a game at 18:00 stays at
18:00 local across a DST change. The sweep (bot/jobs/group_schedules.py) claims what is due by moving
`next_run_at` on, in the same transaction: a restart neither loses nor repeats a game.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlmodel import Session, col, select

from bot.services.competition_groups import ensure_group
from bot.services.week_times import next_run
from bot.storage.competition_models import GameSchedule, QuizGroup

__all__ = ["NOTICE", "DueSchedule", "add_schedule", "claim_due", "next_run", "remove_schedules"]

NOTICE = timedelta(minutes=10)


@dataclass(frozen=True)
class DueSchedule:
    schedule_id: int
    chat_id: int
    language: str
    timezone: str
    kind: str  # notice | start
    run_at: datetime
    module_id: str
    question_count: int
    created_by: int


def add_schedule(*, session: Session, chat_id: int, title: str, weekday: int, at: time, module_id: str,
                 question_count: int, by: int, now: datetime) -> datetime:
    group = ensure_group(session=session, chat_id=chat_id, title=title, now=now)
    run_at = next_run(weekday=weekday, at=at, timezone=group.timezone, after=now)
    session.add(GameSchedule(chat_id=chat_id, weekday=weekday, at=at, module_id=module_id,
                             question_count=question_count, next_run_at=run_at, created_by=by))
    return run_at


def remove_schedules(*, session: Session, chat_id: int) -> int:
    rows = session.exec(select(GameSchedule).where(GameSchedule.chat_id == chat_id)).all()
    for row in rows:
        session.delete(row)
    return len(rows)


def claim_due(*, session: Session, now: datetime) -> list[DueSchedule]:
    """Notices due (10 minutes before) and games due; each claimed once."""
    due: list[DueSchedule] = []
    rows = session.exec(select(GameSchedule).where(col(GameSchedule.next_run_at) <= now + NOTICE)).all()
    for row in rows:
        group = session.exec(select(QuizGroup).where(QuizGroup.chat_id == row.chat_id)).first()
        lang, zone = (group.language, group.timezone) if group else ("fr", "Europe/Paris")
        assert row.id is not None
        run_at = row.next_run_at
        if run_at <= now:
            due.append(DueSchedule(row.id, row.chat_id, lang, zone, "start", run_at, row.module_id, row.question_count,
                                   row.created_by))
            row.next_run_at = next_run(weekday=row.weekday, at=row.at, timezone=zone, after=max(now, run_at))
            row.announced_at = None
        elif row.announced_at is None:
            due.append(DueSchedule(row.id, row.chat_id, lang, zone, "notice", run_at, row.module_id, row.question_count,
                                   row.created_by))
            row.announced_at = now
    return due
