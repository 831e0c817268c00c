"""The live status of an announcement going out: one message to its author, edited as the outbox sends.

Used when an instructor presses Send (bot/handlers/announcements.py) and when a scheduled announcement's
time fires (bot/jobs/class_calendar.py): queued / sent / failed / blocked, with a button that stops the rest.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot, Message
from telegram.error import BadRequest, TelegramError

from bot.context import Services
from bot.services import outbox
from bot.views.classes import broadcast_view

__all__ = ["WATCH_SECONDS", "post_status", "watch_status"]

log = logging.getLogger(__name__)
WATCH_SECONDS = 1.0


async def post_status(bot: Bot, services: Services, *, chat_id: int, lang: str, class_name: str,
                      announcement_id: int, batch: str, scheduled: bool = False) -> Message | None:
    """Send the status message (None if Telegram refused it: the announcement goes out all the same)."""
    progress = await services.db.run(lambda session: outbox.progress(session=session, batch=batch))
    view = broadcast_view(lang, class_name=class_name, progress=progress, announcement_id=announcement_id,
                          scheduled=scheduled)
    try:
        return await bot.send_message(chat_id=chat_id, text=view.text, reply_markup=view.markup)
    except TelegramError as exc:
        log.info("broadcast status of announcement %s not sent to %s: %s", announcement_id, chat_id, exc)
        return None


async def watch_status(services: Services, status: Message, *, lang: str, class_name: str, announcement_id: int,
                       batch: str, scheduled: bool = False) -> None:
    """Edit the status message as the outbox sends, until nothing is queued."""
    shown = None
    while True:
        await asyncio.sleep(WATCH_SECONDS)
        progress = await services.db.run(lambda session: outbox.progress(session=session, batch=batch))
        if progress != shown:
            view = broadcast_view(lang, class_name=class_name, progress=progress, announcement_id=announcement_id,
                                  scheduled=scheduled)
            try:
                await status.edit_text(view.text, reply_markup=view.markup)
            except BadRequest as exc:  # "message is not modified", or deleted by the instructor
                log.debug("broadcast status not edited: %s", exc)
            shown = progress
        if progress.done:
            return
