"""One model of what can go wrong when the bot talks to Telegram, shared by handlers and jobs.

    TelegramError
     ├── Forbidden                  403  the learner blocked the bot          -> BLOCKED
     ├── RetryAfter                 429  flood control: wait `retry_after`    -> FLOOD
     └── NetworkError                    the request may not have arrived     -> UNREACHABLE
          ├── TimedOut
          └── BadRequest            400  Telegram refused what we sent        -> REJECTED
               └── TelegramRejected      ... with the method and its payload (bot/telegram_transport.py)

PTB's BadRequest is a NetworkError: `classify` tests it first, or a 400 would pass for an
outage and be retried for ever.
"""

from __future__ import annotations

import json
from enum import StrEnum

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

__all__ = ["Failure", "TelegramRejected", "classify", "describe"]

PAYLOAD_CHARS = 600


class Failure(StrEnum):
    BLOCKED = "blocked"
    REJECTED = "rejected"
    FLOOD = "flood"
    UNREACHABLE = "unreachable"


class TelegramRejected(BadRequest):
    """A 400 that remembers which Bot API method was called, and with what."""

    def __init__(self, message: str, *, method: str, payload: dict) -> None:
        super().__init__(message)
        self.method, self.payload = method, payload


def classify(error: BaseException | None) -> Failure | None:
    """What kind of Telegram failure `error` is; None when it is not one (a bug, most likely)."""
    if isinstance(error, Forbidden):
        return Failure.BLOCKED
    if isinstance(error, BadRequest):  # before NetworkError, its base class
        return Failure.REJECTED
    if isinstance(error, RetryAfter):
        return Failure.FLOOD
    if isinstance(error, (TimedOut, NetworkError)):
        return Failure.UNREACHABLE
    return None


def describe(error: BaseException) -> str:
    """`error`, with the method and (shortened) payload when Telegram rejected a call."""
    if not isinstance(error, TelegramRejected):
        return str(error)
    payload = json.dumps(error.payload, ensure_ascii=False, default=str)
    if len(payload) > PAYLOAD_CHARS:
        payload = payload[:PAYLOAD_CHARS] + f"… ({len(payload)} chars)"
    return f"{error.method} refused ({error.message}); payload {payload}"
