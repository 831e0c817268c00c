"""Tables of instructors' classes: the class, its instructors, invites, members, calendar and posts.

Every datetime is timezone-aware UTC. A plan entry stores its due instant (the class's local
lesson time on that date, computed with the class's zone, DST included), indexed for the sweep.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import BigInteger, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

__all__ = ["Announcement", "ClassInstructor", "ClassInvite", "ClassMember", "Classroom", "LessonSent", "PlanEntry",
           "ScheduledPost"]


class Classroom(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64)
    course_id: str = Field(max_length=64)
    timezone: str = Field(default="Europe/Paris", max_length=64)
    lesson_time: time = Field(default=time(9, 0))
    created_by: int = Field(sa_column=Column(BigInteger, nullable=False))
    created_at: datetime
    deleted_at: datetime | None = None


class ClassInstructor(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("class_id", "telegram_id"),)

    id: int | None = Field(default=None, primary_key=True)
    class_id: int = Field(foreign_key="classroom.id", index=True)
    telegram_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    role: str = Field(default="owner", max_length=16)  # owner | co
    added_at: datetime
    chosen_at: datetime | None = None  # when the instructor last chose this class: their commands act on it


class ClassInvite(SQLModel, table=True):
    """A join code (learners) or a one-time instructor invite: unguessable, revocable, may expire."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    class_id: int = Field(foreign_key="classroom.id", index=True)
    kind: str = Field(default="join", max_length=16)  # join | instructor
    created_at: datetime
    expires_at: datetime | None = None
    max_uses: int | None = None  # join: the class's member cap; instructor: 1
    uses: int = Field(default=0)
    revoked: bool = Field(default=False)


class ClassMember(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("class_id", "learner_id"),)

    id: int | None = Field(default=None, primary_key=True)
    class_id: int = Field(foreign_key="classroom.id", index=True)
    learner_id: int = Field(foreign_key="learner.id", index=True)
    joined_at: datetime
    left_at: datetime | None = None


class PlanEntry(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("class_id", "on_date"),)

    id: int | None = Field(default=None, primary_key=True)
    class_id: int = Field(foreign_key="classroom.id", index=True)
    on_date: date
    lesson_id: str = Field(max_length=64)
    due_at: datetime = Field(index=True)
    sent_at: datetime | None = None


class ScheduledPost(SQLModel, table=True):
    """A lesson or an announcement an instructor scheduled for a given instant."""

    id: int | None = Field(default=None, primary_key=True)
    class_id: int = Field(foreign_key="classroom.id", index=True)
    kind: str = Field(max_length=16)  # lesson | announcement
    lesson_id: str | None = Field(default=None, max_length=64)
    announcement_id: int | None = Field(default=None, foreign_key="announcement.id")
    due_at: datetime = Field(index=True)
    status: str = Field(default="pending", max_length=16)  # pending | sent | cancelled
    created_by: int = Field(sa_column=Column(BigInteger, nullable=False))
    created_at: datetime


class Announcement(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    class_id: int = Field(foreign_key="classroom.id", index=True)
    author: int = Field(sa_column=Column(BigInteger, nullable=False))
    parts: str  # JSON list of Telegram HTML messages (a long text is split)
    photo_file_id: str | None = Field(default=None, max_length=200)
    document_file_id: str | None = Field(default=None, max_length=200)
    status: str = Field(default="draft", max_length=16)  # draft | sent | scheduled | cancelled
    batch: str | None = Field(default=None, max_length=64)
    created_at: datetime


class LessonSent(SQLModel, table=True):
    """A lesson pushed to a learner by a class: never twice, whichever class pushes it."""

    __table_args__ = (UniqueConstraint("learner_id", "course_id", "lesson_id"),)

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id", index=True)
    course_id: str = Field(max_length=64)
    lesson_id: str = Field(max_length=64)
    sent_at: datetime
