"""The lesson reader: phone-sized pages with Suivant / Quiz / Menu buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.callbacks import FinishLesson, LessonPage, Menu, Progress
from bot.content import Course, Lesson
from bot.context import BotContext
from bot.handlers.buttons import Press, on_press, press_handler
from bot.handlers.common import PRIVATE, LearnerSnapshot, identity, keyboard, reply
from bot.i18n import label, t
from bot.services import journey, lesson_reading, shown_items
from bot.services.unit_of_work import LearnerRow, Session
from bot.views.lessons import lesson_page

__all__ = ["handlers", "send_lesson_page"]


async def send_lesson_page(update: Update, context: BotContext, lang: str, course: Course, lesson: Lesson,
                           page: int, me: LearnerSnapshot | None = None) -> None:
    """Show a page; showing the last one counts the lesson as read (no extra press needed)."""
    services = context.services
    view = lesson_page(services.lesson_pages, lang, course, lesson, page)
    await reply(update, context, view.text, view.markup)
    pages = len(services.lesson_pages.of(course, lesson))
    if me is not None and page >= pages - 1:
        now = services.clock.now()
        await services.db.run(lambda session: lesson_reading.page_shown(
            session=session, catalog=services.catalog, learner=me, lesson_id=lesson.id, page=page, pages=pages,
            now=now))


@on_press(LessonPage)
async def show_page(update: Update, context: BotContext, press: Press[LessonPage]) -> None:
    """Show one page of a lesson."""
    course = journey.active_course(catalog=context.services.catalog, learner=press.me)
    lesson = journey.find_lesson(course, press.payload.lesson_id)
    await press.accept()
    await send_lesson_page(update, context, press.me.lang, course, lesson, press.payload.page, press.me)


@on_press(FinishLesson)
async def finish_lesson(update: Update, context: BotContext, press: Press[FinishLesson]) -> None:
    """Mark the lesson done and open the next one."""
    services, me = context.services, press.me
    course = journey.active_course(catalog=services.catalog, learner=me)
    now = services.clock.now()

    def complete(session: Session, row: LearnerRow) -> journey.LessonStep:
        shown_items.check_lesson_end_shown(session=session, learner_id=me.id, course_id=course.id,
                                           lesson_id=press.payload.lesson_id)  # forged or stale: "expired"
        return journey.complete_lesson(session=session, catalog=services.catalog, learner=row,
                                       lesson_id=press.payload.lesson_id, now=now)

    step = await services.db.as_learner(me.id, complete)
    await press.accept(t(me.lang, "lesson_done") if step.newly_completed else None)
    if step.next_lesson is None:
        await reply(update, context, t(me.lang, "course_finished", course=course.title),
                    keyboard([[(label(me.lang, "btn_progress"), Progress().encode()),
                               (label(me.lang, "btn_menu"), Menu().encode())]]))
        return
    await send_lesson_page(update, context, me.lang, course, step.next_lesson, 0, me)


async def lesson_command(update: Update, context: BotContext) -> None:
    """Open the current lesson (/lesson)."""
    services = context.services

    def where(session: Session, me: LearnerSnapshot) -> tuple[Course, Lesson | None] | None:
        if me.active_course not in services.catalog.courses:
            return None  # not enrolled
        return (journey.active_course(catalog=services.catalog, learner=me),
                journey.current_lesson(session=session, catalog=services.catalog, learner=me))

    me, found = await services.db.as_visitor(identity(update), where)  # who wrote and where they are: one trip
    if found is None:
        await reply(update, context, t(me.lang, "not_enrolled"))
        return
    course, lesson = found
    if lesson is None:
        await reply(update, context, t(me.lang, "course_finished", course=course.title))
        return
    await send_lesson_page(update, context, me.lang, course, lesson, 0, me)


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler(["lesson", "lecon"], lesson_command, filters=PRIVATE),
        press_handler(show_page),
        press_handler(finish_lesson),
    ]
