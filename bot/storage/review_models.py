"""Tables of spaced review, shuffled quiz polls, the final exam and certificates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

__all__ = ["Certificate", "ExamAttempt", "PollOrder", "ReviewCard"]


class ReviewCard(SQLModel, table=True):
    """One quiz question in one learner's FSRS schedule (the fsrs Card, as JSON)."""

    __tablename__ = "review_card"
    __table_args__ = (UniqueConstraint("learner_id", "course_id", "question_id"),)

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id", index=True)
    course_id: str = Field(max_length=64)
    question_id: str = Field(max_length=64)
    card: str = Field(sa_column=Column(Text, nullable=False))
    due: datetime = Field(index=True)
    reviews: int = 0
    lapses: int = 0
    updated_at: datetime


class PollOrder(SQLModel, table=True):
    """The option order a quiz poll was sent with: poll answers carry positions, not options."""

    __tablename__ = "poll_order"

    poll_id: str = Field(primary_key=True, max_length=64)
    option_order: str = Field(max_length=32)


class ExamAttempt(SQLModel, table=True):
    """One sitting of the final exam: its questions (fixed when it starts) and the answers so far."""

    __tablename__ = "exam_attempt"

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id", index=True)
    course_id: str = Field(max_length=64)
    question_ids: str = Field(sa_column=Column(Text, nullable=False))  # comma-separated, in asking order
    answers: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))  # "1,0,1…"
    started_at: datetime
    finished_at: datetime | None = None
    score: int | None = None
    passed: bool | None = None


class Certificate(SQLModel, table=True):
    """A certificate issued to a learner; anyone can check its code with /verify."""

    __tablename__ = "certificate"

    code: str = Field(primary_key=True, max_length=32)
    learner_id: int = Field(foreign_key="learner.id", index=True)
    course_id: str = Field(max_length=64)
    name: str = Field(max_length=128)
    course_title: str = Field(max_length=200)
    score: int
    total: int
    issued_at: datetime
