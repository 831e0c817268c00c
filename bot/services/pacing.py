"""Telegram's sending limits, kept on our side: ~30 messages/s overall, ~1/s per chat, 20/min per group.

`await pacer.wait(chat_id)` (the outbox) returns at the first instant free for the bot as a whole
and for that chat, and takes it; `await pacer.wait_overall()` (a reply) takes the bot's next
instant at once, ahead of the outbox's waiting sends. Instants are taken synchronously, so
concurrent senders never share one. `pause(chat_id, seconds)` honours a 429's retry_after.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Pacer", "SendLimits"]


@dataclass(frozen=True)
class SendLimits:
    per_second_overall: float = 28.5  # Telegram's ~30/s, less a margin for the jitter of requests in flight
    per_second_private: float = 1.0
    per_minute_group: float = 20.0


class Pacer:
    def __init__(self, limits: SendLimits = SendLimits(), clock: Callable[[], float] = time.monotonic) -> None:
        self.limits, self.clock = limits, clock
        self._overall = 0.0
        self._chats: dict[int, float] = {}

    async def wait_overall(self) -> None:
        """A reply: the next free instant of the whole bot (replies skip the chat spacing)."""
        now = self.clock()
        at = max(now, self._overall)
        self._overall = at + 1.0 / self.limits.per_second_overall
        if at > now:
            await asyncio.sleep(at - now)

    async def wait(self, chat_id: int) -> None:
        """A queued send: wait until an instant is free now for the bot and the chat, then take it.

        Unlike `reserve`, nothing is booked ahead while waiting, so a reply (`wait_overall`) that
        arrives meanwhile takes the next instant: a learner waits one slot, not a broadcast's queue.
        """
        while True:
            now = self.clock()
            gap = self._gap(chat_id)
            at = max(now, self._overall, self._chats.get(chat_id, 0.0))
            if at <= now:
                # from the instant that was due, not from when this task woke (a late wake-up would
                # otherwise slow every send down); at most one instant is caught up
                interval = 1.0 / self.limits.per_second_overall
                self._overall = max(self._overall, now - interval) + interval
                self._chats[chat_id] = now + gap
                return
            await asyncio.sleep(at - now)

    def _gap(self, chat_id: int) -> float:
        return 60.0 / self.limits.per_minute_group if chat_id < 0 else 1.0 / self.limits.per_second_private

    def pause(self, chat_id: int, seconds: float) -> None:
        """Nothing more to `chat_id` for `seconds` (a 429's retry_after)."""
        self._chats[chat_id] = max(self._chats.get(chat_id, 0.0), self.clock() + seconds)
