"""Every message the bot sends waits for the one pacer (bot/services/pacing.py), with its priority.

`PacedRateLimiter` is the application's rate limiter. A call that counts against Telegram's limits (a
message sent anywhere; in a group, an edit too) takes a slot of the shared pacer with the priority its
caller declared (`sending_as(Priority.SCOREBOARD)`, ...; by default a reply to a person, who goes first)
and holds it until Telegram answered. Calls the outbox makes (marked with `outbox_call()`) took their slot
already, and their 429s go back to the sender, which has its own policy. Any other 429 pauses the chat for
retry_after and the call is tried again. With `pace_replies=False` (benchmarks of the bot's own speed),
replies in private chats go straight out; everything in groups is paced anyway, as the outbox is.
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

from bot.services.pacing import Pacer, Priority

__all__ = ["PacedRateLimiter", "outbox_call", "sending_as"]

log = logging.getLogger(__name__)
SENDING = frozenset({"sendMessage", "sendPoll", "sendDocument", "sendPhoto", "sendMediaGroup", "sendVideo",
                     "sendAudio", "sendAnimation", "sendVoice", "sendSticker", "copyMessage", "forwardMessage"})
GROUP_COUNTED = frozenset({"editMessageText", "editMessageReplyMarkup", "editMessageCaption", "editMessageMedia"})
_OUTBOX = contextvars.ContextVar("outbox_call", default=False)
_PRIORITY = contextvars.ContextVar("send_priority", default=Priority.REPLY)


@contextmanager
def outbox_call() -> Iterator[None]:
    """Telegram calls made inside are the outbox's: already paced, their errors handled by the sender."""
    token = _OUTBOX.set(True)
    try:
        yield
    finally:
        _OUTBOX.reset(token)


@contextmanager
def sending_as(priority: Priority) -> Iterator[None]:
    """Telegram calls made inside wait with `priority` (a group game's messages are not replies)."""
    token = _PRIORITY.set(priority)
    try:
        yield
    finally:
        _PRIORITY.reset(token)


def _chat(data: dict[str, Any]) -> int | None:
    try:
        return int(data.get("chat_id"))  # type: ignore[arg-type]
    except (TypeError, ValueError):  # a channel's @username, or no chat
        return None


def retry_seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class PacedRateLimiter(BaseRateLimiter[dict]):
    def __init__(self, pacer: Pacer, *, max_retries: int = 3, pace_replies: bool = True) -> None:
        self.pacer, self.max_retries, self.pace_replies = pacer, max_retries, pace_replies

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
        chat, priority = _chat(data), _PRIORITY.get()
        group = chat is not None and chat < 0
        counted = endpoint in SENDING or (endpoint in GROUP_COUNTED and group)
        if not counted or (priority is Priority.REPLY and not group and not self.pace_replies):
            return await callback(*args, **kwargs)
        for attempt in range(self.max_retries + 1):
            try:
                async with self.pacer.slot(chat, priority):
                    return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == self.max_retries:
                    raise
                wait = retry_seconds(exc.retry_after)
                log.info("flood control on %s to %s: waiting %s s", endpoint, chat, wait)
                if chat is not None:
                    self.pacer.pause(chat, wait)
                else:
                    await asyncio.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover
