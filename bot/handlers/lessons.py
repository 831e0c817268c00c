"""The lesson reader: phone-sized pages with Suivant / Quiz / Menu buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import callbacks
from bot.content import Course, Lesson
from bot.context import BotContext
from bot.handlers.common import (
    PRIVATE,
    Scope,
    acknowledge,
    drop_buttons,
    enrolled_course,
    keyboard,
    learner_scope,
    reply,
)
from bot.i18n import label, t
from bot.services import journey
from bot.services.errors import NotEnrolled, StaleReference
from bot.views.lessons import lesson_page

__all__ = ["handlers"]


async def send_lesson_page(update: Update, context: BotContext, scope: Scope, course: Course, lesson: Lesson,
                           page: int) -> None:
    view = lesson_page(context.services.lesson_pages, scope.lang, course, lesson, page)
    await reply(update, context, view.text, view.markup)


async def show_page(update: Update, context: BotContext) -> None:
    """Show one page of a lesson (button `les:<lesson>:<page>`)."""
    query = update.callback_query
    data = callbacks.parse(query.data)
    with learner_scope(context, update.effective_user) as scope:
        try:
            course = journey.active_course(catalog=context.services.catalog, learner=scope.learner)
            lesson = journey.find_lesson(course, data.arg(0))
            page = int(data.arg(1, "0"))
        except (NotEnrolled, StaleReference, ValueError):
            await acknowledge(update, t(scope.lang, "stale_button"), alert=True)
            return
        await acknowledge(update)
        await drop_buttons(update)
        await send_lesson_page(update, context, scope, course, lesson, page)


async def finish_lesson(update: Update, context: BotContext) -> None:
    """Mark the lesson done and open the next one (button `done:<lesson>`)."""
    query = update.callback_query
    with learner_scope(context, update.effective_user) as scope:
        try:
            course = journey.active_course(catalog=context.services.catalog, learner=scope.learner)
            step = journey.complete_lesson(
                session=scope.session, catalog=context.services.catalog, learner=scope.learner,
                lesson_id=callbacks.parse(query.data).arg(0), now=scope.now,
            )
        except (NotEnrolled, StaleReference):
            await acknowledge(update, t(scope.lang, "stale_button"), alert=True)
            return
        await acknowledge(update, t(scope.lang, "lesson_done") if step.newly_completed else None)
        await drop_buttons(update)
        if step.next_lesson is None:
            await reply(update, context, t(scope.lang, "course_finished", course=course.title),
                        keyboard([[(label(scope.lang, "btn_progress"), "prog"), (label(scope.lang, "btn_menu"), "menu")]]))
            return
        await send_lesson_page(update, context, scope, course, step.next_lesson, 0)


async def lesson_command(update: Update, context: BotContext) -> None:
    """Open the current lesson (/lesson)."""
    with learner_scope(context, update.effective_user) as scope:
        course = await enrolled_course(update, context, scope)
        if course is None:
            return
        lesson = journey.current_lesson(session=scope.session, catalog=context.services.catalog, learner=scope.learner)
        if lesson is None:
            await reply(update, context, t(scope.lang, "course_finished", course=course.title))
            return
        await send_lesson_page(update, context, scope, course, lesson, 0)


def handlers() -> list:
    return [
        CommandHandler(["lesson", "lecon"], lesson_command, filters=PRIVATE),
        CallbackQueryHandler(show_page, pattern=r"^les:"),
        CallbackQueryHandler(finish_lesson, pattern=r"^done:"),
    ]
