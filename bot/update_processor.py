"""Updates run concurrently, one at a time per chat, and no chat can take the others' turns.

Two quick taps from the same learner must not race on their progress, while a slow learner (or one
who floods the bot) must not hold up everyone else. So an update first waits for its chat's turn, in
that chat's queue, and only then takes one of the bot's `max_concurrent_updates` processing slots: a
chat holds at most one slot whatever it sends. A chat's queue holds at most `chat_queue` updates of each
sender (in a group, one member's flood cannot push out the admin's `/quiz stop`); beyond, that sender's
messages and button taps are dropped, and the first one dropped since their updates last drained is
handed to `on_dropped` (which tells them, once). Poll answers are never dropped: a game's answers count.

PTB's own limit (`BaseUpdateProcessor.process_update`, final) would take a slot before the chat's turn;
it is given a bound no flood reaches, and the real one is applied here, after the chat's queue.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from telegram import Update
from telegram.ext import BaseUpdateProcessor

__all__ = ["PerChatUpdateProcessor", "update_kind"]

log = logging.getLogger(__name__)
_UNBOUNDED = 1 << 30  # PTB's semaphore, taken before the chat's turn, never blocks


@dataclass
class _ChatQueue:
    lock: asyncio.Lock
    waiting: int = 0  # updates of this chat in the queue or running
    senders: dict[int, int] = field(default_factory=dict)  # sender -> their updates in the queue or running
    told: set[int] = field(default_factory=set)  # senders told about a dropped update since theirs drained


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 256, *, chat_queue: int = 20,
                 now: Callable[[], datetime] | None = None,
                 on_dropped: Callable[[Update], Awaitable[None]] | None = None) -> None:
        super().__init__(_UNBOUNDED)
        self.slots, self.chat_queue, self.on_dropped = max_concurrent_updates, chat_queue, on_dropped
        self._slots = asyncio.BoundedSemaphore(max_concurrent_updates)
        self._chats: dict[int, _ChatQueue] = {}
        self._now = now or (lambda: datetime.now(UTC))
        self._received: dict[int, datetime] = {}
        self.dropped = 0

    @property
    def waiting_in(self) -> dict[int, int]:
        """Chats with updates queued or running, and how many."""
        return {key: queue.waiting for key, queue in self._chats.items()}

    def received_at(self, update: object) -> datetime | None:
        """When the bot got `update`, before it waited its turn (a quiz answer is timed so)."""
        return self._received.get(update.update_id) if isinstance(update, Update) else None

    async def do_process_update(self, update: object, coroutine: Awaitable[object]) -> None:
        if not isinstance(update, Update):
            await self._run(update, coroutine)
            return
        self._received[update.update_id] = self._now()  # PTB's own semaphore never waited
        log.debug("update %d: %s", update.update_id, update_kind(update))  # its type and id, never its content
        try:
            await self._in_turn(update, coroutine)
        finally:
            self._received.pop(update.update_id, None)

    async def _in_turn(self, update: Update, coroutine: Awaitable[object]) -> None:
        key = _serial_key(update)
        if key is None:
            await self._run(update, coroutine)
            return
        queue = self._chats.get(key)
        if queue is None:
            queue = self._chats[key] = _ChatQueue(asyncio.Lock())
        sender = update.effective_user.id if update.effective_user is not None else key
        if queue.senders.get(sender, 0) >= self.chat_queue and update.poll_answer is None:
            _discard(coroutine)
            self.dropped += 1
            if sender not in queue.told:
                queue.told.add(sender)
                if self.on_dropped is not None:
                    await self.on_dropped(update)
            return
        queue.waiting += 1
        queue.senders[sender] = queue.senders.get(sender, 0) + 1
        try:
            async with queue.lock:
                await self._run(update, coroutine)
        finally:
            queue.waiting -= 1
            queue.senders[sender] -= 1
            if queue.senders[sender] == 0:
                del queue.senders[sender]
                queue.told.discard(sender)
            if queue.waiting == 0:
                del self._chats[key]

    async def _run(self, update: object, coroutine: Awaitable[object]) -> None:
        async with self._slots:
            await coroutine

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


def _discard(coroutine: Awaitable[object]) -> None:
    close = getattr(coroutine, "close", None)
    if close is not None:
        close()  # never awaited on purpose: no "coroutine was never awaited" warning


def update_kind(update: Update) -> str:
    """What kind of update this is (`message`, `callback_query`, `poll_answer`...)."""
    return next((kind for kind in Update.ALL_TYPES if getattr(update, kind, None) is not None), "other")


def _serial_key(update: Update) -> int | None:
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None
