"""A build's status message, edited with its progress: the step that runs and the latest line it printed."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

from telegram import Message
from telegram.error import BadRequest, RetryAfter

from bot.views.lab import build_progress_text

if TYPE_CHECKING:
    from sandbox.results import BuildProgress

__all__ = ["PROGRESS_EDIT_SECONDS", "ProgressEditor"]

log = logging.getLogger(__name__)

PROGRESS_EDIT_SECONDS = 2.0


class ProgressEditor:
    """Edits one status message with the build's progress, at most every ~2 s, the latest progress last."""

    def __init__(self, message: Message | None, lang: str) -> None:
        self.message, self.lang, self.last_edit, self.last_text = message, lang, 0.0, ""
        self.pending: BuildProgress | None = None
        self.latest: BuildProgress | None = None  # the step running now (even if not shown yet): where a build fails
        self.flush: asyncio.Task[None] | None = None

    async def update(self, progress: BuildProgress) -> None:
        if self.message is None:
            return
        self.pending = progress
        self.latest = progress
        wait = PROGRESS_EDIT_SECONDS - (time.monotonic() - self.last_edit)
        if wait <= 0:
            await self._show_pending()
        elif self.flush is None or self.flush.done():  # shown when the interval is over, even if nothing follows
            self.flush = asyncio.create_task(self._later(wait))

    async def _later(self, wait: float) -> None:
        await asyncio.sleep(wait)
        await self._show_pending()

    async def _show_pending(self) -> None:
        if self.pending is None:
            return
        progress, self.pending = self.pending, None
        self.last_edit = time.monotonic()
        await self._edit(build_progress_text(self.lang, progress))

    async def finish(self, text: str) -> None:
        if self.flush is not None:
            self.flush.cancel()
        self.pending = None
        await self._edit(text)

    async def _edit(self, text: str) -> None:
        if self.message is None or text == self.last_text:
            return
        try:
            await self.message.edit_text(text)
            self.last_text = text
        except (BadRequest, RetryAfter) as exc:  # progress is a courtesy: never fail the build for it
            log.debug("progress edit skipped: %s", exc)
