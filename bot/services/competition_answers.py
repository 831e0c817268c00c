"""Players' answers to a game's quiz polls, stored many at a time: one unit of work for a batch of answers.

Under load (100 groups of 50 answering at once) one transaction per answer kept the database thread busy and
the questions' closes waited behind the answers. `record_answers` stores a batch with a few statements per poll
and keeps the rules of `competitions.record_answer` exactly: only the current, open question of a running game;
a player's first answer only (the earliest received wins, in the batch as against the stored ones); a player
who was not in the game yet joins it. Each answer keeps the time the bot received it (`now`), not the time the
batch was written. Scores are still computed from these raw answers (`competition_scoring.standings`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.services.competitions import record_answer
from bot.storage.competition_models import (
    ActiveGame,
    GameAnswer,
    GamePlayer,
    GameQuestion,
    QuizGame,
    QuizGroupMember,
)

__all__ = ["ReceivedAnswer", "open_poll_ids", "record_answers"]


@dataclass(frozen=True)
class ReceivedAnswer:
    """A player's answer to a poll, with the time the bot received it from Telegram."""

    poll_id: str
    telegram_id: int
    first_name: str
    option: int
    received_at: datetime


def record_answers(*, session: Session, answers: Sequence[ReceivedAnswer]) -> tuple[bool, ...]:
    """Keep each answer that is a player's first to a game's current open question; True where kept, in order."""
    kept: dict[int, bool] = {}
    by_poll: dict[str, list[tuple[int, ReceivedAnswer]]] = {}
    for index, answer in sorted(enumerate(answers), key=lambda item: (item[1].received_at, item[0])):
        by_poll.setdefault(answer.poll_id, []).append((index, answer))
    for poll_id, received in by_poll.items():
        try:
            with session.begin_nested():
                kept.update(_record_poll(session, poll_id, received))
        except IntegrityError:  # another writer stored one of them meanwhile: answer by answer, as before
            for index, answer in received:
                kept[index] = record_answer(session=session, poll_id=answer.poll_id, telegram_id=answer.telegram_id,
                                            first_name=answer.first_name, option=answer.option,
                                            now=answer.received_at)
    return tuple(kept.get(index, False) for index in range(len(answers)))


def open_poll_ids(*, session: Session) -> list[str]:
    """The polls of questions still open in running games (to recognise their answers after a restart)."""
    rows = session.exec(select(GameQuestion.poll_id).join(ActiveGame, col(ActiveGame.game_id) == GameQuestion.game_id)
                        .where(col(GameQuestion.poll_id).is_not(None), col(GameQuestion.closed).is_(False))).all()
    return [poll_id for poll_id in rows if poll_id]


def _record_poll(session: Session, poll_id: str,
                 received: list[tuple[int, ReceivedAnswer]]) -> dict[int, bool]:
    row = session.exec(select(GameQuestion).where(GameQuestion.poll_id == poll_id)).first()
    if row is None or row.closed or row.sent_at is None:
        return {}
    game = session.get(QuizGame, row.game_id)
    if game is None or game.status != "running" or game.current_index != row.position:
        return {}
    sent_at, game_id = row.sent_at, row.game_id
    answered = set(session.exec(select(GameAnswer.telegram_id).where(
        GameAnswer.game_id == game_id, GameAnswer.position == row.position)).all())
    players = set(session.exec(select(GamePlayer.telegram_id).where(GamePlayer.game_id == game_id)).all())
    kept: dict[int, bool] = {}
    joining: dict[int, str] = {}
    for index, answer in received:
        if answer.telegram_id in answered:
            continue  # a second answer from the same player counts nothing
        answered.add(answer.telegram_id)
        kept[index] = True
        if answer.telegram_id not in players:
            players.add(answer.telegram_id)
            joining[answer.telegram_id] = answer.first_name[:128]
            session.add(GamePlayer(game_id=game_id, telegram_id=answer.telegram_id,
                                   first_name=answer.first_name[:128], joined_at=answer.received_at))
        elapsed_ms = max(0, round((answer.received_at - sent_at).total_seconds() * 1000))
        session.add(GameAnswer(game_id=game_id, position=row.position, telegram_id=answer.telegram_id,
                               option=answer.option, elapsed_ms=elapsed_ms, answered_at=answer.received_at))
    if joining:
        members = {m.telegram_id: m for m in session.exec(select(QuizGroupMember).where(
            QuizGroupMember.chat_id == game.chat_id, col(QuizGroupMember.telegram_id).in_(list(joining)))).all()}
        for telegram_id, first_name in joining.items():
            member = members.get(telegram_id)
            if member is None:
                session.add(QuizGroupMember(chat_id=game.chat_id, telegram_id=telegram_id, first_name=first_name))
            else:
                member.left, member.first_name = False, first_name
    session.flush()
    return kept
