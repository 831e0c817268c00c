"""What the bot waits for in a private chat, so a two-step command survives a restart.

`/announce` alone asks for the text, and the instructor's next message (text, photo or Markdown file) is the
announcement. The step is kept here, one row per person, until that message comes, `/cancel`, or it expires.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel

__all__ = ["ConversationStep"]


class ConversationStep(SQLModel, table=True):
    telegram_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    step: str = Field(max_length=32)  # "announce"
    class_ref: str | None = Field(default=None, max_length=96)  # "#12", or what the answer completes: "{when} #a5"
    started_at: datetime
