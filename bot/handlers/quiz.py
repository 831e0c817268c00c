"""Quizzes: questions with letter buttons and immediate feedback, and quiz polls for the daily question."""

from __future__ import annotations

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, PollAnswerHandler

from bot.callbacks import Answer, LessonPage, Menu, QuizModule, ReviewNext, StaleButton
from bot.content import Catalog, Course, Lesson, Question
from bot.context import BotContext
from bot.handlers.buttons import Press, on_press, press_handler
from bot.handlers.common import (
    PRIVATE,
    LearnerSnapshot,
    acknowledge,
    identity,
    keyboard,
    learner_and,
    reply,
)
from bot.i18n import label, t
from bot.services import journey, lesson_reading, quizzes
from bot.services.errors import StaleReference
from bot.services.unit_of_work import LearnerRow, Session
from bot.views.quiz import letter_of_answer, question_text, question_view

__all__ = ["handlers"]

Answered = tuple[Course, quizzes.AnswerOutcome, quizzes.Order, Lesson | None]
"""What an answer button's unit of work hands back: the course, the verdict, the order shown, the next lesson."""


async def send_question(update: Update, context: BotContext, me: LearnerSnapshot, course: Course,
                        module_id: str) -> None:
    """The next question not yet mastered, or the news that there is none left."""
    catalog = context.services.catalog
    choice = await context.services.db.as_learner(
        me.id, lambda session, row: _choose(session, catalog, course, row, module_id))
    await _send_choice(update, context, me, course, module_id, choice)


Choice = tuple["Picked", int, Lesson | None]
"""The question to ask (or None), how many wait for reading, and the lesson to read for them."""


def _choose(session: Session, catalog: Catalog, course: Course, row: LearnerRow, module_id: str) -> Choice:
    picked = _pick(session, course, row, module_id)
    if picked is not None:
        return picked, 0, None
    waiting = lesson_reading.questions_waiting_for_reading(session=session, course=course, learner=row,
                                                           module_id=module_id or None)
    if waiting and module_id:  # this module waits for reading: a question on a lesson read elsewhere
        elsewhere = _pick(session, course, row, "")
        if elsewhere is not None:
            return elsewhere, 0, None
    return None, waiting, journey.current_lesson(session=session, catalog=catalog, learner=row)


async def _send_choice(update: Update, context: BotContext, me: LearnerSnapshot, course: Course, module_id: str,
                       choice: Choice) -> None:
    picked, waiting, to_read = choice
    if picked is None and waiting:  # questions remain, on lessons not read yet
        rows = [[(label(me.lang, "btn_read_lesson", title=to_read.title)[:60], LessonPage(to_read.id).encode())]
                if to_read else [], [(label(me.lang, "btn_menu"), Menu().encode())]]
        await reply(update, context, t(me.lang, "quiz_read_first", count=waiting), keyboard(rows))
        return
    await _send_question(update, context, me, course, module_id, picked)


Picked = tuple[Question, quizzes.Order] | None
"""The next question and the order its options are shown in, or None when there is none left."""


def _pick(session: Session, course: Course, row: LearnerRow, module_id: str) -> Picked:
    question = quizzes.next_question(session=session, course=course, learner=row, module_id=module_id or None)
    if question is None:
        return None
    return question, quizzes.order_for_attempt(session=session, course=course, learner=row, question=question)


async def _send_question(update: Update, context: BotContext, me: LearnerSnapshot, course: Course, module_id: str,
                         picked: Picked) -> None:
    question = picked[0] if picked else None
    if question is None and module_id:
        await reply(update, context, t(me.lang, "module_quiz_done"),
                    keyboard([[(label(me.lang, "btn_all_quiz"), QuizModule().encode()),
                               (label(me.lang, "btn_menu"), Menu().encode())]]))
        return
    if question is None:
        await reply(update, context, t(me.lang, "course_quiz_done"),
                    keyboard([[(label(me.lang, "btn_menu"), Menu().encode())]]))
        return
    assert picked is not None
    view = question_view(me.lang, course, question, picked[1])
    await reply(update, context, view.text, view.markup)


