"""What every handler needs: the learner behind an update, a session, and a reply helper."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlmodel import Session
from telegram import InlineKeyboardMarkup, Message, Update, User
from telegram.error import BadRequest
from telegram.ext import filters

from bot.content import Course
from bot.context import BotContext
from bot.services.learners import LearnerDefaults
from bot.services.unit_of_work import LearnerScope, learner_transaction
from bot.views.base import keyboard

__all__ = ["PRIVATE", "Scope", "acknowledge", "commit_pending", "enrolled_course", "drop_buttons", "keyboard",
           "learner_scope", "reply"]

log = logging.getLogger(__name__)

PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
"""New messages in a private chat: edits of old messages are not new requests."""

_open_session: ContextVar[Session | None] = ContextVar("open_session", default=None)

Scope = LearnerScope


@contextmanager
def learner_scope(context: BotContext, user: User) -> Iterator[Scope]:
    """One transaction around a handler's work for this learner."""
    services = context.services
    settings = services.settings
    defaults = LearnerDefaults(
        language=settings.default_language, timezone=settings.default_timezone,
        daily_time=settings.default_daily_time,
    )
    with learner_transaction(
        engine=services.engine, telegram_id=user.id, first_name=user.first_name or "",
        language_code=user.language_code, defaults=defaults, now=services.clock.now(),
    ) as scope:
        token = _open_session.set(scope.session)
        try:
            yield scope
        finally:
            _open_session.reset(token)


def commit_pending() -> None:
    """Save what the handler changed before telling the learner: a reply never announces unsaved work."""
    session = _open_session.get()
    if session is not None:
        session.commit()


async def enrolled_course(update: Update, context: BotContext, scope: Scope) -> Course | None:
    """The learner's active course, or None after telling them to pick one with /start."""
    from bot.i18n import t
    from bot.services import journey
    from bot.services.errors import NotEnrolled

    try:
        return journey.active_course(catalog=context.services.catalog, learner=scope.learner)
    except NotEnrolled:
        await reply(update, context, t(scope.lang, "not_enrolled"))
        return None


async def reply(
    update: Update, context: BotContext, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Send an HTML message (parse mode comes from the application defaults) to the update's chat."""
    chat = update.effective_chat
    if chat is None:
        return None
    commit_pending()
    return await context.bot.send_message(chat_id=chat.id, text=text, reply_markup=markup)


async def acknowledge(update: Update, text: str | None = None, *, alert: bool = False) -> None:
    """Answer the button press (after saving, like every reply)."""
    commit_pending()
    await update.callback_query.answer(text, show_alert=alert)


async def drop_buttons(update: Update) -> None:
    """Remove the keyboard of the message whose button was pressed, so old choices do not linger."""
    commit_pending()
    query = update.callback_query
    if query is None or query.message is None or not isinstance(query.message, Message):
        return
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except BadRequest as exc:  # already removed, or too old to edit: harmless
        log.debug("could not drop buttons: %s", exc)
