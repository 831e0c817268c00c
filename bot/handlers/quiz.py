"""Quizzes: questions with letter buttons and immediate feedback, and quiz polls for the daily question."""

from __future__ import annotations

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CommandHandler, PollAnswerHandler

from bot.callbacks import Answer, LessonPage, Menu, QuizModule
from bot.content import Course, Lesson, Question
from bot.context import BotContext
from bot.handlers.buttons import Press, on_press, press_handler
from bot.handlers.common import PRIVATE, LearnerSnapshot, enrolled_course, keyboard, learner, reply
from bot.i18n import label, t
from bot.services import journey, lesson_reading, quizzes
from bot.services.unit_of_work import LearnerRow, Session
from bot.views.quiz import LETTERS, question_text, question_view

__all__ = ["handlers"]


async def send_question(update: Update, context: BotContext, me: LearnerSnapshot, course: Course,
                        module_id: str) -> None:
    """The next question not yet mastered, or the news that there is none left."""
    catalog = context.services.catalog

    def pick(session: Session, row: LearnerRow) -> tuple[Question | None, int, Lesson | None]:
        question = quizzes.next_question(session=session, course=course, learner=row, module_id=module_id or None)
        if question is not None:
            return question, 0, None
        waiting = lesson_reading.questions_waiting_for_reading(session=session, course=course, learner=row,
                                                               module_id=module_id or None)
        if waiting and module_id:  # this module waits for reading: a question on a lesson read elsewhere
            elsewhere = quizzes.next_question(session=session, course=course, learner=row)
            if elsewhere is not None:
                return elsewhere, 0, None
        return None, waiting, journey.current_lesson(session=session, catalog=catalog, learner=row)

    question, waiting, to_read = await context.services.db.as_learner(me.id, pick)
    if question is None and waiting:  # questions remain, on lessons not read yet
        rows = [[(label(me.lang, "btn_read_lesson", title=to_read.title)[:60], LessonPage(to_read.id).encode())]
                if to_read else [], [(label(me.lang, "btn_menu"), Menu().encode())]]
        await reply(update, context, t(me.lang, "quiz_read_first", count=waiting), keyboard(rows))
        return
    if question is None and module_id:
        await reply(update, context, t(me.lang, "module_quiz_done"),
                    keyboard([[(label(me.lang, "btn_all_quiz"), QuizModule().encode()),
                               (label(me.lang, "btn_menu"), Menu().encode())]]))
        return
    if question is None:
        await reply(update, context, t(me.lang, "course_quiz_done"),
                    keyboard([[(label(me.lang, "btn_menu"), Menu().encode())]]))
        return
    view = question_view(me.lang, course, question)
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
    services = context.services
    me = await learner(update, context)
    course = await enrolled_course(update, context, me)
    if course is None:
        return
    place = await services.db.as_learner(
        me.id, lambda session, row: journey.bookmark(session=session, catalog=services.catalog, learner=row))
    await send_question(update, context, me, course, place.module_id)


@on_press(Answer)
async def answer_button(update: Update, context: BotContext, press: Press[Answer]) -> None:
    """Record an answer and explain it, in place of the question's buttons."""
    services, lang = context.services, press.me.lang
    course = journey.active_course(catalog=services.catalog, learner=press.me)
    now = services.clock.now()

    def answer(session: Session, row: LearnerRow) -> quizzes.AnswerOutcome:
        return quizzes.answer_question(session=session, course=course, learner=row,
                                       question_id=press.payload.question_id, choice=press.payload.choice, now=now)

    def answer_then_next(session: Session, row: LearnerRow) -> tuple[quizzes.AnswerOutcome, Lesson | None]:
        return answer(session, row), journey.current_lesson(session=session, catalog=services.catalog, learner=row)

    outcome, next_lesson = await services.db.as_learner(press.me.id, answer_then_next)
    question = outcome.question
    await press.accept(t(lang, "answer_right_short" if outcome.correct else "answer_wrong_short"), keep_buttons=True)
    verdict = "answer_right" if outcome.correct else "answer_wrong"
    text = t(lang, verdict, letter=LETTERS[question.answer], option=question.options[question.answer])
    text += "\n\n" + t(lang, "explanation", text=question.explanation)
    module = course.module_of_question(question.id)
    markup = keyboard([[(label(lang, "btn_next_question"), QuizModule(module.id if module else "").encode()),
                        (label(lang, "btn_menu"), Menu().encode())],
                       [(label(lang, "btn_next_lesson"), LessonPage(next_lesson.id).encode())] if next_lesson else []])
    # The verdict replaces the buttons under the question: one message per question on the phone.
    full = question_text(lang, course, question) + "\n\n" + text
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
        press_handler(answer_button),
        PollAnswerHandler(poll_answer),
    ]
