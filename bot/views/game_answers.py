"""Answers to the games' quiz polls, written in batches: one unit of work per ~50 ms of answers, not one each.

The handler hands an answer over (`add`) with the time the bot received it and returns at once; answers
received within `window` seconds (or `size` of them) are stored together by
`competition_answers.record_answers`, in order, one batch after the other. A question's close first waits for
the answers received but not yet handed over (`ReceiptQueue.settled`), then for the batches (`flush`), so every
answer received before it is counted, and it then finds the database thread free of answer writes.

`is_game_poll` tells a game's answers from the private quiz's without the database: the polls the games sent
(`watch`) and, after a restart, those of the questions still open (`load`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any

from bot.services.competition_answers import ReceivedAnswer, open_poll_ids, record_answers
from bot.services.unit_of_work import Database, Session

__all__ = ["GameAnswers"]

log = logging.getLogger(__name__)


class GameAnswers:
    def __init__(self, db: Callable[[], Database], *, window: float = 0.05, size: int = 500) -> None:
        self._db, self.window, self.size = db, window, size
        self._polls: set[str] = set()
        self._pending: list[ReceivedAnswer] = []
        self._timer: asyncio.TimerHandle | None = None
        self._writing: asyncio.Task[Any] | None = None
        self.batches = 0  # how many units of work stored answers (for tests and the bench)

    # -- which polls are the games' ------------------------------------------------------------
    def watch(self, poll_id: str) -> None:
        self._polls.add(poll_id)

    def forget(self, poll_id: str) -> None:
        self._polls.discard(poll_id)

    def is_game_poll(self, poll_id: str) -> bool:
        return poll_id in self._polls

    async def load(self) -> None:
        """At start-up: the polls of the questions still open."""
        self._polls.update(await self._db().run(lambda s: open_poll_ids(session=s)))

    # -- batches -------------------------------------------------------------------------------
    def add(self, answer: ReceivedAnswer) -> None:
        """Keep an answer for the next batch (written within `window` seconds)."""
        self._pending.append(answer)
        if len(self._pending) >= self.size:
            self._write_pending()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.window, self._write_pending)

    async def flush(self) -> None:
        """Write what is pending now and wait until every batch handed over so far is stored."""
        self._write_pending()
        if self._writing is not None:
            await asyncio.shield(self._writing)

    def _write_pending(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        self._writing = asyncio.get_running_loop().create_task(self._write(batch, self._writing))

    async def _write(self, batch: Sequence[ReceivedAnswer], before: asyncio.Task[Any] | None) -> None:
        if before is not None:
            await before  # batches are stored in the order they were received
        self.batches += 1

        def unit(session: Session) -> tuple[bool, ...]:
            return record_answers(session=session, answers=batch)

        try:
            await self._db().run(unit)
        except Exception:  # noqa: BLE001 - logged; the next batches go on
            log.exception("%d game answers could not be stored", len(batch))
