"""Group quiz games: open, join, start, send questions, take answers, close questions, finish.

Every step is a unit of work on durable rows (bot/storage/competition_models.py), so a restarted bot
finds each game where it was (`pending_timers`) and re-arms its timers. Scores are never stored per
answer: they are computed from the raw answers by `competition_scoring.standings`, the one formula.
Times of the game itself (poll sent, answer received) come from the game clock; dates that decide a
week or a season come from the calendar clock (both injected).
"""

from __future__ import annotations

import random
from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.content import Catalog, Course
from bot.services.competition_errors import (
    GameAlreadyRunning,
    NoGame,
    NoSuchModule,
    NotAMember,
    NotThisLobby,
)
from bot.services.competition_groups import ensure_group
from bot.services.competition_scoring import AnswerRecord, QuestionRecord, standings
from bot.services.competition_values import (
    FinalResult,
    GameView,
    PendingTimer,
    QuestionToSend,
    RoundResult,
    Standing,
)
from bot.storage.class_group_models import ClassGroup
from bot.storage.competition_models import (
    ActiveGame,
    GameAnswer,
    GamePlayer,
    GameQuestion,
    GameResult,
    QuizGame,
    QuizGroup,
    QuizGroupMember,
)
from bot.storage.models import stored_id

__all__ = ["CLOSE_GRACE", "active_game", "close_question", "finish_game", "join_game", "open_game",
           "pending_timers", "question_to_send", "record_answer", "record_sent", "set_lobby_message", "set_paused",
           "start_game"]

CLOSE_GRACE = timedelta(milliseconds=400)
"""The bot closes a question this long after its deadline, so answers already on their way are read."""


def group_course(catalog: Catalog, language: str) -> Course:
    courses = sorted(catalog.courses.values(), key=lambda c: (c.language != language, c.id))
    if not courses:
        raise NoSuchModule("")
    return courses[0]


def open_game(*, session: Session, catalog: Catalog, chat_id: int, title: str, by: int, module_id: str,
              count: int, timer: int, lobby_seconds: int, now: datetime, rng: random.Random,
              course_id: str | None = None, question_ids: Collection[str] = ()) -> GameView:
    """A new game with its questions drawn and shuffled; GameAlreadyRunning if the group has one.

    A group linked to a class plays its class's course (`course_id`), drawn from `question_ids` when given
    and no module is named (bot/services/class_groups.py: game_source)."""
    group = ensure_group(session=session, chat_id=chat_id, title=title, now=now)
    running = session.get(ActiveGame, chat_id)
    if running is not None:
        other = session.get(QuizGame, running.game_id)
        raise GameAlreadyRunning(running.game_id, other.status if other else "running")
    course = catalog.courses[course_id] if course_id in catalog.courses else group_course(catalog, group.language)
    if module_id and course.module(module_id) is None:
        raise NoSuchModule(module_id)
    pool = course.module_questions(module_id) if module_id else course.questions_in_order()
    if question_ids and not module_id:
        wanted = set(question_ids)
        pool = [question for question in pool if question.id in wanted] or pool
    if not pool:
        raise NoSuchModule(module_id)
    chosen = rng.sample(pool, min(count, len(pool)))
    game = QuizGame(chat_id=chat_id, status="lobby" if lobby_seconds else "running", course_id=course.id,
                    module_id=module_id, question_count=len(chosen), timer_seconds=timer, started_by=by,
                    lobby_ends_at=now + timedelta(seconds=lobby_seconds) if lobby_seconds else None, created_at=now)
    session.add(game)
    session.flush()
    try:
        with session.begin_nested():  # the database refuses a second game in the group (two /quiz at once)
            session.add(ActiveGame(chat_id=chat_id, game_id=stored_id(game)))
    except IntegrityError:
        raise GameAlreadyRunning(0, "running") from None
    for position, question in enumerate(chosen):
        order = list(range(len(question.options)))
        rng.shuffle(order)
        session.add(GameQuestion(game_id=stored_id(game), position=position, question_id=question.id,
                                 option_order=",".join(map(str, order)), correct_option=order.index(question.answer)))
    return _view(session, game, group)


def set_lobby_message(*, session: Session, game_id: int, message_id: int) -> None:
    _game(session, game_id).lobby_message_id = message_id


def join_game(*, session: Session, chat_id: int, lobby_message_id: int, telegram_id: int, first_name: str,
              is_member: bool, now: datetime) -> bool:
    """Add a member of the group to the game whose lobby is `lobby_message_id` in `chat_id` (the message the Join
    button was pressed on, as Telegram says); False when already in. NotThisLobby for any other message, NotAMember
    for someone outside the group."""
    running = session.get(ActiveGame, chat_id)
    game = _game(session, running.game_id) if running is not None else None
    if game is None or game.lobby_message_id != lobby_message_id or game.status not in ("lobby", "running"):
        raise NotThisLobby()
    if not is_member:
        raise NotAMember()
    return _add_player(session, game, telegram_id, first_name, now)


def start_game(*, session: Session, game_id: int, scoreboard_message_id: int | None) -> GameView:
    game = _game(session, game_id)
    game.status = "running"
    game.scoreboard_message_id = scoreboard_message_id
    return _view(session, game)


