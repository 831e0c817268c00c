"""The global cap on running workspaces: a slot per learner, a FIFO line when every slot is taken.

A slot is reserved the moment it is granted (before the workspace starts), so twenty learners
arriving together never start more than `capacity` workspaces. When the lab is full, the head
of the line may evict the learner idle for longest (their workspace is stopped, files kept).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from sandbox.errors import LabFull

__all__ = ["Slots"]

Queued = Callable[[int, str], Awaitable[None]]
MAX_WAITING = 200
RETRY_EVERY = 2.0


class Slots:
    def __init__(self, capacity: int, *, evict_idle_after: float) -> None:
        self.capacity = capacity
        self.evict_idle_after = evict_idle_after
        self.last_used: dict[int, float] = {}  # learners holding a slot -> last activity (monotonic)
        self.busy: dict[int, int] = {}  # learners with a command under way -> how many
        self._line: list[tuple[int, asyncio.Future[None]]] = []

    def holds(self, learner_id: int) -> bool:
        return learner_id in self.last_used

    def adopt(self, learner_id: int) -> None:
        """A workspace found running (after a restart) holds a slot, even beyond the capacity."""
        self.last_used.setdefault(learner_id, time.monotonic())

    def touch(self, learner_id: int) -> None:
        if learner_id in self.last_used:
            self.last_used[learner_id] = time.monotonic()

    def begin(self, learner_id: int) -> None:
        self.busy[learner_id] = self.busy.get(learner_id, 0) + 1

    def end(self, learner_id: int) -> None:
        left = self.busy.get(learner_id, 1) - 1
        if left:
            self.busy[learner_id] = left
        else:
            self.busy.pop(learner_id, None)
        self.touch(learner_id)

    async def acquire(self, learner_id: int, on_queued: Queued | None,
                      evict: Callable[[int], Awaitable[None]]) -> None:
        """Hold a slot for the learner, waiting in line (and told their place) when the lab is full.

        The head of the line frees the slot of the learner idle for longest, through `evict`.
        """
        if learner_id in self.last_used:
            return
        if len(self.last_used) < self.capacity and not self._line:
            self.last_used[learner_id] = time.monotonic()
            return
        if len(self._line) >= MAX_WAITING:
            raise LabFull(len(self._line) + 1)
        granted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (learner_id, granted)
        self._line.append(entry)
        try:
            if on_queued is not None:
                await on_queued(len(self._line), "full")
            while not granted.done():
                victim = self._victim() if self._line and self._line[0] is entry else None
                if victim is not None:
                    self.last_used.pop(victim, None)
                    self._grant_free()
                    await evict(victim)
                    continue
                try:
                    await asyncio.wait_for(asyncio.shield(granted), RETRY_EVERY)
                except TimeoutError:
                    pass
        except BaseException:
            if entry in self._line:
                self._line.remove(entry)
            if granted.done() and not granted.cancelled():
                self.release(learner_id)
            granted.cancel()
            raise

    def release(self, learner_id: int) -> None:
        """The learner's workspace stopped or went away: their slot goes to the head of the line."""
        self.last_used.pop(learner_id, None)
        self.busy.pop(learner_id, None)
        self._grant_free()

    def idle_for(self, seconds: float) -> list[int]:
        now = time.monotonic()
        return [learner for learner, used in self.last_used.items()
                if learner not in self.busy and now - used >= seconds]

    def _grant_free(self) -> None:
        while self._line and len(self.last_used) < self.capacity:
            learner_id, granted = self._line.pop(0)
            if granted.done():
                continue
            self.last_used[learner_id] = time.monotonic()
            granted.set_result(None)

    def _victim(self) -> int | None:
        if len(self.last_used) < self.capacity:
            return None
        idle = self.idle_for(self.evict_idle_after)
        return min(idle, key=lambda learner: self.last_used[learner]) if idle else None
