"""Quiz questions: as a message with letter buttons, and as a Telegram quiz poll."""

from __future__ import annotations

from html import escape

from telegram import Bot, Message, Poll

from bot.callbacks import Answer
from bot.content import Course, Question
from bot.i18n import t
from bot.views.base import View, keyboard

__all__ = ["LETTERS", "letter_of_answer", "question_text", "question_view", "send_question_poll"]

LETTERS = "ABCDEFGHIJKL"


Order = tuple[int, ...]  # order[position shown] = the option's index in the course file


def _identity(question: Question) -> Order:
    return tuple(range(len(question.options)))


def letter_of_answer(question: Question, order: Order | None = None) -> str:
    """The letter the right answer had in a message shown with `order`."""
    return LETTERS[(order or _identity(question)).index(question.answer)]


def question_text(lang: str, course: Course, question: Question, order: Order | None = None,
                  heading: str | None = None) -> str:
    module = course.module_of_question(question.id)
    shown = order or _identity(question)
    title = heading or t(lang, "question_heading", module=module.title if module else course.title)
    lines = [title, "", escape(question.question), ""]
    lines += [f"<b>{LETTERS[pos]}.</b> {escape(question.options[i])}" for pos, i in enumerate(shown)]
    return "\n".join(lines)


def question_view(lang: str, course: Course, question: Question, order: Order | None = None,
                  origin: str = "") -> View:
    """The question with one button per option, four to a row, options in the learner's order."""
    shown = order or _identity(question)
    wire = "".join(str(i) for i in shown) if order else ""
    buttons = [(LETTERS[pos], Answer(question.id, i, wire, origin).encode()) for pos, i in enumerate(shown)]
    rows = [buttons[i:i + 4] for i in range(0, len(buttons), 4)]
    return View(question_text(lang, course, question, order), keyboard(rows))


async def send_question_poll(bot: Bot, *, chat_id: int, question: Question, order: Order | None = None) -> Message:
    """Send a question as a non-anonymous quiz poll (so the bot sees the answers), options in `order`."""
    shown = order or _identity(question)
    return await bot.send_poll(
        chat_id=chat_id, question=question.question, options=[question.options[i] for i in shown],
        type=Poll.QUIZ, correct_option_ids=[shown.index(question.answer)],
        explanation=question.explanation or None, is_anonymous=False,
    )
