"""Lasting leaderboards in groups: /top (week), /top month, /top all; /season N|off for admins."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.context import BotContext
from bot.handlers.common import reply
from bot.handlers.group_quiz import GROUPS, is_admin
from bot.i18n import t
from bot.services import competition_boards, competition_groups
from bot.views.group_boards import board_text

__all__ = ["handlers"]


async def top(update: Update, context: BotContext) -> None:
    """Show the group's leaderboard for this week, this month or all time, with the caller's own rank."""
    services, chat, user = context.services, update.effective_chat, update.effective_user
    words = [w.lower() for w in context.args or []]
    period = {"": "week", "week": "week", "semaine": "week", "month": "month", "mois": "month", "all": "all",
              "tout": "all"}.get(words[0] if words else "")
    now = services.clock.now()
    settings = await services.db.run(lambda s: competition_groups.group_settings(
        session=s, chat_id=chat.id, title=chat.title or "", now=now))
    if period is None or len(words) > 1:
        await reply(update, context, t(settings.language, "gq_top_usage"))
        return
    caller = None if update.effective_message.sender_chat else (user.id if user else None)
    board = await services.db.run(lambda s: competition_boards.board(session=s, chat_id=chat.id, period=period,
                                                                     now=now, caller=caller))
    await reply(update, context, board_text(board))


async def season(update: Update, context: BotContext) -> None:
    """Set the length of the group's seasons (/season 4) or stop them (/season off); admins only."""
    services, chat = context.services, update.effective_chat
    now = services.clock.now()
    settings = await services.db.run(lambda s: competition_groups.group_settings(
        session=s, chat_id=chat.id, title=chat.title or "", now=now))
    lang = settings.language
    if not await is_admin(update, context):
        await reply(update, context, t(lang, "gq_refused_admin"))
        return
    words = [w.lower() for w in context.args or []]
    if words == ["off"]:
        await services.db.run(lambda s: competition_boards.set_season(session=s, chat_id=chat.id, weeks=None,
                                                                      now=now))
        await reply(update, context, t(lang, "gq_season_off"))
        return
    if len(words) != 1 or not words[0].isdigit() or not 1 <= int(words[0]) <= 52:
        await reply(update, context, t(lang, "gq_season_usage"))
        return
    weeks = int(words[0])
    await services.db.run(lambda s: competition_boards.set_season(session=s, chat_id=chat.id, weeks=weeks, now=now))
    board = await services.db.run(lambda s: competition_boards.board(session=s, chat_id=chat.id, period="all",
                                                                     now=now, caller=None))
    await reply(update, context, t(lang, "gq_season_set", weeks=weeks, number=board.season_number))


def handlers() -> list[BaseHandler]:
    return [CommandHandler("top", top, filters=GROUPS), CommandHandler("season", season, filters=GROUPS)]
