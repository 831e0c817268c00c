"""Transactions as services open them: one per unit of work, committed on success.

Handlers and jobs never import bot.storage; they open a transaction here, or better, call a
service that opens its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.services.learners import LearnerDefaults, touch_learner
from bot.storage import session_scope
from bot.storage.models import Learner

__all__ = ["LearnerScope", "learner_transaction", "transaction"]


@dataclass
class LearnerScope:
    """A transaction opened for one learner's update."""

    session: Session
    learner: Learner
    now: datetime
    created: bool

    @property
    def lang(self) -> str:
        return self.learner.language


def transaction(engine: Engine) -> AbstractContextManager[Session]:
    """A session that commits on success and rolls back on error."""
    return session_scope(engine)


@contextmanager
def learner_transaction(
    *, engine: Engine, telegram_id: int, first_name: str, language_code: str | None,
    defaults: LearnerDefaults, now: datetime,
) -> Iterator[LearnerScope]:
    """The learner behind an update (created on first contact), in one transaction."""
    with session_scope(engine) as session:
        learner, created = touch_learner(
            session=session, telegram_id=telegram_id, first_name=first_name,
            language_code=language_code, defaults=defaults, now=now,
        )
        if session.new or session.dirty:
            session.commit()  # SQLite has one writer: never keep its lock while awaiting Telegram
        yield LearnerScope(session=session, learner=learner, now=now, created=created)
