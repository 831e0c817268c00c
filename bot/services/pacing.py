"""The one pacer of everything the bot sends: Telegram's limits and who goes first, for asyncio.

    async with pacer.slot(chat_id, Priority.OUTBOX):
        await bot.send_message(chat_id, ...)

waits for the instant free for the bot (~30 messages/s), for the chat (a group's 20 a minute, a private
chat's ~1 a second) and for everyone waiting with a better priority (a reply to a person, then a group
game's scoreboard, then the rest of the game, then the outbox), and holds the budgets until the block
ends, which is when Telegram answered. The arithmetic is `bot/services/send_schedule.py`; this module only
wakes the waiters: one timer for the next instant, and a look each time a send asks or is answered.
`pause(chat_id, seconds)` honours a 429's retry_after.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from bot.services.send_schedule import Priority, SendLimits, SendSchedule, Ticket

__all__ = ["Pacer", "Priority", "SendLimits"]


class Pacer:
    def __init__(self, limits: SendLimits | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits, self.clock = limits or SendLimits(), clock
        self.schedule = SendSchedule(self.limits)
        self._futures: dict[Ticket, asyncio.Future[None]] = {}
        self._timer: asyncio.TimerHandle | None = None

    @asynccontextmanager
    async def slot(self, chat_id: int | None, priority: Priority) -> AsyncIterator[None]:
        """Wait for this send's turn; the block is the send (its end: Telegram answered)."""
        ticket = self.schedule.request(chat_id, priority)
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._futures[ticket] = future
        self._wake()
        try:
            await future
        except BaseException:  # cancelled while waiting
            self._futures.pop(ticket, None)
            if ticket.granted_at is None:
                self.schedule.cancel(ticket)
            else:
                self._answered(ticket)
            raise
        try:
            yield
        finally:
            self._answered(ticket)

    def pause(self, chat_id: int, seconds: float) -> None:
        """Nothing more to `chat_id` for `seconds` (a 429's retry_after)."""
        self.schedule.pause(chat_id, self.clock() + seconds)
        self._wake()

    def moved(self, old_chat_id: int, new_chat_id: int) -> None:
        self.schedule.moved(old_chat_id, new_chat_id)

    def _answered(self, ticket: Ticket) -> None:
        self.schedule.answered(ticket, self.clock())
        self._wake()

    def _wake(self) -> None:
        now = self.clock()
        for ticket in self.schedule.grant(now):
            future = self._futures.pop(ticket, None)
            if future is not None and not future.done():
                future.set_result(None)
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        at = self.schedule.next_at()
        if at < math.inf:
            self._timer = asyncio.get_running_loop().call_later(max(0.0, at - now), self._wake)
