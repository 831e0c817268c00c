"""/memo: each module's cheat sheet, one line per command; /def <term>: the glossary, on the phone."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.callbacks import Define, LessonPage, Memo
from bot.content import Course, GlossaryTerm
from bot.context import BotContext
from bot.handlers.buttons import Press, on_press, press_handler
from bot.handlers.common import (
    LearnerSnapshot,
    acknowledge,
    enrolled_course,
    keyboard,
    learner,
    reply,
)
from bot.i18n import label, t
from bot.services import journey
from bot.services.glossary import fold, look_up
from bot.views.free_text import define_view, suggestions_view

__all__ = ["handlers"]


def memo_text(lang: str, course: Course, module_id: str) -> str | None:
    module = course.module(module_id)
    if module is None or not module.memo:
        return None
    lines = [t(lang, "memo_heading", title=module.title), ""]
    lines += [f"<code>{escape(command)}</code> : {escape(does)}" for command, does in module.memo.items()]
    return "\n".join(lines)


async def _show(update: Update, context: BotContext, me: LearnerSnapshot, course: Course, wanted: str) -> None:
    if not wanted:
        rows = [[(f"{m.id} · {m.title}"[:60], Memo(m.id).encode())] for m in course.modules if m.memo]
        await reply(update, context, t(me.lang, "memo_choose"), keyboard(rows))
        return
    module_id = next((m.id for m in course.modules if fold(wanted) in (m.id, fold(m.id.lstrip("m").lstrip("0")))),
                     fold(wanted))
    text = memo_text(me.lang, course, module_id)
    if text is None:
        await reply(update, context, t(me.lang, "memo_unknown", module=wanted[:40]))
        return
    await reply(update, context, text)


async def memo_command(update: Update, context: BotContext) -> None:
    me = await learner(update, context)
    course = await enrolled_course(update, context, me)
    if course is None:
        return
    await _show(update, context, me, course, " ".join(context.args or []).strip())


@on_press(Memo)
async def memo_button(update: Update, context: BotContext, press: Press[Memo]) -> None:
    course = journey.active_course(catalog=context.services.catalog, learner=press.me)
    await press.accept(keep_buttons=True)
    await _show(update, context, press.me, course, press.payload.module_id)


async def def_command(update: Update, context: BotContext) -> None:
    me = await learner(update, context)
    course = await enrolled_course(update, context, me)
    if course is None:
        return
    query = " ".join(context.args or []).strip()
    if not query:
        await reply(update, context, t(me.lang, "def_usage"))
        return
    result = look_up(course, query)
    if result.found is None:
        view = suggestions_view(me.lang, query, result.suggestions)
        await reply(update, context, view.text, view.markup)
        return
    await _define(update, context, me, course, result.found)


async def _define(update: Update, context: BotContext, me: LearnerSnapshot, course: Course, term: GlossaryTerm) -> None:
    lesson = course.lesson(term.lesson) if term.lesson else None
    view = define_view(me.lang, term, lesson_title=lesson.title if lesson else None)
    rows = [[(label(me.lang, "btn_read_lesson", title=lesson.title), LessonPage(lesson.id, 0).encode())]] if lesson else []
    await reply(update, context, view.text, keyboard(rows) if rows else None)


@on_press(Define)
async def define_button(update: Update, context: BotContext, press: Press[Define]) -> None:
    """A suggested glossary term's button: its definition."""
    course = journey.active_course(catalog=context.services.catalog, learner=press.me)
    found = look_up(course, press.payload.term).found
    if found is None:  # a term gone from the glossary since, or forged data
        await acknowledge(update, t(press.me.lang, "stale_button"), alert=True)
        press.answered = True
        return
    await press.accept(keep_buttons=True)
    await _define(update, context, press.me, course, found)


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler(["memo", "aidememoire"], memo_command),
        CommandHandler(["def", "definition"], def_command),
        press_handler(memo_button),
        press_handler(define_button),
    ]
