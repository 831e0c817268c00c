"""/reset: start the lab over, after the learner confirms with a button."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import callbacks
from bot.context import BotContext
from bot.handlers.common import PRIVATE, acknowledge, drop_buttons, keyboard, learner_scope, reply
from bot.i18n import label, t
from bot.services import lab

__all__ = ["handlers"]


async def ask_reset(update: Update, context: BotContext) -> None:
    """Ask before erasing the learner's lab (/reset)."""
    with learner_scope(context, update.effective_user) as scope:
        lang = scope.lang
    buttons = [(label(lang, "btn_reset_confirm"), callbacks.encode("reset", "yes")),
               (label(lang, "btn_reset_cancel"), callbacks.encode("reset", "no"))]
    await reply(update, context, t(lang, "reset_confirm"), keyboard([buttons]))


async def confirm_reset(update: Update, context: BotContext) -> None:
    """Erase the lab, or keep it (buttons `reset:yes` and `reset:no`)."""
    with learner_scope(context, update.effective_user) as scope:
        lang, learner_id = scope.lang, scope.learner.id
    await acknowledge(update)
    await drop_buttons(update)
    if callbacks.parse(update.callback_query.data).arg(0) != "yes":
        await reply(update, context, t(lang, "reset_cancelled"))
        return
    refusal = await lab.reset_lab(sandbox=context.services.sandbox, learner_id=learner_id)
    await reply(update, context, t(lang, "reset_failed" if refusal else "reset_done"))


def handlers() -> list:
    return [
        CommandHandler("reset", ask_reset, filters=PRIVATE),
        CallbackQueryHandler(confirm_reset, pattern=r"^reset:"),
    ]
