"""/lessons: a table of contents that jumps to any module or lesson."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.callbacks import LessonsToc
from bot.context import BotContext
from bot.handlers.buttons import Press, on_press, press_handler
from bot.handlers.common import PRIVATE, enrolled_course, learner, reply
from bot.services import journey, lesson_reading
from bot.services.errors import StaleReference
from bot.views.lessons_toc import module_lessons_view, modules_view

__all__ = ["handlers"]


async def lessons_command(update: Update, context: BotContext) -> None:
    """Show the course's modules as buttons (/lessons)."""
    me = await learner(update, context)
    course = await enrolled_course(update, context, me)
    if course is None:
        return
    read = await context.services.db.run(lambda session: lesson_reading.lessons_read(
        session=session, learner_id=me.id, course_id=course.id))
    view = modules_view(me.lang, course, read)
    await reply(update, context, view.text, view.markup)


@on_press(LessonsToc)
async def toc_pressed(update: Update, context: BotContext, press: Press[LessonsToc]) -> None:
    """Show the modules, or one module's lessons."""
    me = press.me
    course = journey.active_course(catalog=context.services.catalog, learner=me)
    read = await context.services.db.run(lambda session: lesson_reading.lessons_read(
        session=session, learner_id=me.id, course_id=course.id))
    if press.payload.module_id:
        view = module_lessons_view(me.lang, course, press.payload.module_id, read)
        if view is None:
            raise StaleReference(f"module {press.payload.module_id}")
    else:
        view = modules_view(me.lang, course, read)
    await press.accept()
    await reply(update, context, view.text, view.markup)


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler(["lessons", "lecons", "sommaire"], lessons_command, filters=PRIVATE),
        press_handler(toc_pressed),
    ]
