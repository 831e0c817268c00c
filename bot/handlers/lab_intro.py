"""The menu's Lab button: how to use the lab, in one message."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.callbacks import Exercises, Lab, Menu
from bot.context import BotContext
from bot.handlers.buttons import Press, on_press, press_handler
from bot.handlers.common import keyboard, reply
from bot.i18n import label, t

__all__ = ["handlers"]


@on_press(Lab)
async def lab_pressed(update: Update, context: BotContext, press: Press[Lab]) -> None:
    """Say how the lab is used, with the way to the exercises."""
    lang = press.me.lang
    await press.accept()
    await reply(update, context, t(lang, "lab_intro"),
                keyboard([[(label(lang, "btn_exercises"), Exercises().encode()),
                           (label(lang, "btn_menu"), Menu().encode())]]))


def handlers() -> list[BaseHandler]:
    return [press_handler(lab_pressed)]