def set_scoreboard(*, session: Session, game_id: int, message_id: int) -> None:
    _game(session, game_id).scoreboard_message_id = message_id


def active_game(*, session: Session, chat_id: int) -> GameView | None:
    running = session.get(ActiveGame, chat_id)
    return _view(session, _game(session, running.game_id)) if running else None


def game_view(*, session: Session, game_id: int) -> GameView:
    return _view(session, _game(session, game_id))


def question_to_send(*, session: Session, catalog: Catalog, game_id: int) -> QuestionToSend | None:
    """The game's next question, options in this game's order; None when every question was asked."""
    game = _game(session, game_id)
    if game.status != "running":
        return None
    row = _question(session, game_id, game.current_index + 1)
    if row is None:
        return None
    course = catalog.courses[game.course_id]
    question = course.question(row.question_id)
    if question is None:  # the course changed under a running game: skip the question
        game.current_index += 1
        return question_to_send(session=session, catalog=catalog, game_id=game_id)
    order = [int(i) for i in row.option_order.split(",")]
    return QuestionToSend(game_id=game_id, chat_id=game.chat_id, position=row.position, total=game.question_count,
                          text=question.question, options=tuple(question.options[i] for i in order),
                          correct_option=row.correct_option, explanation=question.explanation,
                          timer=game.timer_seconds)


def record_sent(*, session: Session, game_id: int, position: int, poll_id: str, message_id: int,
                sent_at: datetime) -> datetime:
    """The question is out: it becomes the game's current one; returns when the bot closes it."""
    game = _game(session, game_id)
    row = _question(session, game_id, position)
    assert row is not None
    row.poll_id, row.message_id, row.sent_at = poll_id, message_id, sent_at
    row.closes_at = sent_at + timedelta(seconds=game.timer_seconds)
    game.current_index = position
    return row.closes_at + CLOSE_GRACE


def record_answer(*, session: Session, poll_id: str, telegram_id: int, first_name: str, option: int,
                  now: datetime) -> bool:
    """Keep a player's first answer to the game's current question; False for anything else."""
    row = session.exec(select(GameQuestion).where(GameQuestion.poll_id == poll_id)).first()
    if row is None or row.closed or row.sent_at is None:
        return False
    game = _game(session, row.game_id)
    if game.status != "running" or game.current_index != row.position:
        return False
    _add_player(session, game, telegram_id, first_name, now)
    elapsed_ms = max(0, round((now - row.sent_at).total_seconds() * 1000))
    try:
        with session.begin_nested():
            session.add(GameAnswer(game_id=row.game_id, position=row.position, telegram_id=telegram_id,
                                   option=option, elapsed_ms=elapsed_ms, answered_at=now))
    except IntegrityError:  # a second answer from the same player
        return False
    return True


def close_question(*, session: Session, catalog: Catalog, game_id: int, position: int) -> RoundResult | None:
    """Close the question (once: None if it was already closed) and give the round's result."""
    game = _game(session, game_id)
    row = _question(session, game_id, position)
    if row is None or row.closed or game.status != "running":
        return None
    row.closed = True
    session.flush()
    question = catalog.courses[game.course_id].question(row.question_id)
    answers = session.exec(select(GameAnswer).where(GameAnswer.game_id == game_id,
                                                    GameAnswer.position == position)).all()
    in_time = [a for a in answers if a.elapsed_ms <= game.timer_seconds * 1000]
    options = [int(i) for i in row.option_order.split(",")]
    return RoundResult(
        game=_view(session, game), position=position, question=question.question if question else "",
        answer=question.options[options[row.correct_option]] if question else "",
        explanation=question.explanation if question else "", answered=len(in_time),
        right=sum(a.option == row.correct_option for a in in_time), standings=_standings(session, game),
        last=position + 1 >= game.question_count)


def set_paused(*, session: Session, game_id: int, paused: bool) -> GameView:
    """Pause after the current question (it still closes and scores), or resume."""
    game = _game(session, game_id)
    if game.status not in ("lobby", "running"):
        raise NoGame()
    game.paused = paused
    return _view(session, game)


def skip_question(*, session: Session, game_id: int) -> int:
    """The position of the current question, for an admin's skip (it closes now)."""
    game = _game(session, game_id)
    if game.status != "running":
        raise NoGame()
    return game.current_index


def finish_game(*, session: Session, game_id: int, now: datetime, stopped: bool = False) -> FinalResult | None:
    """End the game (once), keep each player's result for the lasting boards, free the group."""
    game = _game(session, game_id)
    if game.status in ("finished", "stopped"):
        return None
    game.status = "stopped" if stopped else "finished"
    game.finished_at = now
    running = session.get(ActiveGame, game.chat_id)
    if running is not None and running.game_id == game_id:
        session.delete(running)
    group = session.exec(select(QuizGroup).where(QuizGroup.chat_id == game.chat_id)).first()
    board = _standings(session, game)
    played = sum(1 for q in _questions(session, game_id) if q.closed)
    if played:
        for rank, standing in enumerate(board, start=1):
            session.add(GameResult(chat_id=game.chat_id, game_id=game_id, telegram_id=standing.telegram_id,
                                   first_name=standing.first_name, points=standing.points, correct=standing.correct,
                                   rank=rank, season_number=group.season_number if group else 1, finished_at=now))
    return FinalResult(game=_view(session, game), standings=board, stopped=stopped, questions_played=played)


