"""The lesson reader: phone-sized pages with Suivant / Quiz / Menu buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import FinishLesson, LessonPage, Menu, Progress
from bot.content import Course, Lesson
from bot.context import BotContext
from bot.handlers.buttons import Press, on_press, press_handler
from bot.handlers.common import PRIVATE, Scope, enrolled_course, keyboard, learner_scope, reply
from bot.i18n import label, t
from bot.services import journey
from bot.views.lessons import lesson_page

__all__ = ["handlers"]


async def send_lesson_page(update: Update, context: BotContext, scope: Scope, course: Course, lesson: Lesson,
                           page: int) -> None:
    view = lesson_page(context.services.lesson_pages, scope.lang, course, lesson, page)
    await reply(update, context, view.text, view.markup)


@on_press(LessonPage)
async def show_page(update: Update, context: BotContext, press: Press[LessonPage]) -> None:
    """Show one page of a lesson."""
    scope = press.scope
    course = journey.active_course(catalog=context.services.catalog, learner=scope.learner)
    lesson = journey.find_lesson(course, press.payload.lesson_id)
    await press.accept()
    await send_lesson_page(update, context, scope, course, lesson, press.payload.page)


@on_press(FinishLesson)
async def finish_lesson(update: Update, context: BotContext, press: Press[FinishLesson]) -> None:
    """Mark the lesson done and open the next one."""
    scope = press.scope
    course = journey.active_course(catalog=context.services.catalog, learner=scope.learner)
    step = journey.complete_lesson(
        session=scope.session, catalog=context.services.catalog, learner=scope.learner,
        lesson_id=press.payload.lesson_id, now=scope.now,
    )
    await press.accept(t(scope.lang, "lesson_done") if step.newly_completed else None)
    if step.next_lesson is None:
        await reply(update, context, t(scope.lang, "course_finished", course=course.title),
                    keyboard([[(label(scope.lang, "btn_progress"), Progress().encode()),
                               (label(scope.lang, "btn_menu"), Menu().encode())]]))
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
        press_handler(show_page),
        press_handler(finish_lesson),
    ]
