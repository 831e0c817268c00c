"""What every handler needs: the learner behind an update, its database, and reply helpers.

Handlers never hold a session: they ask `learner(...)` for a snapshot of who wrote, and run
their reads and writes as units of work (`context.services.db`), off the event loop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import filters

from bot.content import Course
from bot.context import BotContext
from bot.i18n import t
from bot.services import journey
from bot.services.errors import NotEnrolled
from bot.services.unit_of_work import Identity, LearnerRow, LearnerSnapshot, Session
from bot.views.base import keyboard

__all__ = ["PRIVATE", "LearnerSnapshot", "acknowledge", "drop_buttons", "enrolled_course", "identity", "keyboard",
           "learner", "learner_and", "reply"]

log = logging.getLogger(__name__)

T = TypeVar("T")

LAB_COMMANDS = frozenset({"run", "build", "terminal", "cancel", "stop", "reset", "exercise", "exercice", "check",
                          "verifier"})
"""The commands of the Docker lab and its exercises: a bot that only teaches (LAB_ENABLED=false) has none."""

PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
"""New messages in a private chat: edits of old messages are not new requests."""


def identity(update: Update) -> Identity:
    """Who sent the update, as Telegram says."""
    user = update.effective_user
    return Identity(user.id, user.first_name or "", user.language_code)


async def learner(update: Update, context: BotContext) -> LearnerSnapshot:
    """Who sent the update (created on first contact), as a value."""
    return await context.services.db.touch(identity(update))


async def learner_and(
    update: Update, context: BotContext, work: Callable[[Session, LearnerRow], T]
) -> tuple[LearnerSnapshot, T]:
    """`learner(...)` and a unit of work in one transaction: (who sent the update, what `work` returned).

    An update's whole database work in one trip off the event loop; `work` sees the learner's
    row, and the snapshot is the learner as the update found them.
    """
    return await context.services.db.as_identity(identity(update), work)


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