@on_press(QuizModule)
async def quiz_button(update: Update, context: BotContext, press: Press[QuizModule]) -> None:
    """Ask the next question of a module (or of the course)."""
    course = journey.active_course(catalog=context.services.catalog, learner=press.me)
    await press.accept()
    module_id = press.payload.module_id
    if module_id and module_id not in {m.id for m in course.modules}:
        module_id = ""
    await send_question(update, context, press.me, course, module_id)


async def quiz_command(update: Update, context: BotContext) -> None:
    """Ask the next question of the current module (/quiz)."""
    catalog = context.services.catalog

    def next_in_module(session: Session, row: LearnerRow) -> tuple[Course, str, Choice] | None:
        if row.active_course not in catalog.courses:
            return None  # not enrolled
        place = journey.bookmark(session=session, catalog=catalog, learner=row)
        return place.course, place.module_id, _choose(session, catalog, place.course, row, place.module_id)

    me, found = await learner_and(update, context, next_in_module)  # one unit of work
    if found is None:
        await reply(update, context, t(me.lang, "not_enrolled"))
        return
    await _send_choice(update, context, me, *found)


async def answer_button(update: Update, context: BotContext) -> None:
    """Record an answer and explain it, in place of the question's buttons.

    The hottest path of the bot, so its preamble is `on_press`'s written out: who pressed and
    their answer are one unit of work, not two. A stale button gets the same alert.
    """
    services = context.services
    catalog, now = services.catalog, services.clock.now()
    try:
        payload: Answer | None = Answer.decode(update.callback_query.data)
    except StaleButton:
        payload = None

    def answer(session: Session, me: LearnerSnapshot) -> Answered | None:
        if payload is None or me.active_course not in catalog.courses:
            return None
        course = catalog.courses[me.active_course]
        try:
            order = quizzes.decode_order(payload.order, quizzes.find_question(course, payload.question_id))
            outcome = quizzes.record_answer(session=session, course=course, learner_id=me.id,
                                            question_id=payload.question_id, choice=payload.choice, now=now)
        except StaleReference:  # raised before anything is written
            return None
        next_lesson = journey.next_unread_lesson(session=session, course=course, learner_id=me.id)
        return course, outcome, order, next_lesson

    me, answered = await services.db.as_visitor(identity(update), answer)
    lang = me.lang
    if answered is None:
        await acknowledge(update, t(lang, "stale_button"), alert=True)
        return
    course, outcome, order, next_lesson = answered
    question = outcome.question
    await acknowledge(update, t(lang, "answer_right_short" if outcome.correct else "answer_wrong_short"))
    verdict = "answer_right" if outcome.correct else "answer_wrong"
    text = t(lang, verdict, letter=letter_of_answer(question, order), option=question.options[question.answer])
    text += "\n\n" + t(lang, "explanation", text=question.explanation)
    module = course.module_of_question(question.id)
    following = (ReviewNext() if payload is not None and payload.origin == "r"
                 else QuizModule(module.id if module else "")).encode()
    markup = keyboard([[(label(lang, "btn_next_question"), following),
                        (label(lang, "btn_menu"), Menu().encode())],
                       [(label(lang, "btn_next_lesson"), LessonPage(next_lesson.id).encode())] if next_lesson else []])
    # The verdict replaces the buttons under the question: one message per question on the phone.
    full = question_text(lang, course, question, order) + "\n\n" + text
    try:
        await update.callback_query.edit_message_text(full, reply_markup=markup)
    except BadRequest:  # too old to edit, or deleted: say it in a new message
        await reply(update, context, text, markup)


async def poll_answer(update: Update, context: BotContext) -> None:
    """Record the answer to a quiz poll (the update carries no chat: look the poll up)."""
    answer = update.poll_answer
    if answer is None or answer.user is None or not answer.option_ids:
        return
    services = context.services
    now = services.clock.now()
    await services.db.run(lambda session: quizzes.answer_poll(
        session=session, catalog=services.catalog, poll_id=answer.poll_id, telegram_id=answer.user.id,
        choice=answer.option_ids[0], now=now))


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("quiz", quiz_command, filters=PRIVATE),
        press_handler(quiz_button),
        CallbackQueryHandler(answer_button, pattern=Answer.matches),
        PollAnswerHandler(poll_answer),
    ]
