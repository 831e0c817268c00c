"""/help, and a calm answer to everything the bot did not expect."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from telegram import Chat, ChatMember, Message, MessageEntity, Update, User
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.callbacks import Help
from bot.context import BotContext
from bot.handlers.buttons import same_as_command
from bot.handlers.classes import INSTRUCTOR_COMMANDS
from bot.handlers.common import LAB_COMMANDS, PRIVATE, acknowledge, identity, learner, reply
from bot.handlers.free_text import answer_free_text
from bot.i18n import t
from bot.services import classes
from bot.services.free_text import closest_command
from bot.services.lab import looks_like_dockerfile
from bot.services.learners import mark_blocked
from bot.services.plain_commands import as_command
from bot.views.free_text import unknown_command_view
from bot.views.help import help_text, instructor_help_text

__all__ = ["COMMAND_ORDER", "handlers", "late_handlers", "registered_commands"]

COMMAND_ORDER = ("start", "menu", "lesson", "lessons", "quiz", "review", "progress", "exercise", "check", "run",
                 "build", "terminal", "cancel", "reset", "memo", "def", "exam", "verify", "leave", "settings",
                 "timezone", "time", "privacy", "mydata", "forget", "help")
"""The order /help lists commands in (the others follow, by name)."""

log = logging.getLogger(__name__)


async def show_help(update: Update, context: BotContext) -> None:
    """List what the bot can do (and, to an instructor, the instructor's commands)."""
    first_instructors = context.services.settings.instructor_ids
    me, instructor = await context.services.db.as_visitor(  # who asks, and whether they teach: one trip
        identity(update), lambda session, visitor: classes.is_instructor(
            session=session, telegram_id=visitor.telegram_id, first_instructors=first_instructors))
    text = help_text(me.lang, registered_commands(context.application), COMMAND_ORDER,
                     lab=context.services.settings.lab_enabled)
    if instructor:
        text += "\n\n" + instructor_help_text(me.lang, INSTRUCTOR_COMMANDS)
    await reply(update, context, text)


def registered_commands(application: Application) -> list[frozenset[str]]:
    """The names of every command handler a learner can use in a private chat, one set per handler.

    Group-only commands (their filters refuse a private chat) and instructor commands (in the instructors'
    own menu) are left out.
    """
    return [frozenset(handler.commands) for group in application.handlers.values() for handler in group
            if isinstance(handler, CommandHandler) and _private(handler)
            and not set(handler.commands) & set(INSTRUCTOR_COMMANDS)]  # an instructor command's aliases too


def _private(handler: CommandHandler) -> bool:
    """Whether the handler's filters accept a learner's command in a private chat."""
    name = next(iter(handler.commands))
    message = Message(0, datetime.now(UTC), Chat(1, Chat.PRIVATE), from_user=User(1, "Ana", is_bot=False),
                      text=f"/{name}", entities=[MessageEntity(MessageEntity.BOT_COMMAND, 0, len(name) + 1)])
    return bool(handler.filters.check_update(Update(0, message=message)))


async def unknown_command(update: Update, context: BotContext) -> None:
    """Answer a command we do not know, with the one it most likely meant as a button ("did you mean")."""
    command = (update.effective_message.text or "").split()[0][:40]
    me = await learner(update, context)
    if not context.services.settings.lab_enabled and command.lstrip("/").split("@")[0].lower() in LAB_COMMANDS:
        await reply(update, context, t(me.lang, "lab_off_command"))
        return
    known = sorted({name for names in registered_commands(context.application) for name in names})
    meant = closest_command(command, known)
    view = unknown_command_view(me.lang, command, meant)
    await reply(update, context, view.text, view.markup)


async def unexpected_text(update: Update, context: BotContext) -> None:
    """Plain text that is neither a command nor a lab input: answered as a tutor would."""
    me = await learner(update, context)
    text = update.effective_message.text or ""
    if not context.services.settings.lab_enabled and (as_command(text) or looks_like_dockerfile(text)):
        await reply(update, context, t(me.lang, "lab_off_command"))  # a bot that only teaches has no lab
        return
    await answer_free_text(update, context, me, text)


async def unexpected_media(update: Update, context: BotContext) -> None:
    """Stickers, photos, voice notes...: say kindly what the bot reads."""
    me = await learner(update, context)
    await reply(update, context, t(me.lang, "unexpected_media"))


async def stale_button(update: Update, context: BotContext) -> None:
    """A button whose payload no handler knows (an old message, or forged data)."""
    me = await learner(update, context)
    await acknowledge(update, t(me.lang, "stale_button"), alert=True)


async def membership_changed(update: Update, context: BotContext) -> None:
    """Remember when a learner blocks or unblocks the bot, so deliveries stop or resume."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    blocked = change.new_chat_member.status in (ChatMember.BANNED, ChatMember.LEFT)
    await context.services.db.run(
        lambda session: mark_blocked(session=session, telegram_id=change.from_user.id, blocked=blocked))
    log.info("learner %s %s the bot", change.from_user.id, "blocked" if blocked else "unblocked")


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler(["help", "aide"], show_help, filters=filters.UpdateType.MESSAGE),
        same_as_command(Help, show_help),
        ChatMemberHandler(membership_changed, ChatMemberHandler.MY_CHAT_MEMBER),
    ]


def late_handlers() -> list[BaseHandler]:
    """Registered after every feature handler: they catch what nobody else took."""
    private = PRIVATE
    return [
        MessageHandler(filters.COMMAND & private & filters.UpdateType.MESSAGE, unknown_command),
        MessageHandler(filters.TEXT & private & filters.UpdateType.MESSAGE, unexpected_text),
        MessageHandler(~filters.TEXT & private & filters.UpdateType.MESSAGE, unexpected_media),
        CallbackQueryHandler(stale_button),
    ]
