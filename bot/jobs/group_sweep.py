"""The groups' calendar: scheduled games (notice 10 minutes before, then the game) and season ends.

One repeating job with a stable name, registered at start-up; what is due lives in the database and is
claimed in the same transaction that moves it on, so a restart neither loses nor repeats anything.
It reads the calendar clock (`services.clock`), so tests move time.
"""

from __future__ import annotations

import logging

from telegram.error import TelegramError
from telegram.ext import Application

from bot.context import BotContext
from bot.services import competition_boards, competition_schedules, competitions
from bot.services.competition_errors import GameRefused
from bot.services.competition_requests import DEFAULT_TIMER
from bot.services.pacing import Priority
from bot.telegram_pacing import sending_as
from bot.views.group_boards import notice_text, season_end_text
from bot.views.group_game import GameGone, GroupGames, group_games
from bot.views.group_quiz import scope_text

__all__ = ["JOB_NAME", "register_group_sweep", "run_group_sweep"]

JOB_NAME = "group-calendar-sweep"
log = logging.getLogger(__name__)


def register_group_sweep(application: Application, *, every_seconds: float) -> None:
    for job in application.job_queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    application.job_queue.run_repeating(
        run_group_sweep, interval=every_seconds, first=1.0, name=JOB_NAME,
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )


async def run_group_sweep(context: BotContext) -> int:
    """Post due notices, start due games, announce ended seasons; returns how many things it did."""
    services = context.services
    now = services.clock.now()
    due = await services.db.run(lambda s: competition_schedules.claim_due(session=s, now=now))
    ended = await services.db.run(lambda s: competition_boards.end_due_seasons(session=s, now=now))
    games = group_games(context.application)
    with sending_as(Priority.GAME):  # group traffic, after the replies to people
        await _post_due(context, due, games)
        for end in ended:
            try:
                await context.bot.send_message(end.chat_id, season_end_text(end))
            except TelegramError as exc:
                log.info("season end in %s not announced: %s", end.chat_id, exc)
    return len(due) + len(ended)


async def _post_due(context: BotContext, due: list, games: GroupGames) -> None:
    services = context.services
    for item in due:
        try:
            if item.kind == "notice":
                await context.bot.send_message(item.chat_id, notice_text(item, scope_text(item.language,
                                                                                           item.module_id)))
                continue
            game_now = services.game_clock.now()
            game = await services.db.run(lambda s, item=item, game_now=game_now: competitions.open_game(
                session=s, catalog=services.catalog, chat_id=item.chat_id, title="", by=item.created_by,
                module_id=item.module_id, count=item.question_count, timer=DEFAULT_TIMER,
                lobby_seconds=services.settings.group_lobby_seconds, now=game_now, rng=games.rng))
            await games.begin(game)
        except GameRefused as refusal:
            log.info("scheduled game in %s not started: %s", item.chat_id, refusal)
        except (TelegramError, GameGone) as exc:
            log.info("scheduled game in %s: %s", item.chat_id, exc)
