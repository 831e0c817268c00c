"""/start, deep links, course choice and the main menu."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler

from bot.callbacks import ChooseCourse, Help, LessonPage, Menu, Progress, QuizModule, SettingsAction
from bot.context import BotContext
from bot.handlers.buttons import Press, on_press, press_handler, same_as_command
from bot.handlers.common import PRIVATE, Scope, keyboard, learner_scope, reply
from bot.i18n import label, t
from bot.services import journey
from bot.services.errors import NotEnrolled, UnknownCourse

__all__ = ["handlers", "menu_markup", "send_menu"]


async def start(update: Update, context: BotContext) -> None:
    """Welcome the learner; `/start <course-id>` enrols directly."""
    catalog = context.services.catalog
    with learner_scope(context, update.effective_user) as scope:
        if context.args:
            course_id = context.args[0][:64]
            try:
                course = journey.enroll(
                    session=scope.session, catalog=catalog, learner=scope.learner, course_id=course_id, now=scope.now
                )
            except UnknownCourse:
                await reply(update, context, t(scope.lang, "unknown_course", course=course_id))
                await _offer_courses(update, context, scope)
                return
            await send_menu(update, context, scope,
                            greeting=t(scope.lang, "enrolled", name=scope.learner.first_name, course=course.title))
            return
        if scope.learner.active_course in catalog.courses:
            await send_menu(update, context, scope, greeting=t(scope.lang, "welcome_back", name=scope.learner.first_name))
            return
        await reply(update, context, t(scope.lang, "welcome", name=scope.learner.first_name))
        await _offer_courses(update, context, scope)


@on_press(ChooseCourse)
async def choose_course(update: Update, context: BotContext, press: Press[ChooseCourse]) -> None:
    """Enrol in the course whose button was pressed."""
    scope = press.scope
    course = journey.enroll(
        session=scope.session, catalog=context.services.catalog, learner=scope.learner,
        course_id=press.payload.course_id, now=scope.now,
    )
    await press.accept()
    await send_menu(update, context, scope,
                    greeting=t(scope.lang, "enrolled", name=scope.learner.first_name, course=course.title))


async def show_menu(update: Update, context: BotContext) -> None:
    """Show the main menu (button or /menu)."""
    with learner_scope(context, update.effective_user) as scope:
        if scope.learner.active_course not in context.services.catalog.courses:
            await _offer_courses(update, context, scope)
            return
        await send_menu(update, context, scope)


async def send_menu(update: Update, context: BotContext, scope: Scope, *, greeting: str | None = None) -> None:
    """The menu, under a greeting when there is one: one message, not two."""
    text, markup = menu_markup(context, scope)
    await reply(update, context, f"{greeting}\n\n{text}" if greeting else text, markup)


def menu_markup(context: BotContext, scope: Scope) -> tuple[str, InlineKeyboardMarkup | None]:
    catalog = context.services.catalog
    try:
        course = journey.active_course(catalog=catalog, learner=scope.learner)
    except NotEnrolled:
        return t(scope.lang, "choose_course"), None
    lesson = journey.current_lesson(session=scope.session, catalog=catalog, learner=scope.learner)
    module_id = course.module_of(lesson.id).id if lesson else ""
    rows = [
        [(label(scope.lang, "btn_continue", title=lesson.title), LessonPage(lesson.id, 0).encode())] if lesson else [],
        [(label(scope.lang, "btn_quiz"), QuizModule(module_id).encode()),
         (label(scope.lang, "btn_progress"), Progress().encode())],
        [(label(scope.lang, "btn_settings"), SettingsAction().encode()),
         (label(scope.lang, "btn_help"), Help().encode())],
    ]
    heading = t(scope.lang, "menu", course=course.title) if lesson else t(scope.lang, "course_finished", course=course.title)
    return heading, keyboard(rows)


async def _offer_courses(update: Update, context: BotContext, scope: Scope) -> None:
    courses = context.services.catalog.courses.values()
    if not courses:
        await reply(update, context, t(scope.lang, "no_courses"))
        return
    lines = [t(scope.lang, "choose_course")]
    lines += [f"\n<b>{escape(c.title)}</b>\n{escape(c.description)}" for c in courses]
    rows = [[(c.title[:60], ChooseCourse(c.id).encode())] for c in courses]
    await reply(update, context, "\n".join(lines), keyboard(rows))


def handlers() -> list:
    private = PRIVATE
    return [
        CommandHandler("start", start, filters=private),
        CommandHandler("menu", show_menu, filters=private),
        press_handler(choose_course),
        same_as_command(Menu, show_menu),
    ]
