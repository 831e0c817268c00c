"""What a person is told when they send more than the bot takes from one chat (bot/update_processor.py)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application

from bot.context import Services
from bot.i18n import t
from bot.services.learners import language_of

__all__ = ["tell_dropped"]

log = logging.getLogger(__name__)


async def tell_dropped(application: Application, update: Update) -> None:
    """Tell the chat, once per flood, that its extra messages are ignored for now."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        return
    log.info("chat %s sends too fast: its extra updates are dropped", chat.id)
    services: Services = application.bot_data["services"]
    lang = None
    if user is not None:
        try:
            lang = await services.db.run(lambda session: language_of(session=session, telegram_id=user.id))
        except Exception:  # noqa: BLE001 - the notice is best effort
            lang = None
    lang = lang or ((user.language_code or "")[:2] if user else "") or services.settings.default_language
    try:
        await application.bot.send_message(chat_id=chat.id, text=t(lang, "flood_dropped"))
    except Exception as exc:  # noqa: BLE001 - best effort, like every notice about a failure
        log.debug("could not tell chat %s about its dropped updates: %s", chat.id, exc)
