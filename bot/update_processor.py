"""Updates run concurrently, but one at a time per chat.

Two quick taps from the same learner must not race on their progress, while a slow
learner must not hold up everyone else.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from telegram import Update
from telegram.ext import BaseUpdateProcessor

__all__ = ["PerChatUpdateProcessor"]


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 256, *, now: Callable[[], datetime] | None = None) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        self._now = now or (lambda: datetime.now(UTC))
        self._received: dict[int, datetime] = {}

    def received_at(self, update: object) -> datetime | None:
        """When the bot got `update` from Telegram, before it waited its turn (a quiz answer is timed so)."""
        return self._received.get(update.update_id) if isinstance(update, Update) else None

    async def process_update(self, update: object, coroutine: Awaitable[object]) -> None:  # type: ignore[misc]
        # PTB marks this final; it is overridden only to note the time before the concurrency limit's wait.
        if isinstance(update, Update):
            self._received[update.update_id] = self._now()
        try:
            await super().process_update(update, coroutine)
        finally:
            if isinstance(update, Update):
                self._received.pop(update.update_id, None)

    async def do_process_update(self, update: object, coroutine: Awaitable[object]) -> None:
        key = _serial_key(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        async with lock:
            await coroutine

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


def _serial_key(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None
