"""A long announcement typed on a phone reaches the bot in several messages: Telegram splits text at 4,096
characters. After `/announce` alone, a text part that long may have a sequel: the bot keeps it for JOIN_WINDOW
seconds, and the parts that follow (same instructor, each as long except the last) join it into one announcement.
A shorter part ends the announcement at once; JOIN_WINDOW of silence ends it too.

The parts wait in memory only (seconds): the per-chat update order (bot/update_processor.py) hands them over one
after the other.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from telegram import Update

from bot.context import BotContext

__all__ = ["JOIN_WINDOW", "SPLIT_AT", "Joining", "joining", "may_continue"]

JOIN_WINDOW = 2.0
SPLIT_AT = 3900
"""A part at least this long may be one Telegram cut (at 4,096 characters, on a space or a line end)."""
Finish = Callable[[Update, str, int], Awaitable[None]]
_KEY = "announcement_parts"


def may_continue(text: str) -> bool:
    return len(text) >= SPLIT_AT


@dataclass
class _Pending:
    update: Update  # the first part's: the preview answers it
    texts: list[str]
    finish: Finish
    timer: asyncio.Task[None] | None = None


@dataclass
class Joining:
    """The announcements still receiving parts, by instructor."""

    pending: dict[int, _Pending] = field(default_factory=dict)

    def __contains__(self, telegram_id: object) -> bool:
        return telegram_id in self.pending

    def start(self, context: BotContext, telegram_id: int, update: Update, text: str, finish: Finish) -> None:
        """Keep a first part that may continue; `finish(update, joined text, parts)` makes the announcement."""
        self.pending[telegram_id] = _Pending(update, [text], finish)
        self._wait(context, telegram_id)

    async def add(self, context: BotContext, telegram_id: int, text: str) -> None:
        """One more part: kept if it may continue too, else the announcement is made now."""
        pending = self.pending[telegram_id]
        pending.texts.append(text)
        if may_continue(text):
            self._wait(context, telegram_id)
        else:
            await self.finish(telegram_id)

    async def finish(self, telegram_id: int) -> None:
        pending = self.pending.pop(telegram_id, None)
        if pending is None:
            return
        if pending.timer is not None and pending.timer is not asyncio.current_task():
            pending.timer.cancel()
        await pending.finish(pending.update, "\n".join(pending.texts), len(pending.texts))

    def _wait(self, context: BotContext, telegram_id: int) -> None:
        pending = self.pending[telegram_id]
        if pending.timer is not None:
            pending.timer.cancel()

        async def later() -> None:
            await asyncio.sleep(JOIN_WINDOW)
            await self.finish(telegram_id)

        pending.timer = context.application.create_task(later(), name=f"announcement-parts-{telegram_id}")


def joining(context: BotContext) -> Joining:
    """This application's announcements receiving parts."""
    found = context.application.bot_data.get(_KEY)
    if not isinstance(found, Joining):
        found = context.application.bot_data[_KEY] = Joining()
    return found
