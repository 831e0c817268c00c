"""Exercise checks take turns, one learner at a time, and a report is only sent while it is current.

A learner on a phone sends commands in a row; each used to start its own check run, concurrently with the
next command, and a slow run's report could arrive after a newer one and contradict it. Now:

- each lab action takes a ticket when it is received (`begin`), in the order the learner sent them;
- when it ends (`finish`), the exercise is checked only if none of the learner's actions is still in flight:
  the last one to end checks for all (a check skipped so is owed, even if that last action was refused);
- check runs of a learner never overlap (`run_check`, `turn`), so their reports leave in order; and they
  never overlap the learner's own work either: an action waits for the check in progress (`wait_for_checks`)
  and a check whose turn comes after a newer action was received does not run (that action will check), so
  a check never sees a command half done (a container created, not yet started);
- a run during which a newer action was received is superseded when that action will check again (it is
  still in flight, or its check waits its turn): its report is dropped, unless the run completed the
  exercise (that is recorded and must be said).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TypeVar

__all__ = ["CheckTurns", "Ticket"]

R = TypeVar("R")


@dataclass(frozen=True)
class Ticket:
    """A lab action's place in its learner's order of actions."""

    learner_id: int
    number: int


@dataclass
class _Learner:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    received: int = 0
    in_flight: set[int] = field(default_factory=set)
    owed: bool = False
    checks_waiting: int = 0


class CheckTurns:
    """The order of each learner's lab actions and check runs (one per application, in memory)."""

    def __init__(self) -> None:
        self._learners: dict[int, _Learner] = {}

    def _of(self, learner_id: int) -> _Learner:
        return self._learners.setdefault(learner_id, _Learner())

    def begin(self, learner_id: int) -> Ticket:
        """A lab action of the learner was received."""
        state = self._of(learner_id)
        state.received += 1
        state.in_flight.add(state.received)
        return Ticket(learner_id, state.received)

    def finish(self, ticket: Ticket, *, changed_lab: bool) -> bool:
        """The action ended (`changed_lab`: it ran in the lab); True when the exercise should be checked now:
        no other action of the learner is in flight, and this one or one before it ran."""
        state = self._of(ticket.learner_id)
        state.in_flight.discard(ticket.number)
        state.owed = state.owed or changed_lab
        if state.in_flight:
            return False
        wanted, state.owed = state.owed, False
        state.checks_waiting += wanted
        return wanted

    async def run_check(self, ticket: Ticket, check: Callable[[], Awaitable[R]], *,
                        must_say: Callable[[R], bool], deliver: Callable[[R], Awaitable[object]]) -> bool:
        """After `finish` said so: run `check` in the learner's turn and `deliver` its result, unless it is
        stale (a newer action will check again) and `must_say` does not hold for it. True when delivered."""
        state = self._of(ticket.learner_id)
        try:
            async with state.lock:
                if not self.is_current(ticket) and state.in_flight:
                    state.owed = True
                    return False
                result = await check()
                newer_will_check = bool(state.in_flight) or state.checks_waiting > 1
                if not self.is_current(ticket) and newer_will_check and not must_say(result):
                    state.owed = state.owed or bool(state.in_flight)
                    return False
                await deliver(result)
                return True
        finally:
            state.checks_waiting -= 1

    def abandon(self, ticket: Ticket) -> None:
        """The action stopped on an error: it checks nothing (what it owed stays owed to the next one)."""
        self._of(ticket.learner_id).in_flight.discard(ticket.number)

    def is_current(self, ticket: Ticket) -> bool:
        """No newer lab action of the learner was received since this one."""
        return self._of(ticket.learner_id).received == ticket.number

    def latest(self, learner_id: int) -> Ticket:
        """The learner's newest action (a check asked for with /check is current until another arrives)."""
        return Ticket(learner_id, self._of(learner_id).received)

    async def wait_for_checks(self, learner_id: int) -> None:
        """Before a lab action runs: let the learner's check in progress finish (it describes the lab before)."""
        async with self._of(learner_id).lock:
            pass

    @asynccontextmanager
    async def turn(self, learner_id: int) -> AsyncIterator[None]:
        """Run one check of the learner's at a time, first come first served."""
        async with self._of(learner_id).lock:
            yield
