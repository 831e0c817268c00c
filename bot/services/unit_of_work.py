"""The database boundary: each unit of work is one transaction, run on the database's own thread.

    me = await db.touch(identity)                      # a LearnerSnapshot
    lesson = await db.as_learner(me.id, lambda session, learner: journey.current_lesson(...))
    await db.run(lambda session: learners.mark_blocked(session=session, telegram_id=42))
    me, lesson = await db.as_identity(identity, lambda session, learner: journey.current_lesson(...))

    me, outcome = await db.as_visitor(identity, lambda session, me: quizzes.record_answer(..., learner_id=me.id))

`as_identity` is `touch` and a unit of work in one transaction and one trip to the database
thread: the hot paths (/start, /quiz, /lesson, a button press) use it, so an update costs one unit.
`as_visitor` is the same for work that needs the learner's values (a snapshot), not their row:
cheaper (plain statements, no row object), so the hot paths use it. Errors the caller expects
(`refusing=`, e.g. a stale button) come back as `Refused`, with the learner's snapshot still known.

SQLite calls block; run on the event loop they would stall every learner. Here they run on
a dedicated thread, so no session ever lives across an `await`, and what comes back is a
value (a frozen dataclass, content, a number), never a live ORM row: a row read after its
session closed would query again, on the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any, TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from bot.services.learners import LearnerDefaults, touch_learner, touch_learner_values
from bot.storage import session_scope
from bot.storage.models import Learner, stored_id

__all__ = ["Database", "Identity", "LearnerRow", "LearnerSnapshot", "Refused", "Session"]

log = logging.getLogger(__name__)

T = TypeVar("T")
LearnerRow = Learner
"""The learner's row, as a unit of work receives it: use it inside the unit only."""


@dataclass(frozen=True)
class Identity:
    """Who sent an update, as Telegram says: enough to find or create the learner."""

    telegram_id: int
    first_name: str
    language_code: str | None


@dataclass(frozen=True)
class LearnerSnapshot:
    """A learner as a value, read inside a transaction and safe to use after it."""

    id: int
    telegram_id: int
    first_name: str
    language: str
    timezone: str
    daily_time: time
    paused: bool
    terminal_mode: bool
    active_course: str | None
    active_exercise: str | None
    created: bool = False

    @property
    def lang(self) -> str:
        return self.language

    @classmethod
    def of_values(cls, values: Mapping[str, Any], *, created: bool = False) -> LearnerSnapshot:
        """From the learner's columns (crud's `*_values` functions)."""
        return cls(id=values["id"], telegram_id=values["telegram_id"], first_name=values["first_name"],
                   language=values["language"], timezone=values["timezone"], daily_time=values["daily_time"],
                   paused=bool(values["paused"]), terminal_mode=bool(values["terminal_mode"]),
                   active_course=values["active_course"], active_exercise=values["active_exercise"], created=created)

    @classmethod
    def of(cls, learner: Learner, *, created: bool = False) -> LearnerSnapshot:
        return cls(id=stored_id(learner), telegram_id=learner.telegram_id, first_name=learner.first_name,
                   language=learner.language, timezone=learner.timezone, daily_time=learner.daily_time,
                   paused=learner.paused, terminal_mode=learner.terminal_mode, active_course=learner.active_course,
                   active_exercise=learner.active_exercise, created=created)


@dataclass(frozen=True)
class Refused:
    """A unit of work that raised an error its caller expects (`as_visitor_refusing(..., refusing)`): its
    changes were rolled back, the learner's touch was kept."""

    error: Exception


