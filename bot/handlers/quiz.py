"""Quizzes: questions with letter buttons and immediate feedback, and quiz polls for the daily question."""

from __future__ import annotations

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, PollAnswerHandler

from bot import callbacks
from bot.content import Course
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
from bot.services import journey, quizzes
from bot.services.errors import NotEnrolled, StaleReference
from bot.views.quiz import LETTERS, question_text, question_view

__all__ = ["handlers"]

async def send_question(update: Update, context: BotContext, scope: Scope, course: Course, module_id: str) -> None:
    question = quizzes.next_question(session=scope.session, course=course, learner=scope.learner, module_id=module_id or None)
    if question is None and module_id:
        await reply(update, context, t(scope.lang, "module_quiz_done"),
                    keyboard([[(label(scope.lang, "btn_all_quiz"), callbacks.encode("quiz", "")),
                               (label(scope.lang, "btn_menu"), "menu")]]))
        return
    if question is None:
        await reply(update, context, t(scope.lang, "course_quiz_done"), keyboard([[(label(scope.lang, "btn_menu"), "menu")]]))
        return
    view = question_view(scope.lang, course, question)
    await reply(update, context, view.text, view.markup)


async def quiz_button(update: Update, context: BotContext) -> None:
    """Ask the next question of a module (button `quiz:<module>`)."""
    query = update.callback_query
    with learner_scope(context, update.effective_user) as scope:
        try:
            course = journey.active_course(catalog=context.services.catalog, learner=scope.learner)
        except NotEnrolled:
            await acknowledge(update, t(scope.lang, "stale_button"), alert=True)
            return
        await acknowledge(update)
        await drop_buttons(update)
        module_id = callbacks.parse(query.data).arg(0)
        if module_id and module_id not in {m.id for m in course.modules}:
            module_id = ""
        await send_question(update, context, scope, course, module_id)


async def quiz_command(update: Update, context: BotContext) -> None:
    """Ask the next question of the current module (/quiz)."""
    with learner_scope(context, update.effective_user) as scope:
        course = await enrolled_course(update, context, scope)
        if course is None:
            return
        lesson = journey.current_lesson(session=scope.session, catalog=context.services.catalog, learner=scope.learner)
        module_id = course.module_of(lesson.id).id if lesson else ""
        await send_question(update, context, scope, course, module_id)


async def answer_button(update: Update, context: BotContext) -> None:
    """Record an answer and explain it (button `ans:<question>:<choice>`)."""
    query = update.callback_query
    data = callbacks.parse(query.data)
    with learner_scope(context, update.effective_user) as scope:
        try:
            course = journey.active_course(catalog=context.services.catalog, learner=scope.learner)
            outcome = quizzes.answer_question(
                session=scope.session, course=course, learner=scope.learner,
                question_id=data.arg(0), choice=int(data.arg(1, "-1")), now=scope.now,
            )
        except (NotEnrolled, StaleReference, ValueError):
            await acknowledge(update, t(scope.lang, "stale_button"), alert=True)
            return
        question = outcome.question
        await acknowledge(update, t(scope.lang, "answer_right_short") if outcome.correct else t(scope.lang, "answer_wrong_short"))
        verdict = "answer_right" if outcome.correct else "answer_wrong"
        text = t(scope.lang, verdict, letter=LETTERS[question.answer], option=question.options[question.answer])
        text += "\n\n" + t(scope.lang, "explanation", text=question.explanation)
        module = course.module_of_question(question.id)
        rows = [[(label(scope.lang, "btn_next_question"), callbacks.encode("quiz", module.id if module else "")),
                 (label(scope.lang, "btn_menu"), "menu")]]
        # The verdict replaces the buttons under the question: one message per question on the phone.
        full = question_text(scope.lang, course, question) + "\n\n" + text
        try:
            await query.edit_message_text(full, reply_markup=keyboard(rows))
        except BadRequest:  # too old to edit, or deleted: say it in a new message
            await reply(update, context, text, keyboard(rows))


async def poll_answer(update: Update, context: BotContext) -> None:
    """Record the answer to a quiz poll (the update carries no chat: look the poll up)."""
    answer = update.poll_answer
    if answer is None or answer.user is None or not answer.option_ids:
        return
    services = context.services
    quizzes.answer_poll(engine=services.engine, catalog=services.catalog, poll_id=answer.poll_id,
                        telegram_id=answer.user.id, choice=answer.option_ids[0], now=services.clock.now())


def handlers() -> list:
    return [
        CommandHandler("quiz", quiz_command, filters=PRIVATE),
        CallbackQueryHandler(quiz_button, pattern=r"^quiz:"),
        CallbackQueryHandler(answer_button, pattern=r"^ans:"),
        PollAnswerHandler(poll_answer),
    ]
