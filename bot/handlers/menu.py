"""/start, deep links, course choice and the main menu."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.callbacks import ChooseCourse, Menu
from bot.context import BotContext
from bot.handlers.buttons import Press, on_press, press_handler, same_as_command
from bot.handlers.common import PRIVATE, LearnerSnapshot, identity, learner, reply
from bot.i18n import t
from bot.services import journey
from bot.services.errors import NotEnrolled
from bot.services.unit_of_work import LearnerRow, Session
from bot.views.menu import courses_view, menu_view

__all__ = ["handlers"]


async def start(update: Update, context: BotContext) -> None:
    """Welcome the learner; `/start <course-id>` enrols directly."""
    catalog = context.services.catalog
    course_id = context.args[0][:64] if context.args else None
    now = context.services.clock.now()

    def visit(session: Session, me: LearnerSnapshot) -> journey.Bookmark | None:
        """Enrol (deep link) or find where the learner is; None for an unknown course or none yet."""
        if course_id is not None:
            if course_id not in catalog.courses:
                return None
            return journey.enroll_visitor(session=session, catalog=catalog, learner=me, course_id=course_id, now=now)
        if me.active_course not in catalog.courses:
            return None
        return journey.bookmark(session=session, catalog=catalog, learner=me)

    if course_id is not None and course_id[:2] in ("j-", "i-"):  # a class link cut or mistyped (a whole one
        me = await learner(update, context)                       # joins: bot/handlers/classes.py)
        await reply(update, context, t(me.lang, "free_join_link_broken"))
        return
    me, place = await context.services.db.as_visitor(identity(update), visit)  # who wrote and where: one trip
    if course_id is not None and place is None:
        await reply(update, context, t(me.lang, "unknown_course", course=course_id))
        await _offer_courses(update, context, me)
    elif course_id is not None and place is not None:
        await _send_menu(update, context, me, place, t(me.lang, "enrolled", name=me.first_name, course=place.course.title))
    elif place is not None:
        await _send_menu(update, context, me, place, t(me.lang, "welcome_back", name=me.first_name))
    else:
        welcome = "welcome" if context.services.settings.lab_enabled else "welcome_no_lab"
        await reply(update, context, t(me.lang, welcome, name=me.first_name))
        await _offer_courses(update, context, me)


@on_press(ChooseCourse)
async def choose_course(update: Update, context: BotContext, press: Press[ChooseCourse]) -> None:
    """Enrol in the course whose button was pressed."""
    me = press.me
    place = await _enroll(context, me, press.payload.course_id)
    await press.accept()
    await _send_menu(update, context, me, place, t(me.lang, "enrolled", name=me.first_name, course=place.course.title))


async def show_menu(update: Update, context: BotContext, *, greeting: str | None = None,
                    me: LearnerSnapshot | None = None) -> None:
    """Show the main menu (button or /menu)."""
    me = me or await learner(update, context)
    catalog = context.services.catalog
    try:
        place = await context.services.db.as_learner(
            me.id, lambda session, row: journey.bookmark(session=session, catalog=catalog, learner=row))
    except NotEnrolled:
        await _offer_courses(update, context, me)
        return
    await _send_menu(update, context, me, place, greeting)


async def _enroll(context: BotContext, me: LearnerSnapshot, course_id: str) -> journey.Bookmark:
    services = context.services
    now = services.clock.now()

    def enroll(session: Session, row: LearnerRow) -> journey.Bookmark:
        journey.enroll(session=session, catalog=services.catalog, learner=row, course_id=course_id, now=now)
        return journey.bookmark(session=session, catalog=services.catalog, learner=row)

    return await services.db.as_learner(me.id, enroll)


async def _send_menu(update: Update, context: BotContext, me: LearnerSnapshot, place: journey.Bookmark,
                     greeting: str | None) -> None:
    view = menu_view(me.lang, place, greeting=greeting, lab=context.services.settings.lab_enabled)
    await reply(update, context, view.text, view.markup)


async def _offer_courses(update: Update, context: BotContext, me: LearnerSnapshot) -> None:
    view = courses_view(me.lang, context.services.catalog.courses.values())
    await reply(update, context, view.text, view.markup)


def handlers() -> list[BaseHandler]:
    private = PRIVATE
    return [
        CommandHandler("start", start, filters=private),
        CommandHandler("menu", show_menu, filters=private),
        press_handler(choose_course),
        same_as_command(Menu, show_menu),
    ]
