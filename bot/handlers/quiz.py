"""Quizzes: questions with letter buttons and immediate feedback, and quiz polls for the daily question."""

from __future__ import annotations

from collections.abc import Callable

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CommandHandler, PollAnswerHandler

from bot.callbacks import Answer, LessonPage, Menu, QuizModule, ReviewNext
from bot.content import Catalog, Course, Lesson, Question
from bot.context import BotContext
from bot.handlers.buttons import Press, on_press, press_handler
from bot.handlers.common import (
    PRIVATE,
    LearnerSnapshot,
    identity,
    keyboard,
    reply,
)
from bot.i18n import label, t
from bot.services import journey, lesson_reading, quizzes, shown_items
from bot.services.unit_of_work import Session
from bot.views.quiz import letter_of_answer, question_text, question_view

__all__ = ["handlers"]

Answered = tuple[Course, quizzes.AnswerOutcome, quizzes.Order, Lesson | None]
"""What an answer button's unit of work hands back: the course, the verdict, the order shown, the next lesson."""


async def send_question(update: Update, context: BotContext, me: LearnerSnapshot, course: Course,
                        module_id: str) -> None:
    """The next question not yet mastered, or the news that there is none left."""
    catalog = context.services.catalog
    choice = await context.services.db.run(lambda session: _choose(session, catalog, course, me, module_id))
    await _send_choice(update, context, me, course, module_id, choice)


Choice = tuple["Picked", int, Lesson | None]
"""The question to ask (or None), how many wait for reading, and the lesson to read for them."""


def _choose(session: Session, catalog: Catalog, course: Course, me: LearnerSnapshot, module_id: str) -> Choice:
    picked = _pick(session, course, me, module_id)
    if picked is not None:
        return picked, 0, None
    waiting = lesson_reading.questions_waiting_for_reading(session=session, course=course, learner=me,
                                                           module_id=module_id or None)
    if waiting and module_id:  # this module waits for reading: a question on a lesson read elsewhere
        elsewhere = _pick(session, course, me, "")
        if elsewhere is not None:
            return elsewhere, 0, None
    return None, waiting, journey.current_lesson(session=session, catalog=catalog, learner=me)


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


def _pick(session: Session, course: Course, me: LearnerSnapshot, module_id: str) -> Picked:
    question = quizzes.next_question(session=session, course=course, learner=me, module_id=module_id or None)
    if question is None:
        return None
    order = quizzes.order_for_attempt(session=session, course=course, learner=me, question=question)
    shown_items.question_asked(session=session, learner_id=me.id, question_id=question.id,
                               order=quizzes.encode_order(order))  # its buttons will count, and only them
    return question, order


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


def _choose_in_module(context: BotContext, payload: QuizModule) -> Callable[[Session, LearnerSnapshot], Chosen]:
    """The quiz button's database work, done with finding who pressed (one unit of work)."""
    catalog = context.services.catalog

    def choose(session: Session, me: LearnerSnapshot) -> Chosen:
        course = journey.active_course(catalog=catalog, learner=me)  # NotEnrolled: the button is stale
        module_id = payload.module_id
        if module_id and module_id not in {m.id for m in course.modules}:
            module_id = ""
        return course, module_id, _choose(session, catalog, course, me, module_id)

    return choose


Chosen = tuple[Course, str, Choice]
"""The course, the module (or "" for the whole course) and the choice made in it."""


@on_press(QuizModule, visit=_choose_in_module)
async def quiz_button(update: Update, context: BotContext, press: Press[QuizModule]) -> None:
    """Ask the next question of a module (or of the course)."""
    await press.accept()
    await _send_choice(update, context, press.me, *press.visited)


async def quiz_command(update: Update, context: BotContext) -> None:
    """Ask the next question of the current module (/quiz)."""
    catalog = context.services.catalog

    def next_in_module(session: Session, me: LearnerSnapshot) -> Chosen | None:
        if me.active_course not in catalog.courses:
            return None  # not enrolled
        place = journey.bookmark(session=session, catalog=catalog, learner=me)
        return place.course, place.module_id, _choose(session, catalog, place.course, me, place.module_id)

    me, found = await context.services.db.as_visitor(identity(update), next_in_module)  # one unit of work
    if found is None:
        await reply(update, context, t(me.lang, "not_enrolled"))
        return
    await _send_choice(update, context, me, *found)


def _record_answer(context: BotContext, payload: Answer) -> Callable[[Session, LearnerSnapshot], Answered]:
    """The answer button's database work, done with finding who pressed (one unit of work): a stale
    question, option or order raises before anything is written."""
    catalog, now = context.services.catalog, context.services.clock.now()

    def answer(session: Session, me: LearnerSnapshot) -> Answered:
        course = journey.active_course(catalog=catalog, learner=me)
        order = quizzes.decode_order(payload.order, quizzes.find_question(course, payload.question_id))
        shown_items.check_question_asked(session=session, learner_id=me.id, question_id=payload.question_id,
                                         order=payload.order)  # a question the bot did not ask: "expired"
        outcome = quizzes.record_answer(session=session, course=course, learner_id=me.id,
                                        question_id=payload.question_id, choice=payload.choice, now=now)
        next_lesson = journey.next_unread_lesson(session=session, course=course, learner_id=me.id)
        return course, outcome, order, next_lesson

    return answer


@on_press(Answer, visit=_record_answer)
async def answer_button(update: Update, context: BotContext, press: Press[Answer]) -> None:
    """Record an answer and explain it, in place of the question's buttons."""
    lang, payload = press.me.lang, press.payload
    course, outcome, order, next_lesson = press.visited
    question = outcome.question
    await press.accept(t(lang, "answer_right_short" if outcome.correct else "answer_wrong_short"), keep_buttons=True)
    verdict = "answer_right" if outcome.correct else "answer_wrong"
    text = t(lang, verdict, letter=letter_of_answer(question, order), option=question.options[question.answer])
    text += "\n\n" + t(lang, "explanation", text=question.explanation)
    if not outcome.correct and (trap := question.trap(payload.choice)) is not None:
        text += "\n" + t(lang, "quiz_trap", text=trap)  # about the option chosen (its index in the file)
    module = course.module_of_question(question.id)
    following = (ReviewNext() if payload.origin == "r" else QuizModule(module.id if module else "")).encode()
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
        press_handler(answer_button),
        PollAnswerHandler(poll_answer),
    ]
