"""What an instructor's buttons offer, and the checks a press passes: quick days, scheduled announcements.

A button carries ids; a press is honoured only for what the bot would show that instructor now: a day among the quick
days still offered (a button kept past midnight has expired), a scheduled announcement of a class they teach that
has not gone out. Anything else is StaleReference ("this button has expired").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.services import classes
from bot.services.class_calendar import due_instant
from bot.services.class_errors import ClassNotFound, NotInstructor
from bot.services.errors import StaleReference
from bot.storage.models import Announcement, Classroom, PlanEntry, ScheduledPost, stored_id

__all__ = ["PURPOSES", "QuickDay", "ScheduledAnnouncement", "cancel_post", "free_post", "quick_days",
           "require_quick_day", "scheduled_announcements"]

PURPOSES = ("p", "s", "m")
"""What a picked lesson is for: pushed now, scheduled, put on a calendar day."""
_WEEKEND = 5


@dataclass(frozen=True)
class QuickDay:
    kind: str  # today | tomorrow | next
    day: date
    due_at: datetime  # the class's time that day, UTC
    zone: str

    @property
    def when(self) -> str:
        """"2026-12-08 09:00", in the class's zone (as /schedule reads it)."""
        return f"{self.day.isoformat()} {self.due_at.astimezone(ZoneInfo(self.zone)).strftime('%H:%M')}"


def quick_days(*, session: Session, klass: Classroom, now: datetime) -> list[QuickDay]:
    """Today (while the class's time is still to come), tomorrow, and the next class day after that: the next day
    of its calendar, or else the next weekday."""
    today = now.astimezone(ZoneInfo(klass.timezone)).date()
    tomorrow = today + timedelta(days=1)
    zone = klass.timezone
    days = [QuickDay("today", today, due_instant(klass, today), zone)] if due_instant(klass, today) > now else []
    days.append(QuickDay("tomorrow", tomorrow, due_instant(klass, tomorrow), zone))
    entry = session.exec(select(PlanEntry).where(
        PlanEntry.class_id == stored_id(klass), col(PlanEntry.sent_at).is_(None), col(PlanEntry.on_date) > tomorrow)
        .order_by(col(PlanEntry.on_date)).limit(1)).first()
    following = entry.on_date if entry is not None else next(d for d in (tomorrow + timedelta(days=n) for n in range(1, 8)) if d.weekday() < _WEEKEND)
    days.append(QuickDay("next", following, due_instant(klass, following), zone))
    return days


def require_quick_day(*, session: Session, klass: Classroom, now: datetime, day: int) -> QuickDay:
    """The quick day `day` (YYYYMMDD) if the bot offers it now; StaleReference otherwise."""
    found = next((q for q in quick_days(session=session, klass=klass, now=now)
                  if int(q.day.strftime("%Y%m%d")) == day), None)
    if found is None:
        raise StaleReference(f"day {day} is not offered now")
    return found


@dataclass(frozen=True)
class ScheduledAnnouncement:
    post_id: int
    announcement_id: int
    due_at: datetime
    opening: str  # the first words, to recognise it


def scheduled_announcements(*, session: Session, class_id: int, limit: int = 10) -> list[ScheduledAnnouncement]:
    """The class's announcements waiting for their time, soonest first."""
    rows = session.exec(select(ScheduledPost, Announcement)
                        .join(Announcement, col(Announcement.id) == col(ScheduledPost.announcement_id))
                        .where(ScheduledPost.class_id == class_id, ScheduledPost.status == "pending")
                        .order_by(col(ScheduledPost.due_at)).limit(limit)).all()
    found = []
    for post, announcement in rows:
        parts: list[str] = json.loads(announcement.parts)
        opening = " ".join((parts[0] if parts else "").split())[:60]
        found.append(ScheduledAnnouncement(stored_id(post), stored_id(announcement), post.due_at, opening))
    return found


def _own_pending_post(session: Session, telegram_id: int, post_id: int) -> tuple[ScheduledPost, Classroom]:
    post = session.get(ScheduledPost, post_id)
    if post is None or post.status != "pending" or post.announcement_id is None:
        raise StaleReference(f"post {post_id} is not a scheduled announcement")
    try:
        klass = classes.require_class(session=session, telegram_id=telegram_id, ref=f"#{post.class_id}")
    except (NotInstructor, ClassNotFound):
        raise StaleReference(f"post {post_id} is not one of {telegram_id}'s classes") from None
    return post, klass


def cancel_post(*, session: Session, telegram_id: int, post_id: int) -> tuple[int, str]:
    """Cancel a scheduled announcement (it will not go out); its id and class name."""
    post, klass = _own_pending_post(session, telegram_id, post_id)
    post.status = "cancelled"
    session.add(post)
    announcement = session.get(Announcement, post.announcement_id)
    if announcement is not None:
        announcement.status = "cancelled"
        session.add(announcement)
    return post.announcement_id or 0, klass.name


def free_post(*, session: Session, telegram_id: int, post_id: int) -> tuple[int, Classroom]:
    """Take a scheduled announcement off its time (it is a draft again, to schedule anew); its id and class."""
    post, klass = _own_pending_post(session, telegram_id, post_id)
    post.status = "cancelled"
    session.add(post)
    return post.announcement_id or 0, klass
