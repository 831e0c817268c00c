"""One preamble for every button: decode the payload, answer the press, drop the old keyboard.

    @on_press(LessonPage)
    async def show_page(update, context, press: Press[LessonPage]) -> None:
        lesson = journey.find_lesson(course, press.payload.lesson_id)   # may raise StaleReference
        await press.accept()                                            # answer + drop the buttons
        await reply(...)

`press.me` is who pressed (a snapshot); database work goes through `context.services.db`.

A press whose database work is known from its payload alone does it in the same trip as finding
who pressed (`Database.as_visitor`: one unit of work, one hop to the database thread):

    @on_press(Answer, visit=record_answer)      # record_answer(context, payload) -> work(session, me)
    async def answer(update, context, press: Press[Answer]) -> None:
        course, outcome = press.visited            # what the work returned

A stale reference raised by that work rolls it back (the learner's touch is kept) and is answered
like any stale button.

A button whose payload does not decode, or that points at a course, lesson, question or
exercise that no longer exists, is answered "this button expired" — once, here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Generic, TypeVar

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.callbacks import Payload, StaleButton
from bot.context import BotContext
from bot.handlers.common import LearnerSnapshot, acknowledge, drop_buttons, identity, learner, reply
from bot.i18n import t
from bot.services.errors import NotEnrolled, StaleReference, UnknownCourse
from bot.services.unit_of_work import Refused, Session

__all__ = ["Press", "on_press", "press_handler", "same_as_command"]

P = TypeVar("P", bound=Payload)
STALE = (StaleButton, NotEnrolled, StaleReference, UnknownCourse)
Handler = Callable[[Update, BotContext], Awaitable[None]]
Visit = Callable[[BotContext, Any], Callable[[Session, LearnerSnapshot], Any]]
"""A press's database work, from its payload: run with finding who pressed, in one unit of work."""


@dataclass
class Press(Generic[P]):
    """A button press being handled: who pressed, and what the button said."""

    update: Update
    me: LearnerSnapshot
    payload: P
    answered: bool = False
    visited: Any = None
    """What the `visit` work of `on_press` returned (None without one)."""

    async def accept(self, note: str | None = None, *, keep_buttons: bool = False) -> None:
        """Answer the press (with a short `note` toast) and remove the pressed message's buttons."""
        await acknowledge(self.update, note)
        self.answered = True
        if not keep_buttons:
            await drop_buttons(self.update)


def on_press(payload_type: type[P], *, visit: Visit | None = None
             ) -> Callable[[Callable[[Update, BotContext, Press[P]], Awaitable[None]]], Handler]:
    """Decorate a button handler: it receives who pressed and the decoded payload (and, with `visit`,
    what `visit(context, payload)`'s work returned, run in the same unit of work as finding who pressed)."""

    def decorate(func: Callable[[Update, BotContext, Press[P]], Awaitable[None]]) -> Handler:
        @wraps(func)
        async def handle(update: Update, context: BotContext) -> None:
            try:
                payload: P | None = payload_type.decode(update.callback_query.data)
            except StaleButton:
                payload = None
            visited: Any = None
            if visit is None or payload is None:
                me = await learner(update, context)
            else:
                me, visited = await context.services.db.as_visitor_refusing(
                    identity(update), visit(context, payload), STALE)
            press: Press[P] | None = None
            try:
                if payload is None or isinstance(visited, Refused):
                    raise StaleButton(update.callback_query.data or "")
                press = Press(update, me, payload, visited=visited)
                await func(update, context, press)
            except STALE:
                if press is not None and press.answered:
                    await reply(update, context, t(me.lang, "stale_button"))
                else:
                    await acknowledge(update, t(me.lang, "stale_button"), alert=True)
                return
            if not press.answered:
                await acknowledge(update)

        handle.payload_type = payload_type  # type: ignore[attr-defined] - read by press_handler
        return handle

    return decorate


def press_handler(handle: Handler) -> CallbackQueryHandler:
    """The CallbackQueryHandler routing the buttons of `handle`'s action to it."""
    return CallbackQueryHandler(handle, pattern=handle.payload_type.matches)  # type: ignore[attr-defined]


def same_as_command(payload_type: type[Payload], command: Handler) -> CallbackQueryHandler:
    """A button that does what a command does: answer the press, drop the buttons, run `command`."""

    async def pressed(update: Update, context: BotContext) -> None:
        await acknowledge(update)
        await drop_buttons(update)
        await command(update, context)

    pressed.__name__ = pressed.__qualname__ = f"{command.__name__}_button"
    pressed.__doc__ = command.__doc__
    return CallbackQueryHandler(pressed, pattern=payload_type.matches)
