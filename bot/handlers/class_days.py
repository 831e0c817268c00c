"""Asking an instructor for a day: quick buttons (today, tomorrow, next class day, at the class's time in its zone),
or the day typed as the next message, which completes the command waiting for it (bot/handlers/announcements.py
reads it: `instructor_input`)."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.handlers.common import LearnerSnapshot, reply
from bot.services import class_pickers, classes, conversation_steps
from bot.services.unit_of_work import Session
from bot.views.base import keyboard
from bot.views.class_pickers import days_rows

__all__ = ["WHEN_STEP", "ask_day"]

WHEN_STEP = "when"
"""A waiting step whose answer is a day and time: its `class_ref` is the /schedule or /class plan words around
`{when}` ("#12 {when} lesson m1-images", "{when} #a5", "#12 set {when} m1-images")."""


async def ask_day(update: Update, context: BotContext, me: LearnerSnapshot, *, class_id: int, purpose: str,
                  item: str, prompt: str, then: str) -> None:
    """Ask which day, with quick buttons (today, tomorrow, next class day) at the class's time; a typed answer
    (`demain 14h`, `08/12 9:00`) completes `then` (its `{when}`) as the next message."""
    services = context.services
    now = services.clock.now()

    def unit(session: Session) -> list[class_pickers.QuickDay]:
        klass = classes.require_class(session=session, telegram_id=me.telegram_id, ref=f"#{class_id}")
        conversation_steps.begin(session=session, telegram_id=me.telegram_id, step=WHEN_STEP, class_ref=then, now=now)
        return class_pickers.quick_days(session=session, klass=klass, now=now)

    days = await services.db.run(unit)
    services.waiting.steps[me.telegram_id] = WHEN_STEP
    await reply(update, context, prompt, keyboard(days_rows(me.lang, days, class_id=class_id, purpose=purpose,
                                                            item=item)))
