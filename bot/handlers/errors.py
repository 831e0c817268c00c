"""The last line of defence: every error of a handler lands here, classified, logged, answered.

Telegram failures follow bot/telegram_errors.py: a 403 marks the learner blocked, a 400 is
logged with the refused call and the learner is told kindly, flood control and outages are
logged as such. Anything else is a bug: logged with its traceback, reported to the operator's
chat when `ERROR_CHAT_ID` is set (bot/handlers/error_reports.py), and the learner gets an apology.
"""

from __future__ import annotations

import logging

from telegram import Update

from bot.context import BotContext
from bot.i18n import t
from bot.services.learners import language_of, mark_blocked
from bot.telegram_errors import Failure, classify, describe

__all__ = ["on_error"]

log = logging.getLogger("bot.errors")


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure with the update that caused it and, when it helps, tell the learner."""
    error = context.error
    user = update.effective_user if isinstance(update, Update) else None
    update_id = update.update_id if isinstance(update, Update) else None
    user_id = user.id if user else None
    match classify(error):
        case Failure.BLOCKED:
            log.info("learner %s has blocked the bot (update %s)", user_id, update_id)
            if user is not None:
                await context.services.db.run(lambda session: mark_blocked(session=session, telegram_id=user.id))
        case Failure.REJECTED:
            log.error("Telegram refused a call for update %s of user %s: %s", update_id, user_id, describe(error))
            await _tell_learner(update, context, "telegram_rejected")
        case Failure.FLOOD:
            log.warning("flood control while handling update %s of user %s: %s", update_id, user_id, error)
        case Failure.UNREACHABLE:
            log.warning("Telegram unreachable while handling update %s of user %s: %s", update_id, user_id, error)
        case None:
            log.error("update %s of user %s failed", update_id, user_id, exc_info=error)
            reports = context.application.bot_data.get("error_reports")
            if reports is not None and error is not None:
                await reports.report(update, error)
            await _tell_learner(update, context, "internal_error")


async def _tell_learner(update: object, context: BotContext, key: str) -> None:
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    user = update.effective_user
    lang = None
    if user is not None:
        try:
            lang = await context.services.db.run(lambda session: language_of(session=session, telegram_id=user.id))
        except Exception:  # noqa: BLE001 - the database may be what failed: fall back to Telegram's language
            lang = None
    lang = lang or ((user.language_code or "")[:2] if user else "") or context.services.settings.default_language
    try:
        await context.bot.send_message(chat_id=update.effective_chat.id, text=t(lang, key))
    except Exception as exc:  # noqa: BLE001 - telling them is best effort; the error is logged above
        log.debug("could not tell %s about the failure: %s", update.effective_chat.id, exc)
