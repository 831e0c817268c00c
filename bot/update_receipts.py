"""The time the bot received each poll answer, noted as the update enters the application.

A game's answer is timed from the poll's sending to the moment the bot *receives* it (Kahoot's t). Under load an
update can wait a long while between its arrival (getUpdates returned it, or the webhook posted it) and the
moment a handler runs it: behind other updates' tasks, for a free slot among the concurrent ones, or for the
same chat's previous update. So the stamp is taken where every update enters PTB's application, its
`update_queue` (`ApplicationBuilder.update_queue(ReceiptQueue(...))`): `Updater` puts each update there as soon
as getUpdates (or the webhook) gives it.

The queue also knows which poll answers were received but not yet taken by their handler: a question's close
waits for them (`settled`), so an answer received in time is never left out because it was processed late.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from telegram import Update

__all__ = ["ReceiptQueue", "receipts_of"]


@dataclass(frozen=True)
class _Receipt:
    poll_id: str
    at: datetime


class ReceiptQueue(asyncio.Queue[object]):
    """PTB's update queue, noting when each poll answer arrived."""

    def __init__(self, *, now: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self._now = now or (lambda: datetime.now(UTC))
        self._answers: dict[int, _Receipt] = {}
        self._waiters: list[tuple[set[int], asyncio.Future[None]]] = []

    def put_nowait(self, item: object) -> None:
        # `Queue.put` ends here too, so every update getUpdates or the webhook hands over is seen.
        if isinstance(item, Update) and item.poll_answer is not None:
            self._answers[item.update_id] = _Receipt(item.poll_answer.poll_id, self._now())
        super().put_nowait(item)

    def received_at(self, update: object) -> datetime | None:
        """When `update` (a poll answer) was received, leaving it waiting: its handler `take`s it once done."""
        receipt = self._answers.get(update.update_id) if isinstance(update, Update) else None
        return receipt.at if receipt else None

    def take(self, update: object) -> datetime | None:
        """When `update` (a poll answer) was received; its handler has it now, so no close waits for it any more."""
        if not isinstance(update, Update):
            return None
        receipt = self._answers.pop(update.update_id, None)
        for pending, done in self._waiters:
            pending.discard(update.update_id)
            if not pending and not done.done():
                done.set_result(None)
        return receipt.at if receipt else None

    def waiting(self, poll_id: str | None = None) -> int:
        """Poll answers received and not yet taken by a handler (for `poll_id`, or for any poll)."""
        return sum(1 for r in self._answers.values() if poll_id is None or r.poll_id == poll_id)

    async def settled(self, poll_id: str | None, *, timeout: float) -> bool:
        """Wait until every answer to `poll_id` (any poll if None) received so far was taken; False on timeout."""
        pending = {uid for uid, r in self._answers.items() if poll_id is None or r.poll_id == poll_id}
        if not pending:
            return True
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        waiter = (pending, done)
        self._waiters.append(waiter)
        try:
            await asyncio.wait_for(done, timeout)
            return True
        except TimeoutError:
            for uid in pending:  # never taken (a handler failed before taking it): forget them
                self._answers.pop(uid, None)
            return False
        finally:
            self._waiters.remove(waiter)


def receipts_of(queue: object) -> ReceiptQueue | None:
    """The application's update queue when it notes receipts (built by bot/app.py), else None."""
    return queue if isinstance(queue, ReceiptQueue) else None
