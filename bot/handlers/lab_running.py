"""A command that takes a while: a live "still running" message with ⏹ Stop, and /cancel.

The command itself runs as a background task (bot/handlers/lab.py); `StillRunning` is started
beside it and edits one message every few seconds until the command ends. Stopping goes
through the lab's `cancel`, which also stops the foreground containers the command started.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from telegram import Message, Update
from telegram.error import BadRequest, RetryAfter
from telegram.ext import BaseHandler, CommandHandler

from bot.callbacks import StopCommand
from bot.context import BotContext
from bot.handlers.buttons import Press, on_press, press_handler
from bot.handlers.common import PRIVATE, keyboard, learner, reply
from bot.i18n import label, t
from bot.services import lab
from bot.views.lab_running import still_running_text

__all__ = ["StillRunning", "handlers"]

log = logging.getLogger(__name__)

FIRST_NOTICE_SECONDS = 3.0
EDIT_EVERY_SECONDS = 5.0


class StillRunning:
    """Shows "⏳ still running (12 s)" with ⏹ Stop while a learner's command runs, then takes the button away."""

    def __init__(self, update: Update, context: BotContext, lang: str, command: str) -> None:
        self.update, self.context, self.lang, self.command = update, context, lang, command
        self.message: Message | None = None
        self.started = time.monotonic()
        self.task: asyncio.Task[None] | None = None

    def start(self) -> StillRunning:
        self.task = asyncio.create_task(self._tick(), name="lab-still-running")
        return self

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        if self.message is not None:  # the result says it all: the notice goes (or, if it cannot, says it ended)
            try:
                await self.message.delete()
            except (BadRequest, RetryAfter):
                elapsed = round(time.monotonic() - self.started)
                with contextlib.suppress(BadRequest, RetryAfter):
                    await self.message.edit_text(t(self.lang, "lab_command_ended", seconds=elapsed))

    async def _tick(self) -> None:
        # A server in the foreground never ends: its notice (with -d suggested) comes at once, before it runs.
        await asyncio.sleep(0 if lab.starts_a_server_in_the_foreground(self.command) else FIRST_NOTICE_SECONDS)
        stop_button = keyboard([[(label(self.lang, "btn_stop_command"), StopCommand().encode())]])
        while True:
            text = still_running_text(self.lang, self.command, round(time.monotonic() - self.started))
            try:
                if self.message is None:
                    self.message = await reply(self.update, self.context, text, stop_button)
                else:
                    await self.message.edit_text(text, reply_markup=stop_button)
            except (BadRequest, RetryAfter) as exc:  # a courtesy: never fail the command for it
                log.debug("still-running notice skipped: %s", exc)
            await asyncio.sleep(EDIT_EVERY_SECONDS)


async def cancel_command(update: Update, context: BotContext) -> None:
    """Stop the learner's running command (/cancel)."""
    me = await learner(update, context)
    stopped = await lab.cancel_command(sandbox=context.services.sandbox, learner_id=me.id)
    await reply(update, context, t(me.lang, "lab_stopping" if stopped else "lab_nothing_running"))


@on_press(StopCommand)
async def stop_pressed(update: Update, context: BotContext, press: Press[StopCommand]) -> None:
    """⏹ under a running command: stop it."""
    stopped = await lab.cancel_command(sandbox=context.services.sandbox, learner_id=press.me.id)
    await press.accept(t(press.me.lang, "lab_stopping" if stopped else "lab_nothing_running"))


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler(["cancel", "stop"], cancel_command, filters=PRIVATE),
        press_handler(stop_pressed),
    ]