def pending_timers(*, session: Session) -> list[PendingTimer]:
    """What every game in progress waits for, to re-arm its timers at start-up."""
    timers: list[PendingTimer] = []
    for active in session.exec(select(ActiveGame)).all():
        game = _game(session, active.game_id)
        if game.status == "lobby" and game.lobby_ends_at is not None:
            timers.append(PendingTimer(stored_id(game), game.chat_id, "lobby", -1, game.lobby_ends_at))
            continue
        row = _question(session, stored_id(game), game.current_index)
        if game.paused and (row is None or row.closed):
            continue  # waits for an admin's /quiz resume
        if row is not None and not row.closed and row.closes_at is not None:
            timers.append(PendingTimer(stored_id(game), game.chat_id, "close", row.position, row.closes_at + CLOSE_GRACE))
        else:  # between two questions when the bot stopped: go on
            timers.append(PendingTimer(stored_id(game), game.chat_id, "next", game.current_index + 1, game.created_at))
    return timers


# -- inside ---------------------------------------------------------------------------------------
def _game(session: Session, game_id: int) -> QuizGame:
    game = session.get(QuizGame, game_id)
    if game is None:
        raise NoGame()
    return game


def _question(session: Session, game_id: int, position: int) -> GameQuestion | None:
    return session.exec(select(GameQuestion).where(GameQuestion.game_id == game_id,
                                                   GameQuestion.position == position)).first()


def _questions(session: Session, game_id: int) -> list[GameQuestion]:
    return list(session.exec(select(GameQuestion).where(GameQuestion.game_id == game_id)
                             .order_by(col(GameQuestion.position))).all())


def _add_player(session: Session, game: QuizGame, telegram_id: int, first_name: str, now: datetime) -> bool:
    game_id = stored_id(game)
    if session.exec(select(GamePlayer).where(GamePlayer.game_id == game_id,
                                             GamePlayer.telegram_id == telegram_id)).first() is not None:
        return False
    session.add(GamePlayer(game_id=game_id, telegram_id=telegram_id, first_name=first_name[:128], joined_at=now))
    member = session.exec(select(QuizGroupMember).where(QuizGroupMember.chat_id == game.chat_id,
                                                        QuizGroupMember.telegram_id == telegram_id)).first()
    if member is None:
        session.add(QuizGroupMember(chat_id=game.chat_id, telegram_id=telegram_id, first_name=first_name[:128]))
    else:
        member.left, member.first_name = False, first_name[:128]
    session.flush()
    return True


def _standings(session: Session, game: QuizGame) -> tuple[Standing, ...]:
    game_id = stored_id(game)
    questions = [QuestionRecord(q.position, str(q.position), q.correct_option, float(game.timer_seconds))
                 for q in _questions(session, game_id) if q.closed]
    answers = [AnswerRecord(a.telegram_id, str(a.position), a.option, a.elapsed_ms / 1000)
               for a in session.exec(select(GameAnswer).where(GameAnswer.game_id == game_id)).all()]
    players = {p.telegram_id: p.first_name
               for p in session.exec(select(GamePlayer).where(GamePlayer.game_id == game_id)).all()}
    return tuple(Standing(s.player, players.get(s.player, "?"), s.points, s.correct, round(s.total_time, 3),
                          s.fastest_correct)
                 for s in standings(questions, answers, players))


def _view(session: Session, game: QuizGame, group: QuizGroup | None = None) -> GameView:
    group = group or session.exec(select(QuizGroup).where(QuizGroup.chat_id == game.chat_id)).first()
    names = session.exec(select(GamePlayer.first_name).where(GamePlayer.game_id == stored_id(game))
                         .order_by(col(GamePlayer.id))).all()
    return GameView(id=stored_id(game), chat_id=game.chat_id, status=game.status,
                    language=group.language if group else "fr", course_id=game.course_id, module_id=game.module_id,
                    question_count=game.question_count, timer=game.timer_seconds, current_index=game.current_index,
                    lobby_message_id=game.lobby_message_id, lobby_ends_at=game.lobby_ends_at,
                    scoreboard_message_id=game.scoreboard_message_id, players=tuple(names), paused=game.paused,
                    waiting=_waiting(session, game), class_game=not game.module_id and _linked(session, game.chat_id))


def _linked(session: Session, chat_id: int) -> bool:
    """Is the group linked to a class (its games ask about the class's lessons)?"""
    return session.exec(select(ClassGroup.id).where(ClassGroup.chat_id == chat_id,
                                                    col(ClassGroup.unlinked_at).is_(None)).limit(1)).first() is not None


def _waiting(session: Session, game: QuizGame) -> bool:
    if game.status != "running":
        return False
    row = _question(session, stored_id(game), game.current_index)
    return row is None or row.closed
