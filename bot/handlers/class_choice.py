"""An instructor of several classes who named none: the bot asks which, with one button per class, and never
guesses (it used to act on the newest). The choice is remembered (bot/services/classes.py: choose_class)."""

from __future__ import annotations

import logging

from telegram import Update

from bot.context import BotContext
from bot.handlers.common import LearnerSnapshot, reply
from bot.services.class_errors import ClassChoiceNeeded
from bot.views.class_pickers import class_choice_view

__all__ = ["ask_class"]

log = logging.getLogger(__name__)


async def ask_class(update: Update, context: BotContext, me: LearnerSnapshot, exc: ClassChoiceNeeded,
                    then: str = "") -> None:
    """"Which class?" as buttons; the press remembers it and runs `then` (a command's name) on it."""
    log.info("instructor %s has %d classes and chose none: asked which (for %r)", me.telegram_id, len(exc.choices),
             then)
    view = class_choice_view(me.lang, exc.choices, then=then)
    await reply(update, context, view.text, view.markup)
