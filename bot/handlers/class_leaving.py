"""/leave: a learner confirms, then leaves their classes; an instructor confirms before they stop teaching a class.

A co-instructor gets one confirmation per class they co-teach; once confirmed they lose the role (and, with no
other class to teach, the instructor commands in their menu). The owner of a class cannot leave it: they are told
why, and to delete the class instead (bot/services/class_leaving.py).
"""

from __future__ import annotations

import logging

from telegram import BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CommandHandler

from bot.callbacks import ClassLeave, LeaveClasses, StaleButton
from bot.context import BotContext
from bot.handlers.buttons import Press, on_press, press_handler
from bot.handlers.common import PRIVATE, learner, reply
from bot.i18n import t
from bot.services import class_leaving, classes
from bot.services.class_errors import ClassNotFound, NotInstructor, OwnerCannotLeave
from bot.services.unit_of_work import LearnerRow, Session
from bot.views.class_leaving import leave_classes_view, leave_teaching_view, owner_stays_text

__all__ = ["handlers"]

log = logging.getLogger(__name__)


async def leave_command(update: Update, context: BotContext) -> None:
    """Leave the classes one is a member of; ask an instructor before they stop teaching a class."""
    me = await learner(update, context)

    def unit(session: Session, row: LearnerRow) -> tuple[list[str], list[class_leaving.Teaching]]:
        names = classes.member_of(session=session, learner=row)
        return names, class_leaving.teaching(session=session, telegram_id=me.telegram_id)

    names, teaching = await context.services.db.as_learner(me.id, unit)
    owned = [c for c in teaching if c.owner]
    if names:
        view = leave_classes_view(me.lang, names)
        await reply(update, context, view.text, view.markup)
    elif not teaching:
        await reply(update, context, t(me.lang, "left_nothing"))
    if owned:
        log.info("/leave: owner %s stays instructor of %s", me.telegram_id, [c.class_id for c in owned])
        await reply(update, context, owner_stays_text(me.lang, owned))
    for co_taught in (c for c in teaching if not c.owner):
        view = leave_teaching_view(me.lang, co_taught)
        await reply(update, context, view.text, view.markup)


@on_press(LeaveClasses)
async def confirm_leave_classes(update: Update, context: BotContext, press: Press[LeaveClasses]) -> None:
    """Leave one's classes (confirmed), or stay."""
    me, services = press.me, context.services
    await press.accept()
    if not press.payload.confirm:
        await reply(update, context, t(me.lang, "left_kept"))
        return
    now = services.clock.now()
    names = await services.db.as_learner(me.id, lambda session, row: classes.leave(session=session, learner=row,
                                                                                    now=now))
    await reply(update, context, t(me.lang, "left_classes", names=", ".join(names)) if names
                else t(me.lang, "left_nothing"))


@on_press(ClassLeave)
async def confirm_leave(update: Update, context: BotContext, press: Press[ClassLeave]) -> None:
    """Stop teaching the class (confirmed), or keep teaching it."""
    me, services = press.me, context.services
    class_id = press.payload.class_id
    try:  # a class this user does not teach is a stale button, whether it exists or not
        name = await services.db.run(lambda session: class_leaving.name_for_instructor(
            session=session, class_id=class_id, telegram_id=me.telegram_id))
    except ClassNotFound:
        raise StaleButton(f"class {class_id}") from None
    await press.accept()
    if not press.payload.confirm:
        await reply(update, context, t(me.lang, "leave_teaching_kept", name=name))
        return
    try:
        still = await services.db.run(lambda session: class_leaving.stop_teaching(
            session=session, telegram_id=me.telegram_id, class_id=class_id,
            first_instructors=services.settings.instructor_ids, now=services.clock.now(),
            notice=lambda lang, who, class_name, cid: t(lang, "co_instructor_left", who=who, name=class_name, id=cid)))
    except OwnerCannotLeave as exc:
        await reply(update, context, owner_stays_text(me.lang, [class_leaving.Teaching(class_id, exc.class_name, True)]))
        return
    except (NotInstructor, ClassNotFound):  # already left, or the class was deleted meanwhile
        await reply(update, context, t(me.lang, "leave_teaching_none", name=name))
        return
    services.outbox_signal.set()  # the owner's notice is queued
    log.info("co-instructor %s stopped teaching class %s", me.telegram_id, class_id)
    await reply(update, context, t(me.lang, "leave_teaching_done", name=name))
    if not still:  # no class left to teach: the instructor commands leave their menu
        try:
            await context.bot.delete_my_commands(scope=BotCommandScopeChat(update.effective_chat.id))
        except TelegramError as exc:  # the menu is a convenience: the commands refuse them anyway
            log.info("could not reset the menu of %s: %s", update.effective_chat.id, exc)


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler(["leave", "quitter"], leave_command, filters=PRIVATE),
        press_handler(confirm_leave),
        press_handler(confirm_leave_classes),
    ]