class Database:
    """Runs units of work off the event loop, one transaction each (committed on success)."""

    def __init__(self, engine: Engine, *, defaults: LearnerDefaults, now: Callable[[], datetime],
                 threads: int = 1) -> None:
        self.engine, self.defaults, self.now = engine, defaults, now
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="db")

    async def run(self, work: Callable[[Session], T]) -> T:
        """`work(session)` in one transaction on the database thread."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, self._transaction, work)

    async def touch(self, identity: Identity) -> LearnerSnapshot:
        """The learner behind an update, created on first contact (one write at most)."""
        now = self.now()
        return await self.run(lambda session: self._touched(session, identity, now))

    async def as_identity(self, identity: Identity, work: Callable[[Session, Learner], T]) -> tuple[LearnerSnapshot, T]:
        """`touch(identity)` then `work(session, learner)`, in one transaction: (the learner as the update
        found them, what `work` returned).

        If `work` raises, its changes are rolled back but the touch is not (it is redone in a
        transaction of its own, as `touch` then `as_learner` would have left it), and the error propagates.
        """
        now = self.now()

        def unit(session: Session) -> tuple[LearnerSnapshot, T]:
            learner, created = touch_learner(
                session=session, telegram_id=identity.telegram_id, first_name=identity.first_name,
                language_code=identity.language_code, defaults=self.defaults, now=now,
            )
            return LearnerSnapshot.of(learner, created=created), work(session, learner)

        return await self._run_or_touch(identity, now, lambda: self._transaction(unit))

    async def as_visitor(self, identity: Identity, work: Callable[[Session, LearnerSnapshot], T]
                         ) -> tuple[LearnerSnapshot, T]:
        """`as_identity` for work that needs the learner's values (id, course, language...), not their row
        to change: cheaper, as no row object is loaded. Same transaction and error rules."""
        now = self.now()

        def unit(session: Session) -> tuple[LearnerSnapshot, T]:
            me = self._touched(session, identity, now)
            return me, work(session, me)

        return await self._run_or_touch(identity, now, lambda: self._transaction(unit))

    async def as_visitor_refusing(
        self, identity: Identity, work: Callable[[Session, LearnerSnapshot], T],
        refusing: tuple[type[Exception], ...],
    ) -> tuple[LearnerSnapshot, T | Refused]:
        """`as_visitor`, where an error of a `refusing` type is an answer, not a failure: `work`'s changes are
        rolled back, the touch is redone in the same trip, and the error comes back as `Refused`."""
        now = self.now()

        def unit(session: Session) -> tuple[LearnerSnapshot, T]:
            me = self._touched(session, identity, now)
            return me, work(session, me)

        def unit_or_refused() -> tuple[LearnerSnapshot, T | Refused]:
            try:
                return self._transaction(unit)
            except refusing as error:
                return self._transaction(lambda session: self._touched(session, identity, now)), Refused(error)

        return await self._run_or_touch(identity, now, unit_or_refused)

    async def _run_or_touch(self, identity: Identity, now: datetime, attempt: Callable[[], T]) -> T:
        """`attempt()` on the database thread; if it fails, the touch is redone on its own and the error raised."""

        def unit_or_touch() -> T:
            try:
                return attempt()
            except Exception:
                try:
                    self._transaction(lambda session: self._touched(session, identity, now))
                except Exception:  # the database itself failed: the first error is the one to report
                    log.exception("could not record the learner after a failed unit of work")
                raise

        return await asyncio.get_running_loop().run_in_executor(self._executor, unit_or_touch)

    def _touched(self, session: Session, identity: Identity, now: datetime) -> LearnerSnapshot:
        values, created = touch_learner_values(
            session=session, telegram_id=identity.telegram_id, first_name=identity.first_name,
            language_code=identity.language_code, defaults=self.defaults, now=now,
        )
        return LearnerSnapshot.of_values(values, created=created)

    async def as_learner(self, learner_id: int, work: Callable[[Session, Learner], T]) -> T:
        """`work(session, learner)` in one transaction; a domain error raised by `work` rolls it back."""

        def unit(session: Session) -> T:
            learner = session.get(Learner, learner_id)
            if learner is None:
                raise LookupError(f"no learner {learner_id}")
            return work(session, learner)

        return await self.run(unit)

    def close(self) -> None:
        self._executor.shutdown(wait=True)

    def _transaction(self, work: Callable[[Session], T]) -> T:
        with session_scope(self.engine) as session:
            result = work(session)
        if isinstance(result, SQLModel) or (isinstance(result, tuple) and any(isinstance(r, SQLModel) for r in result)):
            raise TypeError(f"a unit of work returned a database row ({type(result).__name__}): return a value")
        return result
