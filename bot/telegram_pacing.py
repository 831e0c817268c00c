"""One budget for everything the bot sends: replies and the outbox share Telegram's ~30 messages/s.

`PacedRateLimiter` is the application's rate limiter. A reply to a learner takes the next free
instant of the shared pacer (bot/services/pacing.py) and goes out; the outbox sender reserves
its instants in the same pacer, at most `concurrency` ahead, so a reply waits at most a few
hundredths of a second behind a broadcast, never behind the broadcast's queue. Calls the
outbox makes (marked with `outbox_call()`) are not paced twice, and their 429s go back to the
sender, which has its own policy. A reply's 429 waits retry_after and is tried again.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.services.pacing import Pacer

__all__ = ["PacedRateLimiter", "outbox_call"]

log = logging.getLogger(__name__)
SENDING = frozenset({"sendMessage", "sendPoll", "sendDocument", "sendPhoto", "sendMediaGroup", "sendVideo",
                     "sendAudio", "sendAnimation", "sendVoice", "sendSticker", "copyMessage", "forwardMessage"})
_OUTBOX = contextvars.ContextVar("outbox_call", default=False)


@contextmanager
def outbox_call() -> Iterator[None]:
    """Telegram calls made inside are the outbox's: already paced, their errors handled by the sender."""
    token = _OUTBOX.set(True)
    try:
        yield
    finally:
        _OUTBOX.reset(token)


def _group_chat(data: dict[str, Any]) -> int | None:
    try:
        chat_id = int(data.get("chat_id"))  # type: ignore[arg-type]
    except (TypeError, ValueError):  # a channel's @username, or no chat
        return None
    return chat_id if chat_id < 0 else None


class PacedRateLimiter(BaseRateLimiter[dict]):
    def __init__(self, pacer: Pacer, *, max_retries: int = 3) -> None:
        self.pacer, self.max_retries = pacer, max_retries

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def process_request(
        self, callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any, kwargs: dict[str, Any], endpoint: str, data: dict[str, Any], rate_limit_args: dict | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if _OUTBOX.get():
            return await callback(*args, **kwargs)
        group = _group_chat(data)
        for attempt in range(self.max_retries + 1):
            if endpoint in SENDING:
                # a group also keeps its 20 messages/min (as AIORateLimiter did); a private chat's reply goes at once
                await (self.pacer.wait(group) if group is not None else self.pacer.wait_overall())
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == self.max_retries:
                    raise
                wait = exc.retry_after.total_seconds() if isinstance(exc.retry_after, timedelta) else exc.retry_after
                log.info("flood control on %s: waiting %s s", endpoint, wait)
                await asyncio.sleep(float(wait) + 0.1)
        raise AssertionError("unreachable")  # pragma: no cover
