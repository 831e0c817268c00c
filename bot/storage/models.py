"""Tables. Every datetime is timezone-aware UTC; local dates are computed in services."""

from __future__ import annotations

from datetime import datetime, time
from typing import Protocol

from sqlalchemy import BigInteger, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

__all__ = [
    "Enrollment",
    "ExerciseAttempt",
    "ExerciseCompletion",
    "Learner",
    "LessonCompletion",
    "QuizAnswer",
    "SentPoll",
    "ShownItem",
    "stored_id",
]


class _Row(Protocol):
    @property
    def id(self) -> int | None: ...


def stored_id(row: _Row) -> int:
    """The id of a row read from the database or flushed to it (only a row never stored has none)."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id: it was never stored")
    return row.id


class Learner(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_column=Column(BigInteger, unique=True, nullable=False, index=True))
    first_name: str = Field(default="", max_length=128)
    language: str = Field(default="fr", max_length=8)
    timezone: str = Field(default="Europe/Paris", max_length=64)
    daily_time: time = Field(default=time(9, 0))
    paused: bool = Field(default=False)
    blocked: bool = Field(default=False)
    terminal_mode: bool = Field(default=False)
    active_course: str | None = Field(default=None, max_length=64)
    active_exercise: str | None = Field(default=None, max_length=64)
    created_at: datetime
    last_seen_at: datetime


class Enrollment(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("learner_id", "course_id"),)

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id", index=True)
    course_id: str = Field(max_length=64)
    next_lesson_id: str | None = Field(default=None, max_length=64)
    enrolled_at: datetime


class LessonCompletion(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("learner_id", "course_id", "lesson_id"),)

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id", index=True)
    course_id: str = Field(max_length=64)
    lesson_id: str = Field(max_length=64)
    completed_at: datetime


class QuizAnswer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id", index=True)
    course_id: str = Field(max_length=64)
    question_id: str = Field(max_length=64)
    choice: int
    correct: bool
    answered_at: datetime


class ShownItem(SQLModel, table=True):
    """What the bot really showed a learner, so a button that moves progress can be checked against it:
    kind "lesson" (its last page was shown) or "question" (asked with `ans:` buttons, `detail` = the options'
    order sent: one row per order, so an older message's buttons still count)."""

    __tablename__ = "shown_item"

    learner_id: int = Field(foreign_key="learner.id", primary_key=True)
    kind: str = Field(primary_key=True, max_length=16)
    item_id: str = Field(primary_key=True, max_length=64)
    detail: str = Field(default="", primary_key=True, max_length=16)


class SentPoll(SQLModel, table=True):
    """Maps a quiz poll to its question: poll_answer updates carry no chat."""

    poll_id: str = Field(primary_key=True, max_length=64)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    learner_id: int = Field(foreign_key="learner.id", index=True)
    course_id: str = Field(max_length=64)
    question_id: str = Field(max_length=64)
    message_id: int
    sent_at: datetime


class ExerciseAttempt(SQLModel, table=True):
    """Every lab command, build and check, including those the lab could not run."""

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id", index=True)
    course_id: str | None = Field(default=None, max_length=64)
    exercise_id: str | None = Field(default=None, max_length=64)
    kind: str = Field(max_length=16)  # command | build | check
    input: str
    status: str = Field(max_length=16)  # ok | failed | timeout | oom | unavailable | rejected
    exit_code: int | None = None
    duration_ms: int | None = None
    output_excerpt: str = ""
    created_at: datetime


class ExerciseCompletion(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("learner_id", "course_id", "exercise_id"),)

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id", index=True)
    course_id: str = Field(max_length=64)
    exercise_id: str = Field(max_length=64)
    completed_at: datetime


from bot.storage.class_group_models import ClassGroup as ClassGroup  # noqa: E402,F401
from bot.storage.class_models import Announcement as Announcement  # noqa: E402,F401
from bot.storage.class_models import ClassInstructor as ClassInstructor  # noqa: E402,F401
from bot.storage.class_models import ClassInvite as ClassInvite  # noqa: E402,F401
from bot.storage.class_models import ClassMember as ClassMember  # noqa: E402,F401
from bot.storage.class_models import Classroom as Classroom  # noqa: E402,F401
from bot.storage.class_models import LessonSent as LessonSent  # noqa: E402,F401
from bot.storage.class_models import PlanEntry as PlanEntry  # noqa: E402,F401
from bot.storage.class_models import ScheduledPost as ScheduledPost  # noqa: E402,F401
from bot.storage.competition_models import *  # noqa: F401,F403,E402
from bot.storage.conversation_models import ConversationStep as ConversationStep  # noqa: E402,F401
from bot.storage.installation_models import Installation as Installation  # noqa: E402,F401
from bot.storage.outbox_models import DailySchedule as DailySchedule  # noqa: E402,F401
from bot.storage.outbox_models import OutboxMessage as OutboxMessage  # noqa: E402,F401
from bot.storage.privacy_models import WithdrawnCertificate as WithdrawnCertificate  # noqa: E402,F401
from bot.storage.review_models import *  # noqa: F401,F403,E402
