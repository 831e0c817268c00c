"""What every handler needs: the learner behind an update, its database, and reply helpers.

Handlers never hold a session: they ask `learner(...)` for a snapshot of who wrote, and run
their reads and writes as units of work (`context.services.db`), off the event loop.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import filters

from bot.content import Course
from bot.context import BotContext
from bot.i18n import t
from bot.services import journey
from bot.services.errors import NotEnrolled
from bot.services.unit_of_work import Identity, LearnerSnapshot
from bot.views.base import keyboard

__all__ = ["PRIVATE", "LearnerSnapshot", "acknowledge", "drop_buttons", "enrolled_course", "keyboard", "learner",
           "reply"]

log = logging.getLogger(__name__)

PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
"""New messages in a private chat: edits of old messages are not new requests."""


async def learner(update: Update, context: BotContext) -> LearnerSnapshot:
    """Who sent the update (created on first contact), as a value."""
    user = update.effective_user
    return await context.services.db.touch(Identity(user.id, user.first_name or "", user.language_code))


async def enrolled_course(update: Update, context: BotContext, me: LearnerSnapshot) -> Course | None:
    """The learner's active course, or None after telling them to pick one with /start."""
    try:
        return journey.active_course(catalog=context.services.catalog, learner=me)
    except NotEnrolled:
        await reply(update, context, t(me.lang, "not_enrolled"))
        return None


async def reply(
    update: Update, context: BotContext, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Send an HTML message (parse mode comes from the application defaults) to the update's chat."""
    chat = update.effective_chat
    if chat is None:
        return None
    return await context.bot.send_message(chat_id=chat.id, text=text, reply_markup=markup)


async def acknowledge(update: Update, text: str | None = None, *, alert: bool = False) -> None:
    """Answer the button press (Telegram shows a spinner until then).

    A press older than Telegram's answer window (a bot that was down) is answered with a 400:
    the press is still handled, only its spinner could not be stopped.
    """
    try:
        await update.callback_query.answer(text, show_alert=alert)
    except BadRequest as exc:
        log.info("could not answer button press %s: %s", update.callback_query.id, exc)


async def drop_buttons(update: Update) -> None:
    """Remove the keyboard of the message whose button was pressed, so old choices do not linger."""
    query = update.callback_query
    if query is None or query.message is None or not isinstance(query.message, Message):
        return
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except BadRequest as exc:  # already removed, or too old to edit: harmless
        log.debug("could not drop buttons: %s", exc)
