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

from sqlalchemy import tuple_
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
    """Keep each answer that is a player's first to a game's current open question; True where kept, in order.

    A handful of statements for the whole batch, whatever the number of polls and players in it."""
    if not answers:
        return ()
    try:
        with session.begin_nested():
            kept = _record_all(session, answers)
    except IntegrityError:  # another writer stored one of them meanwhile: answer by answer, as before
        kept = {index: record_answer(session=session, poll_id=a.poll_id, telegram_id=a.telegram_id,
                                     first_name=a.first_name, option=a.option, now=a.received_at)
                for index, a in sorted(enumerate(answers), key=lambda item: (item[1].received_at, item[0]))}
    return tuple(kept.get(index, False) for index in range(len(answers)))


def open_poll_ids(*, session: Session) -> dict[str, int]:
    """The polls of questions still open in running games, with their group's chat id (to recognise their answers
    after a restart, and to tell who may give them)."""
    rows = session.exec(select(GameQuestion.poll_id, ActiveGame.chat_id)
                        .join(ActiveGame, col(ActiveGame.game_id) == GameQuestion.game_id)
                        .where(col(GameQuestion.poll_id).is_not(None), col(GameQuestion.closed).is_(False))).all()
    return {poll_id: chat_id for poll_id, chat_id in rows if poll_id}


def _record_all(session: Session, answers: Sequence[ReceivedAnswer]) -> dict[int, bool]:
    polls = {a.poll_id for a in answers}
    questions = {q.poll_id: q for q in session.exec(select(GameQuestion).where(col(GameQuestion.poll_id).in_(polls)))}
    games = {g.id: g for g in session.exec(select(QuizGame).where(
        col(QuizGame.id).in_({q.game_id for q in questions.values()})))}
    open_polls = {poll_id: q for poll_id, q in questions.items()
                  if not q.closed and q.sent_at is not None and (game := games.get(q.game_id)) is not None
                  and game.status == "running" and game.current_index == q.position}
    if not open_polls:
        return {}
    game_ids = {q.game_id for q in open_polls.values()}
    who = {a.telegram_id for a in answers}
    answered = set(session.exec(select(GameAnswer.game_id, GameAnswer.position, GameAnswer.telegram_id).where(
        tuple_(GameAnswer.game_id, GameAnswer.position).in_([(q.game_id, q.position) for q in open_polls.values()]),
        col(GameAnswer.telegram_id).in_(who))).all())
    players = set(session.exec(select(GamePlayer.game_id, GamePlayer.telegram_id).where(
        col(GamePlayer.game_id).in_(game_ids), col(GamePlayer.telegram_id).in_(who))).all())
    kept: dict[int, bool] = {}
    joining: dict[tuple[int, int], str] = {}  # (chat, player) -> name
    for index, answer in sorted(enumerate(answers), key=lambda item: (item[1].received_at, item[0])):
        row = open_polls.get(answer.poll_id)
        if row is None or row.sent_at is None:
            continue
        key = (row.game_id, row.position, answer.telegram_id)
        if key in answered:
            continue  # a second answer from the same player counts nothing
        answered.add(key)
        kept[index] = True
        if (row.game_id, answer.telegram_id) not in players:
            players.add((row.game_id, answer.telegram_id))
            joining[(games[row.game_id].chat_id, answer.telegram_id)] = answer.first_name[:128]
            session.add(GamePlayer(game_id=row.game_id, telegram_id=answer.telegram_id,
                                   first_name=answer.first_name[:128], joined_at=answer.received_at))
        elapsed_ms = max(0, round((answer.received_at - row.sent_at).total_seconds() * 1000))
        session.add(GameAnswer(game_id=row.game_id, position=row.position, telegram_id=answer.telegram_id,
                               option=answer.option, elapsed_ms=elapsed_ms, answered_at=answer.received_at))
    if joining:
        _join_groups(session, joining)
    session.flush()
    return kept


def _join_groups(session: Session, joining: dict[tuple[int, int], str]) -> None:
    """New players become (or are again) members of their group."""
    members = {(m.chat_id, m.telegram_id): m for m in session.exec(select(QuizGroupMember).where(
        col(QuizGroupMember.chat_id).in_({chat for chat, _player in joining}),
        col(QuizGroupMember.telegram_id).in_({player for _chat, player in joining})))}
    for (chat_id, telegram_id), first_name in joining.items():
        member = members.get((chat_id, telegram_id))
        if member is None:
            session.add(QuizGroupMember(chat_id=chat_id, telegram_id=telegram_id, first_name=first_name))
        else:
            member.left, member.first_name = False, first_name
