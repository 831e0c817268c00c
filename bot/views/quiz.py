"""Quiz questions: as a message with letter buttons, and as a Telegram quiz poll."""

from __future__ import annotations

from html import escape

from telegram import Bot, Message, Poll

from bot.callbacks import Answer
from bot.content import Course, Question
from bot.i18n import t
from bot.views.base import View, keyboard

__all__ = ["LETTERS", "question_text", "question_view", "send_question_poll"]

LETTERS = "ABCDEFGHIJKL"


def question_text(lang: str, course: Course, question: Question) -> str:
    module = course.module_of_question(question.id)
    lines = [t(lang, "question_heading", module=module.title if module else course.title), "",
             escape(question.question), ""]
    lines += [f"<b>{LETTERS[i]}.</b> {escape(option)}" for i, option in enumerate(question.options)]
    return "\n".join(lines)


def question_view(lang: str, course: Course, question: Question) -> View:
    """The question with one button per option, four to a row."""
    buttons = [(LETTERS[i], Answer(question.id, i).encode()) for i in range(len(question.options))]
    rows = [buttons[i:i + 4] for i in range(0, len(buttons), 4)]
    return View(question_text(lang, course, question), keyboard(rows))


async def send_question_poll(bot: Bot, *, chat_id: int, question: Question) -> Message:
    """Send a question as a non-anonymous quiz poll (so the bot sees the answers)."""
    return await bot.send_poll(
        chat_id=chat_id, question=question.question, options=list(question.options), type=Poll.QUIZ,
        correct_option_ids=[question.answer], explanation=question.explanation or None, is_anonymous=False,
    )
