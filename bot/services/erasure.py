"""/forget and the retention purge: erase everything about a learner (the right to erasure, GDPR art. 17).

    forget_learner(session=s, learner_id=7, now=now)

One transaction. Rows that are only the learner's are deleted, whatever table they are in (every column
that refers to learner.id, read from the models). What others still see is kept, anonymised: a group's
games and boards keep the points under "a former member" (a random negative id, no name), and a
certificate's code answers `/verify` with "withdrawn at its holder's request" (no name, no score).
The bot's messages waiting for them in the outbox, and the option orders of their quiz polls, go too.

Instructors' rows (classes they created or teach, what they announced, the groups they linked) are their
teaching, not their learning: they stay until the instructor deletes the class or leaves its teaching.
The lab workspace is erased by the caller first (bot/services/lab.py: `reset_lab`), while the learner's
id still names it.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, SQLModel, col, select

from bot.services.learner_rows import learner_columns
from bot.storage.competition_models import (
    GameAnswer,
    GamePlayer,
    GameResult,
    GameSchedule,
    QuizGame,
    QuizGroupMember,
)
from bot.storage.models import ConversationStep, Learner, OutboxMessage, SentPoll
from bot.storage.privacy_models import WithdrawnCertificate
from bot.storage.review_models import Certificate, PollOrder

__all__ = ["FINISHED_OUTBOX", "forget_learner", "inactive_learners", "purge_old_outbox"]

FINISHED_OUTBOX = ("sent", "failed", "blocked", "cancelled")


def forget_learner(*, session: Session, learner_id: int, now: datetime) -> bool:
    """Erase the learner (see the module's docstring); False when there was nobody to erase."""
    learner = session.get(Learner, learner_id)
    if learner is None:
        return False
    telegram_id = learner.telegram_id
    for certificate in session.exec(select(Certificate).where(Certificate.learner_id == learner_id)).all():
        session.add(WithdrawnCertificate(code=certificate.code, course_title=certificate.course_title,
                                         withdrawn_at=now))
    polls = select(SentPoll.poll_id).where(SentPoll.learner_id == learner_id)
    session.execute(delete(PollOrder).where(col(PollOrder.poll_id).in_(polls)))
    _anonymise_games(session, telegram_id)
    session.execute(delete(OutboxMessage).where(col(OutboxMessage.chat_id) == telegram_id))
    session.execute(delete(ConversationStep).where(col(ConversationStep.telegram_id) == telegram_id))
    session.flush()
    for table in reversed(SQLModel.metadata.sorted_tables):  # rows that refer to others go first
        for name in learner_columns(table):
            session.execute(delete(table).where(table.c[name] == learner_id))
    session.execute(delete(Learner).where(col(Learner.id) == learner_id))
    session.expunge_all()
    return True


def _anonymise_games(session: Session, telegram_id: int) -> None:
    """The learner's group games keep their points under a random negative id, with no name."""
    former = -1 - secrets.randbits(62)  # Telegram's user ids are positive: never anybody's
    for model in (GamePlayer, GameResult):
        session.execute(update(model).where(col(model.telegram_id) == telegram_id)
                        .values(telegram_id=former, first_name=""))
    session.execute(update(GameAnswer).where(col(GameAnswer.telegram_id) == telegram_id).values(telegram_id=former))
    session.execute(update(QuizGame).where(col(QuizGame.started_by) == telegram_id).values(started_by=former))
    session.execute(update(GameSchedule).where(col(GameSchedule.created_by) == telegram_id).values(created_by=former))
    session.execute(delete(QuizGroupMember).where(col(QuizGroupMember.telegram_id) == telegram_id))


def inactive_learners(*, session: Session, now: datetime, days: int, limit: int = 200) -> list[int]:
    """Ids of learners not seen for `days` days (none when `days` is 0: keep everyone), oldest first."""
    if days <= 0:
        return []
    found = session.exec(select(Learner.id).where(Learner.last_seen_at < now - timedelta(days=days))
                         .order_by(col(Learner.last_seen_at)).limit(limit)).all()
    return [learner_id for learner_id in found if learner_id is not None]


def purge_old_outbox(*, session: Session, now: datetime, days: int) -> int:
    """Delete the outbox's finished rows (copies of what was sent) older than `days` days; returns how many."""
    if days <= 0:
        return 0
    result = session.execute(delete(OutboxMessage).where(
        col(OutboxMessage.status).in_(FINISHED_OUTBOX), col(OutboxMessage.created_at) < now - timedelta(days=days)))
    return int(getattr(result, "rowcount", 0) or 0)
