"""Telegram's sending limits, kept on our side: ~30 messages/s overall, ~1/s per chat, 20/min per group.

Each `await pacer.wait(chat_id)` reserves the next free instant for the bot as a whole and for
that chat, then sleeps until it: reservations are taken synchronously, so concurrent senders
never share an instant. `pause(chat_id, seconds)` honours a 429's retry_after.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Pacer", "SendLimits"]


@dataclass(frozen=True)
class SendLimits:
    per_second_overall: float = 29.0  # Telegram's ~30/s, less a margin left to replies
    per_second_private: float = 1.0
    per_minute_group: float = 20.0


class Pacer:
    def __init__(self, limits: SendLimits = SendLimits(), clock: Callable[[], float] = time.monotonic) -> None:
        self.limits, self.clock = limits, clock
        self._overall = 0.0
        self._chats: dict[int, float] = {}

    def reserve(self, chat_id: int) -> float:
        """Reserve a send to `chat_id`; returns the seconds to wait before it."""
        now = self.clock()
        at = max(now, self._overall, self._chats.get(chat_id, 0.0))
        self._overall = at + 1.0 / self.limits.per_second_overall
        gap = 60.0 / self.limits.per_minute_group if chat_id < 0 else 1.0 / self.limits.per_second_private
        self._chats[chat_id] = at + gap
        if len(self._chats) > 50_000:  # forget chats whose next slot is past
            self._chats = {chat: slot for chat, slot in self._chats.items() if slot > now}
        return at - now

    async def wait_overall(self) -> None:
        """A reply: the next free instant of the whole bot (replies skip the chat spacing)."""
        now = self.clock()
        at = max(now, self._overall)
        self._overall = at + 1.0 / self.limits.per_second_overall
        if at > now:
            await asyncio.sleep(at - now)

    async def wait(self, chat_id: int) -> None:
        delay = self.reserve(chat_id)
        if delay > 0:
            await asyncio.sleep(delay)

    def pause(self, chat_id: int, seconds: float) -> None:
        """Nothing more to `chat_id` for `seconds` (a 429's retry_after)."""
        self._chats[chat_id] = max(self._chats.get(chat_id, 0.0), self.clock() + seconds)
