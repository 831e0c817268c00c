"""The lesson reader: phone-sized pages with Suivant / Quiz / Menu buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import callbacks
from bot.content import Course, Lesson, render_lesson_pages
from bot.context import BotContext
from bot.handlers.common import (
    PRIVATE,
    Scope,
    acknowledge,
    commit_pending,
    drop_buttons,
    enrolled_course,
    keyboard,
    learner_scope,
    reply,
)
from bot.i18n import label, t
from bot.services import journey
from bot.services.errors import NotEnrolled, StaleReference

__all__ = ["handlers", "send_lesson_page"]


def lesson_pages(context: BotContext, course: Course, lesson: Lesson) -> list[str]:
    """Rendered pages, cached per lesson: rendering Markdown on every press is wasted work."""
    cache: dict[tuple[str, str], list[str]] = context.services.extras.setdefault("lesson_pages", {})
    key = (course.id, lesson.id)
    if key not in cache:
        cache[key] = render_lesson_pages(lesson)
    return cache[key]


async def send_lesson_page(update: Update, context: BotContext, scope: Scope, course: Course, lesson: Lesson,
                           page: int, *, chat_id: int | None = None) -> None:
    pages = lesson_pages(context, course, lesson)
    page = max(0, min(page, len(pages) - 1))
    module = course.module_of(lesson.id)
    lang = scope.lang
    if page < len(pages) - 1:
        rows = [[(label(lang, "btn_next_page", page=page + 2, total=len(pages)), callbacks.encode("les", lesson.id, page + 1))],
                [(label(lang, "btn_menu"), "menu")]]
    else:
        rows = [
            [(label(lang, "btn_next"), callbacks.encode("done", lesson.id))],
            [(label(lang, "btn_exercise"), callbacks.encode("ex", lesson.exercise))] if lesson.exercise else [],
            [(label(lang, "btn_quiz"), callbacks.encode("quiz", module.id)), (label(lang, "btn_menu"), "menu")],
        ]
    text = pages[page]
    target = chat_id if chat_id is not None else update.effective_chat.id
    commit_pending()
    await context.bot.send_message(chat_id=target, text=text, reply_markup=keyboard(rows))


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
