"""A group linked to a class: `/class link`, `/class unlink` and `/class` sent in the group by an instructor.

The "add to a group" link from `/class group` (private) makes Telegram send `/start link-<id>` in the chosen
group on the instructor's behalf: it links the same way. Only an instructor of the class may link or unlink;
everyone else is refused in the group's language, and the attempt is logged.
"""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.context import BotContext
from bot.handlers.classes import split_class_ref
from bot.handlers.common import reply
from bot.i18n import t
from bot.services import class_groups, competition_groups
from bot.services.class_errors import ClassNotFound, GroupNotLinked, GroupTaken, NotInstructor
from bot.services.unit_of_work import Session
from bot.views.class_groups import link_status_text

__all__ = ["handlers"]

log = logging.getLogger(__name__)
GROUPS = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE
_START_LINK = re.compile(r"^link-(\d{1,9})$")


async def group_class(update: Update, context: BotContext) -> None:
    """Link this group to a class, unlink it, or say which class it is linked to."""
    ref, args = split_class_ref(list(context.args or []))
    sub = args[0].lower() if args else ""
    if sub in ("link", "lier"):
        await _link(update, context, ref)
    elif sub in ("unlink", "delier", "délier"):
        await _unlink(update, context)
    else:
        await _status(update, context)


async def group_start(update: Update, context: BotContext) -> None:
    """`/start link-<id>`: the group was chosen from `/class group`'s "add to a group" link."""
    args = list(context.args or [])
    match = _START_LINK.match(args[0]) if len(args) == 1 else None
    if match is None:  # a plain /start in a group: what the bot does here
        chat = update.effective_chat
        await reply(update, context, t(await _lang(context, chat.id, chat.title or ""), "gq_help"))
        return
    await _link(update, context, f"#{match[1]}")


async def _lang(context: BotContext, chat_id: int, title: str) -> str:
    services = context.services
    return (await services.db.run(lambda s: competition_groups.group_settings(
        session=s, chat_id=chat_id, title=title, now=services.clock.now()))).language


async def _link(update: Update, context: BotContext, ref: str | None) -> None:
    services, chat, user = context.services, update.effective_chat, update.effective_user
    lang = await _lang(context, chat.id, chat.title or "")
    telegram_id = user.id if user is not None and update.effective_message.sender_chat is None else 0
    now = services.clock.now()
    try:
        linked = await services.db.run(lambda s: class_groups.link_group(
            session=s, chat_id=chat.id, title=chat.title or "", telegram_id=telegram_id, ref=ref, now=now))
    except NotInstructor as exc:
        log.warning("group %s: /class link refused to user %s (class %s)", chat.id, telegram_id, exc.class_id)
        await reply(update, context, t(lang, "cg_refused"))
        return
    except ClassNotFound:
        await reply(update, context, t(lang, "cg_class_not_found"))
        return
    except GroupTaken as exc:
        await reply(update, context, t(lang, "cg_taken", name=exc.class_name))
        return
    key = "cg_already" if linked.already else "cg_linked"
    await reply(update, context, t(lang, key, name=linked.class_name, id=linked.class_id))


async def _unlink(update: Update, context: BotContext) -> None:
    services, chat, user = context.services, update.effective_chat, update.effective_user
    lang = await _lang(context, chat.id, chat.title or "")
    telegram_id = user.id if user is not None and update.effective_message.sender_chat is None else 0
    now = services.clock.now()
    try:
        name = await services.db.run(lambda s: class_groups.unlink_group(
            session=s, chat_id=chat.id, telegram_id=telegram_id, now=now))
    except NotInstructor as exc:
        log.warning("group %s: /class unlink refused to user %s (class %s)", chat.id, telegram_id, exc.class_id)
        await reply(update, context, t(lang, "cg_refused_unlink"))
        return
    except GroupNotLinked:
        await reply(update, context, t(lang, "cg_status_none"))
        return
    await reply(update, context, t(lang, "cg_unlinked", name=name))


async def _status(update: Update, context: BotContext) -> None:
    services, chat = context.services, update.effective_chat
    now = services.clock.now()

    def unit(s: Session) -> tuple[str, class_groups.LinkedClass | None]:
        settings = competition_groups.group_settings(session=s, chat_id=chat.id, title=chat.title or "", now=now)
        return settings.language, class_groups.linked_class(session=s, chat_id=chat.id)

    lang, linked = await services.db.run(unit)
    await reply(update, context, link_status_text(lang, linked))


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("class", group_class, filters=GROUPS),
        CommandHandler("start", group_start, filters=GROUPS),
    ]
