"""The learner's terminal in the Mini App: whose workspace it opens, and why it may not.

The caller is the Telegram user Telegram's signature vouches for; the workspace is the one of the learner
with that Telegram id, as for chat commands (there is no other way to name a workspace here).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.services.unit_of_work import Database
from bot.storage import crud
from bot.storage.models import stored_id
from sandbox.errors import SandboxError
from sandbox.terminal import TerminalReplaced

if TYPE_CHECKING:
    from sandbox.service import SandboxService
    from sandbox.terminal import TerminalSession

__all__ = ["TerminalRefused", "learner_id_of", "open_terminal"]


class TerminalRefused(Exception):
    """No terminal: `code` is `lab_off`, `not_a_learner` (never started the bot), `replaced` (a newer one was
    asked for meanwhile) or a sandbox ErrorCode (`lab_unavailable`, `lab_full`...). The page words it."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


async def learner_id_of(db: Database, telegram_id: int) -> int | None:
    """The stored learner with this Telegram id (their workspace's key), or None."""
    def find(session: Session) -> int | None:
        learner = crud.get_learner(session=session, telegram_id=telegram_id)
        return stored_id(learner) if learner is not None else None

    return await db.run(find)


@asynccontextmanager
async def open_terminal(*, sandbox: SandboxService | None, db: Database, lab_enabled: bool, telegram_id: int,
                        cols: int, rows: int,
                        on_queued: Callable[[int, str], Awaitable[None]] | None = None,
                        ) -> AsyncIterator[TerminalSession]:
    """The caller's own terminal for as long as the block runs; TerminalRefused when there is none."""
    if sandbox is None or not lab_enabled:
        raise TerminalRefused("lab_off")
    learner_id = await learner_id_of(db, telegram_id)
    if learner_id is None:
        raise TerminalRefused("not_a_learner")
    try:
        async with sandbox.terminal(learner_id=learner_id, cols=cols, rows=rows, on_queued=on_queued) as session:
            yield session
    except TerminalReplaced:
        raise TerminalRefused("replaced") from None
    except SandboxError as exc:
        raise TerminalRefused(str(exc.code)) from None
