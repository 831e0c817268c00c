"""The last line of defence: log with context, tell the learner, never crash."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError, RetryAfter, TimedOut

from bot.context import BotContext
from bot.i18n import t
from bot.services.learners import mark_blocked

__all__ = ["on_error"]

log = logging.getLogger("bot.errors")


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure with the update that caused it and apologise to the learner."""
    error = context.error
    user = update.effective_user if isinstance(update, Update) else None
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, Forbidden) and user is not None:
        log.info("learner %s has blocked the bot (update %s)", user.id, update_id)
        mark_blocked(engine=context.services.engine, telegram_id=user.id)
        return
    if isinstance(error, (NetworkError, TimedOut, RetryAfter)) and not isinstance(error, Forbidden):
        log.warning("Telegram unreachable while handling update %s of user %s: %s", update_id,
                    user.id if user else None, error)
        return
    log.error("update %s of user %s failed", update_id, user.id if user else None, exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        lang = (user.language_code or "fr")[:2] if user else "fr"
        try:
            await context.bot.send_message(chat_id=update.effective_chat.id, text=t(lang, "internal_error"))
        except Exception:  # noqa: BLE001 - the apology is best effort
            log.debug("could not apologise to %s", update.effective_chat.id)
