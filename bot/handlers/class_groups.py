"""A group linked to a class: `/class linkgroup`, `/class unlinkgroup` and `/class` sent in the group.

The "add to a group" link from `/class group` (private) makes Telegram send `/start link-<id>` in the chosen
group on the instructor's behalf: it links the same way. Only an instructor of the class may link; an instructor
of the linked class or an admin of the group (anonymous admins included) may unlink. Everyone else is refused in
the group's language, and the attempt is logged. The old spellings `/class link` and `/class unlink` still work,
and say which command they became.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.context import BotContext
from bot.handlers.classes import split_class_ref
from bot.handlers.common import reply
from bot.handlers.group_quiz import is_admin
from bot.i18n import t
from bot.services import class_groups, competition_groups
from bot.services.class_errors import (
    ClassNotFound,
    GroupNotLinked,
    GroupTaken,
    NotGroupAdmin,
    NotInstructor,
)
from bot.services.unit_of_work import Session
from bot.views.class_groups import link_status_text

__all__ = ["handlers"]

log = logging.getLogger(__name__)
GROUPS = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE
_START_LINK = re.compile(r"^link-(\d{1,9})$")
_LINK = ("linkgroup", "link", "lier")  # `/class link`, the old spelling, still works (and says its new name)
_UNLINK = ("unlinkgroup", "unlink", "delier", "délier")


async def group_class(update: Update, context: BotContext) -> None:
    """Link this group to a class, unlink it, or say which class it is linked to."""
    ref, args = split_class_ref(list(context.args or []))
    sub = args[0].lower() if args else ""
    if sub in _LINK:
        await _link(update, context, ref, renamed=sub == "link")
    elif sub in _UNLINK:
        await _unlink(update, context, renamed=sub == "unlink")
    elif sub == "joinlink":  # the learners' join link is shown in private only
        await reply(update, context, t((await _group_caller(update, context)).lang, "cg_joinlink_private"))
    else:
        await _status(update, context)


async def group_start(update: Update, context: BotContext) -> None:
    """`/start link-<id>`: the group was chosen from `/class group`'s "add to a group" link."""
    args = list(context.args or [])
    match = _START_LINK.match(args[0]) if len(args) == 1 else None
    if match is None:  # a plain /start in a group: what the bot does here
        await reply(update, context, t((await _group_caller(update, context)).lang, "gq_help"))
        return
    await _link(update, context, f"#{match[1]}")


@dataclass(frozen=True)
class _Caller:
    lang: str  # the group's language
    telegram_id: int  # 0 for an anonymous admin (writing as the group: they cannot prove they teach a class)
    now: datetime


async def _group_caller(update: Update, context: BotContext) -> _Caller:
    """The group's language, who calls (anonymous admins as 0) and the time: what every group command starts with."""
    services, chat, user = context.services, update.effective_chat, update.effective_user
    now = services.clock.now()
    lang = (await services.db.run(lambda s: competition_groups.group_settings(
        session=s, chat_id=chat.id, title=chat.title or "", now=now))).language
    writes_as_self = user is not None and update.effective_message.sender_chat is None
    return _Caller(lang, user.id if writes_as_self and user is not None else 0, now)


def _with_hint(text: str, lang: str, key: str, renamed: bool) -> str:
    """The old spelling (`/class link`) still works, and says which command it became."""
    return f"{text}\n\n{t(lang, key)}" if renamed else text


async def _link(update: Update, context: BotContext, ref: str | None, *, renamed: bool = False) -> None:
    services, chat = context.services, update.effective_chat
    caller = await _group_caller(update, context)
    lang = caller.lang
    group_admin = caller.telegram_id != 0 and await is_admin(update, context, check_class=False)
    try:
        linked = await services.db.run(lambda s: class_groups.link_group(
            session=s, chat_id=chat.id, title=chat.title or "", telegram_id=caller.telegram_id, ref=ref,
            now=caller.now, group_admin=group_admin))
    except NotGroupAdmin as exc:
        log.warning("group %s: /class link refused to non-admin %s (class %s)", chat.id, caller.telegram_id,
                    exc.class_id)
        await reply(update, context, t(lang, "cg_refused_not_admin"))
        return
    except NotInstructor as exc:
        log.warning("group %s: /class link refused to user %s (class %s)", chat.id, caller.telegram_id, exc.class_id)
        await reply(update, context, t(lang, "cg_refused"))
        return
    except ClassNotFound:
        await reply(update, context, t(lang, "cg_class_not_found"))
        return
    except GroupTaken as exc:
        await reply(update, context, t(lang, "cg_taken", name=exc.class_name))
        return
    key = "cg_already" if linked.already else "cg_linked"
    await reply(update, context, _with_hint(t(lang, key, name=linked.class_name, id=linked.class_id), lang,
                                            "cg_link_renamed", renamed))


async def _unlink(update: Update, context: BotContext, *, renamed: bool = False) -> None:
    """An instructor of the linked class, or an admin of the group (anonymous admins included), unlinks it."""
    services, chat = context.services, update.effective_chat
    caller = await _group_caller(update, context)
    lang = caller.lang
    group_admin = await is_admin(update, context, check_class=False)
    try:
        name = await services.db.run(lambda s: class_groups.unlink_group(
            session=s, chat_id=chat.id, telegram_id=caller.telegram_id, group_admin=group_admin, now=caller.now))
    except NotInstructor as exc:
        log.warning("group %s: /class unlink refused to user %s (class %s)", chat.id, caller.telegram_id, exc.class_id)
        await reply(update, context, t(lang, "cg_refused_unlink"))
        return
    except GroupNotLinked:
        await reply(update, context, t(lang, "cg_status_none"))
        return
    await reply(update, context, _with_hint(t(lang, "cg_unlinked", name=name), lang, "cg_unlink_renamed", renamed))


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
