"""Tables of the outbox (everything the bot sends on its own) and of the daily schedule.

One OutboxMessage row per recipient per message: its `key` is unique, so enqueuing the same
message twice stores it once. The sender claims queued rows whose `not_before` has passed, in
`priority` order (lower first), and records the outcome after Telegram answered.
DailySchedule keeps each learner's next due instant, indexed: the sweep reads only due rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Index
from sqlmodel import Field, SQLModel

__all__ = ["DailySchedule", "OutboxMessage"]


class OutboxMessage(SQLModel, table=True):
    __table_args__ = (Index("ix_outbox_due", "status", "not_before", "priority"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)  # idempotency key: one row per recipient per message
    kind: str = Field(max_length=32)  # how the sender renders `payload` (text, bundle, photo, ...)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    payload: str  # JSON
    priority: int = Field(default=10)
    batch: str | None = Field(default=None, max_length=64, index=True)  # a broadcast, for its progress
    status: str = Field(default="queued", max_length=16)  # queued | claimed | sent | failed | blocked | cancelled
    attempts: int = Field(default=0)
    not_before: datetime
    created_at: datetime
    claimed_at: datetime | None = None
    sent_at: datetime | None = None
    error: str | None = Field(default=None, max_length=500)


class DailySchedule(SQLModel, table=True):
    learner_id: int = Field(foreign_key="learner.id", primary_key=True)
    next_due_at: datetime = Field(index=True)
