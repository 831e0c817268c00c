"""/review: the questions due again on the learner's FSRS schedule, one at a time, options shuffled."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.callbacks import Menu, QuizModule, ReviewNext
from bot.content import Course, Question
from bot.context import BotContext
from bot.handlers.buttons import Press, on_press, press_handler
from bot.handlers.common import PRIVATE, LearnerSnapshot, enrolled_course, keyboard, learner, reply
from bot.i18n import label, t
from bot.services import journey, quizzes, review, shown_items
from bot.services.unit_of_work import LearnerRow, Session
from bot.views.quiz import question_view

__all__ = ["handlers"]


async def send_review(update: Update, context: BotContext, me: LearnerSnapshot, course: Course) -> None:
    now = context.services.clock.now()

    def pick(session: Session, row: LearnerRow) -> tuple[Question, quizzes.Order, int] | None:
        due = review.due_questions(session=session, course=course, learner=row, now=now, limit=100)
        if not due:
            return None
        order = quizzes.order_for_attempt(session=session, course=course, learner=row, question=due[0])
        shown_items.question_asked(session=session, learner_id=me.id, question_id=due[0].id,
                                   order=quizzes.encode_order(order))
        return due[0], order, len(due)

    picked = await context.services.db.as_learner(me.id, pick)
    if picked is None:
        await reply(update, context, t(me.lang, "review_nothing_due"),
                    keyboard([[(label(me.lang, "btn_all_quiz"), QuizModule().encode()),
                               (label(me.lang, "btn_menu"), Menu().encode())]]))
        return
    question, order, due = picked
    view = question_view(me.lang, course, question, order, origin="r")
    await reply(update, context, t(me.lang, "review_heading", due=due) + "\n\n" + view.text, view.markup)


async def review_command(update: Update, context: BotContext) -> None:
    me = await learner(update, context)
    course = await enrolled_course(update, context, me)
    if course is None:
        return
    await send_review(update, context, me, course)


@on_press(ReviewNext)
async def review_button(update: Update, context: BotContext, press: Press[ReviewNext]) -> None:
    course = journey.active_course(catalog=context.services.catalog, learner=press.me)
    await press.accept()
    await send_review(update, context, press.me, course)


def handlers() -> list[BaseHandler]:
    return [CommandHandler(["review", "revision"], review_command, filters=PRIVATE), press_handler(review_button)]
