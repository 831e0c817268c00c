"""/reset: start the lab over, after the learner confirms with a button."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.callbacks import Reset
from bot.context import BotContext
from bot.handlers.buttons import Press, on_press, press_handler
from bot.handlers.common import PRIVATE, keyboard, learner, reply
from bot.i18n import label, t
from bot.services import lab

__all__ = ["handlers"]


async def ask_reset(update: Update, context: BotContext) -> None:
    """Ask before erasing the learner's lab (/reset)."""
    lang = (await learner(update, context)).lang
    buttons = [(label(lang, "btn_reset_confirm"), Reset(confirmed=True).encode()),
               (label(lang, "btn_reset_cancel"), Reset(confirmed=False).encode())]
    await reply(update, context, t(lang, "reset_confirm"), keyboard([buttons]))


@on_press(Reset)
async def confirm_reset(update: Update, context: BotContext, press: Press[Reset]) -> None:
    """Erase the lab, or keep it, as the learner answered."""
    lang, learner_id = press.me.lang, press.me.id
    await press.accept()
    if not press.payload.confirmed:
        await reply(update, context, t(lang, "reset_cancelled"))
        return
    # Erasing takes seconds: no transaction stays open meanwhile.
    context.application.create_task(_reset(update, context, lang, learner_id), update=update, name="lab-reset")


async def _reset(update: Update, context: BotContext, lang: str, learner_id: int) -> None:
    refusal = await lab.reset_lab(sandbox=context.services.sandbox, learner_id=learner_id)
    await reply(update, context, t(lang, "reset_failed" if refusal else "reset_done"))


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("reset", ask_reset, filters=PRIVATE),
        press_handler(confirm_reset),
    ]
