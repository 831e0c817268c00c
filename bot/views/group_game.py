"""The Telegram side of group games: lobby, questions as quiz polls, scoreboard edits, leaderboard, timers.

Shared by the handlers (a game starts, an admin skips or stops) and the start-up job that re-arms the
timers of games in progress (`rearm`), so it sits below both. Every state change goes through
`bot/services/competitions.py` first; the timers are PTB JobQueue jobs named `group-game-<id>`, armed
from the stored times. Telegram failures become game events: a group that became a supergroup is
followed (ChatMigrated), a bot removed (403) or without the right to send polls (400) ends the game.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from telegram import Message, Poll
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.ext import Application, CallbackContext, Job

from bot.context import Services
from bot.i18n import t
from bot.services import competition_groups, competitions
from bot.services.competition_answers import ReceivedAnswer, record_answers
from bot.services.competition_values import GameView, PendingTimer, QuestionToSend, RoundResult
from bot.services.pacing import Priority
from bot.services.unit_of_work import Session
from bot.telegram_pacing import sending_as
from bot.update_receipts import receipts_of
from bot.views.game_answers import GameAnswers
from bot.views.group_quiz import (
    final_text,
    lobby_view,
    poll_explanation,
    poll_question,
    round_text,
    scoreboard_start,
    started_text,
)

__all__ = ["GameGone", "GroupGames", "group_games"]

log = logging.getLogger(__name__)
T = TypeVar("T")
KEY = "group_games"
SETTLE_SECONDS = 5.0
"""A close waits at most this long for answers received before it but not yet handed over by their handler."""


class GameGone(Exception):
    """The group can no longer be reached (bot removed, no rights): the game was ended."""


def group_games(application: Application) -> GroupGames:
    games = application.bot_data.get(KEY)
    if games is None:
        games = application.bot_data[KEY] = GroupGames(application)
    return games


class GroupGames:
    def __init__(self, application: Application) -> None:
        self.application = application
        self.rng = random.Random()
        self._locks: dict[int, asyncio.Lock] = {}
        self._polls: dict[tuple[int, int], str] = {}  # (game, position) -> poll id, for the questions sent
        self.answers = GameAnswers(lambda: self.services.db)
        self._members: dict[int, set[int]] = {}  # chat -> users Telegram said belong to it, while its game runs

    @property
    def services(self) -> Services:
        return self.application.bot_data["services"]

    def now(self) -> datetime:
        return self.services.game_clock.now()

    # -- who may answer -------------------------------------------------------------------------
    def known_member(self, chat_id: int, user_id: int) -> bool:
        """Whether Telegram already said, during this game, that `user_id` belongs to the group."""
        return user_id in self._members.get(chat_id, ())

    def note_member(self, chat_id: int, user_id: int) -> None:
        self._members.setdefault(chat_id, set()).add(user_id)

    def forget_member(self, chat_id: int, user_id: int) -> None:
        """The member left: asked again if they answer (through a forwarded poll, say)."""
        self._members.get(chat_id, set()).discard(user_id)

    # -- the game's steps ----------------------------------------------------------------------
    async def begin(self, game: GameView) -> None:
        """A game was opened: show its lobby and arm its end, or start at once."""
        if game.status == "lobby" and game.lobby_ends_at is not None:
            seconds = max(1, round((game.lobby_ends_at - self.now()).total_seconds()))
            view = lobby_view(game, seconds)
            message = await self._call(game, lambda chat: self.bot.send_message(chat, view.text,
                                                                                reply_markup=view.markup))
            await self.db(lambda s: competitions.set_lobby_message(session=s, game_id=game.id,
                                                                   message_id=message.message_id))
            self.arm(PendingTimer(game.id, game.chat_id, "lobby", -1, game.lobby_ends_at))
            return
        await self.start(game.id)

    async def start(self, game_id: int) -> None:
        """The lobby is over: close it, post the scoreboard, ask the first question."""
        game = await self.db(lambda s: competitions.game_view(session=s, game_id=game_id))
        if game.status not in ("lobby", "running") or game.scoreboard_message_id is not None:
            return
        if game.lobby_message_id is not None:
            text = started_text(game)
            await self._call(game, lambda chat: self.bot.edit_message_text(text, chat_id=chat,
                                                                           message_id=game.lobby_message_id))
        board = await self._call(game, lambda chat: self.bot.send_message(chat, scoreboard_start(game)))
        await self.db(lambda s: competitions.start_game(session=s, game_id=game_id,
                                                        scoreboard_message_id=board.message_id))
        await self.ask_next(game_id)

    async def ask_next(self, game_id: int) -> None:
        """Send the next question as a quiz poll with Telegram's own countdown, or finish."""
        async with self._lock(game_id):
            catalog = self.services.catalog

            def unit(s: Session) -> tuple[GameView, QuestionToSend | None]:
                current = competitions.game_view(session=s, game_id=game_id)
                if current.paused:
                    return current, None
                question = competitions.question_to_send(session=s, catalog=catalog, game_id=game_id)
                return competitions.game_view(session=s, game_id=game_id), question

            game, question = await self.db(unit)  # one trip to the database thread
            if game.paused:
                return  # an admin's /quiz resume asks the next one
            if question is None:
                await self.finish(game_id)
                return
            text = poll_question(game.language, question.position, question.total, question.text)

            def send(chat: int) -> Awaitable[Message]:
                return self.bot.send_poll(
                    chat, text, list(question.options), type=Poll.QUIZ, correct_option_ids=[question.correct_option],
                    is_anonymous=False, open_period=question.timer,
                    explanation=poll_explanation(question.explanation))

            message = await self._call(game, send)
            sent_at = self.now()
            self.answers.watch(message.poll.id, message.chat.id)
            self._polls[(game_id, question.position)] = message.poll.id
            closes = await self.db(lambda s: competitions.record_sent(
                session=s, game_id=game_id, position=question.position, poll_id=message.poll.id,
                message_id=message.message_id, sent_at=sent_at))
            self.arm(PendingTimer(game_id, game.chat_id, "close", question.position, closes))

    async def close(self, game_id: int, position: int) -> None:
        """Close a question with every answer received before now: edit the scoreboard, then go on."""
        catalog = self.services.catalog
        poll_id = self._polls.pop((game_id, position), None)
        answers = await self.answers_received(poll_id)

        def unit(s: Session) -> RoundResult | None:
            record_answers(session=s, answers=answers)
            return competitions.close_question(session=s, catalog=catalog, game_id=game_id, position=position)

        try:
            result = await self.db(unit)
        finally:
            self.answers.stored_elsewhere(len(answers))
        if poll_id is not None:
            self.answers.forget(poll_id)
        if result is None:
            return
        await self._edit_scoreboard(result.game, round_text(result))
        await self.ask_next(game_id)

    async def answers_received(self, poll_id: str | None) -> list[ReceivedAnswer]:
        """The answers to `poll_id` (any poll when unknown) the bot received and has not stored yet, once their
        handlers have had them (at most SETTLE_SECONDS): the close stores them itself."""
        receipts = receipts_of(self.application.update_queue)
        if receipts is not None and not await receipts.settled(poll_id, timeout=SETTLE_SECONDS):
            log.warning("poll %s closes without answers received %s s ago and still not handled", poll_id,
                        SETTLE_SECONDS)
        return await self.answers.take_for_close(poll_id)

    async def finish(self, game_id: int, *, stopped: bool = False) -> None:
        now = self.services.clock.now()
        result = await self.db(lambda s: competitions.finish_game(session=s, game_id=game_id, now=now,
                                                                  stopped=stopped))
        self.disarm(game_id)
        for key in [key for key in self._polls if key[0] == game_id]:  # a question left open by /quiz stop
            self.answers.forget(self._polls.pop(key))
        if result is None:
            return
        self._members.pop(result.game.chat_id, None)
        text = final_text(result) if result.questions_played else t(result.game.language, "gq_stopped")
        if stopped and result.questions_played:
            text = t(result.game.language, "gq_stopped") + "\n\n" + text
        try:
            await self._call(result.game, lambda chat: self.bot.send_message(chat, text), ending=True)
        except GameGone:
            pass

    async def pause(self, game_id: int, *, paused: bool) -> GameView:
        game = await self.db(lambda s: competitions.set_paused(session=s, game_id=game_id, paused=paused))
        if not paused and game.waiting:
            await self.ask_next(game_id)
        return game

    async def skip(self, game_id: int) -> None:
        position = await self.db(lambda s: competitions.skip_question(session=s, game_id=game_id))
        await self.close(game_id, position)

    # -- timers --------------------------------------------------------------------------------
    def arm(self, timer: PendingTimer) -> None:
        """(Re-)arm the one timer of a game, from its stored time."""
        self.disarm(timer.game_id)
        delay = max(0.0, (timer.at - self.now()).total_seconds()) if timer.kind != "next" else 0.0
        self.application.job_queue.run_once(_fire, when=delay, data=timer, name=_job_name(timer.game_id),
                                            job_kwargs={"misfire_grace_time": None})

    def running_in(self, chat_id: int) -> bool:
        """Whether a game of this group is on (its timer is armed: lobby, question or next question)."""
        return any(isinstance(job.data, PendingTimer) and job.data.chat_id == chat_id
                   for job in self.application.job_queue.jobs())

    def pending_job(self, game_id: int) -> Job | None:
        """The job of the game's one timer (its lobby's end, its question's close or its next question), if one is
        armed. Running it now (PTB's `Job.run`) is that time coming early: how tests move a game on."""
        return next(iter(self.application.job_queue.get_jobs_by_name(_job_name(game_id))), None)

    def disarm(self, game_id: int) -> None:
        for job in self.application.job_queue.get_jobs_by_name(_job_name(game_id)):
            job.schedule_removal()

    async def rearm(self) -> int:
        """At start-up: every game in progress continues where it was."""
        await self.answers.load()
        timers = await self.db(lambda s: competitions.pending_timers(session=s))
        for timer in timers:
            self.arm(timer)
        return len(timers)

    async def fire(self, timer: PendingTimer) -> None:
        try:
            if timer.kind == "lobby":
                await self.start(timer.game_id)
            elif timer.kind == "close":
                await self.close(timer.game_id, timer.position)
            else:
                await self.ask_next(timer.game_id)
        except GameGone:
            log.info("group game %s ended: the group cannot be reached", timer.game_id)

    # -- Telegram, with its failures -----------------------------------------------------------
    @property
    def bot(self):  # noqa: ANN201 - ExtBot
        return self.application.bot

    async def db(self, work: Callable[..., T]) -> T:
        return await self.services.db.run(work)

    async def _call(self, game: GameView, send: Callable[[int], Awaitable[T]], *, ending: bool = False,
                    priority: Priority = Priority.GAME) -> T:
        """One game message, paced by the bot's one pacer with `priority`; follows a migrated group, waits out a
        flood, ends a game it cannot reach."""
        chat_id = game.chat_id
        for _attempt in range(3):
            try:
                with sending_as(priority):
                    return await send(chat_id)
            except ChatMigrated as exc:
                new_id = int(exc.new_chat_id)
                await self.db(lambda s, old=chat_id, new=new_id: competition_groups.move_chat(
                    session=s, old_chat_id=old, new_chat_id=new))
                pacer = self.application.bot_data.get("pacer")
                if pacer is not None:
                    pacer.moved(chat_id, new_id)
                chat_id = new_id
            except RetryAfter as exc:
                delay = exc.retry_after if isinstance(exc.retry_after, (int, float)) else exc.retry_after.total_seconds()
                log.warning("flood control in group %s: waiting %s s", chat_id, delay)
                await asyncio.sleep(float(delay))
            except Forbidden:
                await self._gone(game, chat_id, ending=ending, explain=False)
            except BadRequest as exc:
                if "not enough rights" not in exc.message.lower():
                    raise
                await self._gone(game, chat_id, ending=ending, explain=True)
        raise GameGone()

    async def _gone(self, game: GameView, chat_id: int, *, ending: bool, explain: bool) -> None:
        if not ending:
            now = self.services.clock.now()
            await self.db(lambda s: competitions.finish_game(session=s, game_id=game.id, now=now, stopped=True))
            self.disarm(game.id)
            self._members.pop(game.chat_id, None)
            if explain:
                try:
                    with sending_as(Priority.GAME):
                        await self.bot.send_message(chat_id, t(game.language, "gq_need_rights"))
                except TelegramError as exc:
                    log.info("could not explain the end of game %s: %s", game.id, exc)
        raise GameGone()

    async def _edit_scoreboard(self, game: GameView, text: str) -> None:
        """Edit the one scoreboard message; if it is gone (deleted, or left behind by a migration), post a new one."""
        message_id = game.scoreboard_message_id
        if message_id is not None:
            try:
                await self._call(game, lambda chat: self.bot.edit_message_text(text, chat_id=chat,
                                                                               message_id=message_id),
                                 priority=Priority.SCOREBOARD)
                return
            except BadRequest as exc:
                if "not modified" in exc.message.lower():
                    return
                log.info("scoreboard of game %s could not be edited (%s): posting a new one", game.id, exc)
        game = await self.db(lambda s: competitions.game_view(session=s, game_id=game.id))
        board = await self._call(game, lambda chat: self.bot.send_message(chat, text), priority=Priority.SCOREBOARD)
        await self.db(lambda s: competitions.set_scoreboard(session=s, game_id=game.id, message_id=board.message_id))

    def _lock(self, game_id: int) -> asyncio.Lock:
        return self._locks.setdefault(game_id, asyncio.Lock())


def _job_name(game_id: int) -> str:
    return f"group-game-{game_id}"


async def _fire(context: CallbackContext) -> None:  # type: ignore[type-arg]
    timer = context.job.data  # type: ignore[union-attr]
    await group_games(context.application).fire(timer)
