"""Changing a class's time zone after it was created.

What is still to come keeps its local time in the new zone: a calendar day at 09:00 stays at 09:00 (the new
zone's 09:00, DST included), and a post scheduled for 14:30 stays at 14:30. What was already sent is left
as it was. An unknown zone is refused (InvalidSetting) and changes nothing.

A day or post that its local time in the new zone would put in the past (Paris 10:45 is already over in
Tokyo) is never sent early: it keeps the instant it had, and is listed in `kept` so the instructor is told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.services.class_calendar import due_instant
from bot.services.learners import parse_timezone
from bot.storage.models import Classroom, PlanEntry, ScheduledPost, stored_id

__all__ = ["Kept", "ZoneChanged", "change_timezone"]


@dataclass(frozen=True)
class Kept:
    kind: str  # "day" | "post"
    due_at: datetime  # UTC, unchanged


@dataclass(frozen=True)
class ZoneChanged:
    class_name: str
    old: str
    new: str
    days_moved: int  # calendar days still to send
    posts_moved: int  # scheduled posts still pending
    kept: tuple[Kept, ...] = ()  # days and posts kept at their old instant (the new local time has passed)


def change_timezone(*, session: Session, klass: Classroom, timezone: str, now: datetime) -> ZoneChanged:
    """Move the class to `timezone`; future calendar days and pending posts keep their local time."""
    new = parse_timezone(timezone)
    old, class_id = klass.timezone, stored_id(klass)
    klass.timezone = new
    session.add(klass)
    days = session.exec(select(PlanEntry).where(PlanEntry.class_id == class_id,
                                                col(PlanEntry.sent_at).is_(None))).all()
    kept: list[Kept] = []
    for entry in days:
        moved = due_instant(klass, entry.on_date)
        if moved <= now < entry.due_at:
            kept.append(Kept("day", entry.due_at))
        else:
            entry.due_at = moved
        session.add(entry)
    posts = session.exec(select(ScheduledPost).where(ScheduledPost.class_id == class_id,
                                                     ScheduledPost.status == "pending")).all()
    for post in posts:
        local = post.due_at.astimezone(ZoneInfo(old)).replace(tzinfo=None)
        moved = local.replace(tzinfo=ZoneInfo(new)).astimezone(ZoneInfo("UTC"))
        if moved <= now < post.due_at:
            kept.append(Kept("post", post.due_at))
        else:
            post.due_at = moved
        session.add(post)
    kept_days = sum(1 for k in kept if k.kind == "day")
    return ZoneChanged(klass.name, old, new, len(days) - kept_days, len(posts) - (len(kept) - kept_days),
                       tuple(sorted(kept, key=lambda k: k.due_at)))
