"""A group linked to a class: its instructors run games there, and its games count in the class's statistics.

One row per link; unlinking stamps `unlinked_at`, so the games played while the group was linked keep counting.
A group has at most one live link (checked by `bot/services/class_groups.py` in the linking unit of work).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel

__all__ = ["ClassGroup"]


class ClassGroup(SQLModel, table=True):
    __tablename__ = "class_group"

    id: int | None = Field(default=None, primary_key=True)
    class_id: int = Field(foreign_key="classroom.id", index=True)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    title: str = Field(default="", max_length=128)
    linked_by: int = Field(sa_column=Column(BigInteger, nullable=False))
    linked_at: datetime
    unlinked_at: datetime | None = None
