"""Two-step commands: what the bot waits for from a person in their private chat.

`/announce` alone asks for the announcement, and the instructor's next message is it. The step is a row
(bot/storage/conversation_models.py), so a restart between the two messages loses nothing, and expires after
STEP_TTL (a text sent the next day is no longer an announcement). `Waiting` mirrors the open steps in memory, so
the many messages that answer no step cost no database trip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, delete, select

from bot.storage.models import ConversationStep

__all__ = ["STEP_TTL", "OpenStep", "Waiting", "begin", "clear", "open_steps", "take"]

STEP_TTL = timedelta(hours=1)


@dataclass(frozen=True)
class OpenStep:
    step: str
    class_ref: str | None


@dataclass
class Waiting:
    """The people the bot waits for (telegram id -> step), mirrored from the database."""

    steps: dict[int, str] = field(default_factory=dict)

    def __contains__(self, telegram_id: object) -> bool:
        return telegram_id in self.steps


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def begin(*, session: Session, telegram_id: int, step: str, class_ref: str | None, now: datetime) -> None:
    """Wait for `telegram_id`'s next message as `step` (replacing any step already open)."""
    row = session.get(ConversationStep, telegram_id)
    if row is None:
        row = ConversationStep(telegram_id=telegram_id, step=step, class_ref=class_ref, started_at=now)
    else:
        row.step, row.class_ref, row.started_at = step, class_ref, now
    session.add(row)


def take(*, session: Session, telegram_id: int, now: datetime) -> OpenStep | None:
    """The step this message answers (closed by it), or None (none open, or expired)."""
    row = session.get(ConversationStep, telegram_id)
    if row is None:
        return None
    session.delete(row)
    if _aware(row.started_at) + STEP_TTL < now:
        return None
    return OpenStep(row.step, row.class_ref)


def clear(*, session: Session, telegram_id: int) -> bool:
    """Close the step (/cancel); whether one was open."""
    row = session.get(ConversationStep, telegram_id)
    if row is None:
        return False
    session.delete(row)
    return True


def open_steps(*, session: Session, now: datetime) -> dict[int, str]:
    """The steps still open (at start-up); expired ones are removed."""
    session.exec(delete(ConversationStep).where(col(ConversationStep.started_at) < now - STEP_TTL))
    return {row.telegram_id: row.step for row in session.exec(select(ConversationStep)).all()}
