"""Answers to the games' quiz polls, written in batches: one unit of work per ~50 ms of answers, not one each.

The handler hands an answer over (`add`) with the time the bot received it and returns at once; answers
handed over within `window` seconds are stored together by `competition_answers.record_answers`, one batch
after the other (while one is written, the next gathers: under load batches grow instead of queueing).
A question's close first waits for the answers received but not yet handed over (`ReceiptQueue.settled`), then
takes its poll's answers out of the batches (`take_for_close`) and stores them in its own unit of work, just
before closing: every answer received before the close counts, and the close waits neither for the other
polls' answers nor behind their batches.

`chat_of` tells a game's answers from the private quiz's without the database, and names the group whose members
alone may give them: the polls the games sent (`watch`) and, after a restart, those of the questions still open
(`load`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence

from bot.services.competition_answers import ReceivedAnswer, open_poll_ids, record_answers
from bot.services.unit_of_work import Database, Session

__all__ = ["GameAnswers"]

log = logging.getLogger(__name__)


class GameAnswers:
    def __init__(self, db: Callable[[], Database], *, window: float = 0.05) -> None:
        self._db, self.window = db, window
        self._polls: dict[str, int] = {}  # poll id -> the chat id of the group whose game sent it
        self._pending: list[ReceivedAnswer] = []
        self._handed = self._stored = 0  # answers handed over / stored (or given up) so far
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._writer: asyncio.Task[None] | None = None
        self._writing_polls: frozenset[str] = frozenset()  # the polls of the batch being written
        self._written: asyncio.Event = asyncio.Event()  # set after each batch
        self.batches = 0  # how many units of work stored answers (for tests and the bench)

    # -- which polls are the games' ------------------------------------------------------------
    def watch(self, poll_id: str, chat_id: int) -> None:
        self._polls[poll_id] = chat_id

    def forget(self, poll_id: str) -> None:
        self._polls.pop(poll_id, None)

    def chat_of(self, poll_id: str) -> int | None:
        """The group whose game sent this poll; None for any other poll."""
        return self._polls.get(poll_id)

    async def load(self) -> None:
        """At start-up: the polls of the questions still open."""
        self._polls.update(await self._db().run(lambda s: open_poll_ids(session=s)))

    # -- batches -------------------------------------------------------------------------------
    def add(self, answer: ReceivedAnswer) -> None:
        """Keep an answer for the next batch (written within `window` seconds, or as soon as the last one is)."""
        self._pending.append(answer)
        self._handed += 1
        if self._timer is None and not self._writing():
            self._timer = asyncio.get_running_loop().call_later(self.window, self._write)

    async def flush(self) -> None:
        """Write what is pending now and wait until every answer handed over so far is stored."""
        if self._stored >= self._handed:
            return
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append((self._handed, done))
        self._write()
        await asyncio.shield(done)

    async def take_for_close(self, poll_id: str | None) -> list[ReceivedAnswer]:
        """The answers to `poll_id` (to every poll when unknown) not stored yet, taken out of the batches for the
        question's close to store them in its own unit of work; waits for a batch with some being written.

        The caller stores them, then calls `stored_elsewhere`. A close so waits neither for the other polls'
        answers nor for a batch of its own on the database thread."""
        while self._writing() and (poll_id is None or poll_id in self._writing_polls):
            self._written.clear()
            await self._written.wait()
        mine = [a for a in self._pending if poll_id is None or a.poll_id == poll_id]
        if mine:
            self._pending = [a for a in self._pending if not (poll_id is None or a.poll_id == poll_id)]
        return mine

    def stored_elsewhere(self, count: int) -> None:
        """`count` answers taken by `take_for_close` are stored."""
        self._stored += count
        self._release()

    def _release(self) -> None:
        for target, done in self._waiters:
            if target <= self._stored and not done.done():
                done.set_result(None)
        self._waiters = [(target, done) for target, done in self._waiters if not done.done()]

    def _writing(self) -> bool:
        return self._writer is not None and not self._writer.done()

    def _write(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._writing():
            self._writer = asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        """One batch after the other until nothing is pending: what arrives during a write is the next batch."""
        while self._pending:
            batch, self._pending = self._pending, []
            self._writing_polls = frozenset(a.poll_id for a in batch)
            try:
                await self._store(batch)
            finally:
                self._writing_polls = frozenset()
                self._written.set()
            self._stored += len(batch)
            self._release()

    async def _store(self, batch: Sequence[ReceivedAnswer]) -> None:
        self.batches += 1

        def unit(session: Session) -> tuple[bool, ...]:
            return record_answers(session=session, answers=batch)

        try:
            await self._db().run(unit)
        except Exception:  # noqa: BLE001 - logged; the next batches go on
            log.exception("%d game answers could not be stored", len(batch))
