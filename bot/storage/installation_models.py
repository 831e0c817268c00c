"""This database's own name: a random token made once, when the bot first starts on it.

Learner ids start again with every new database; the lab names each learner's workspace after the
token too, so a newcomer in a new database never gets the workspace of somebody from an old one.
"""

from __future__ import annotations

from sqlmodel import Field, SQLModel

__all__ = ["Installation"]


class Installation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=32, unique=True)
