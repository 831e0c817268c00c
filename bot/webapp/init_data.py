"""Who opened the Mini App: Telegram's signed `initData`, checked as Telegram documents it.

https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app
- secret key = HMAC-SHA256(key "WebAppData", message the bot token);
- hash = HMAC-SHA256(key secret, message every field but `hash`, as sorted `key=value` lines joined by "\\n");
- `auth_date` not older than `max_age` (24 h), and not from the future.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl

__all__ = ["MAX_AGE", "InitDataRejected", "WebAppCaller", "data_check_string", "secret_key", "verify_init_data"]

MAX_AGE = 24 * 3600
_CLOCK_SKEW = 60  # seconds a signature may seem to come from the future (clocks differ a little)
_MAX_LENGTH = 8192


class InitDataRejected(Exception):
    """The initData is missing, malformed, forged or too old; `reason` says which (for logs, never for users)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class WebAppCaller:
    """The Telegram user the signature vouches for."""

    telegram_id: int
    first_name: str
    language_code: str | None
    auth_date: int


def secret_key(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def data_check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def verify_init_data(raw: str | None, *, bot_token: str, now: float | None = None,
                     max_age: int = MAX_AGE) -> WebAppCaller:
    """The caller, if `raw` was signed for this bot less than `max_age` seconds ago; else InitDataRejected."""
    if not raw:
        raise InitDataRejected("missing")
    if len(raw) > _MAX_LENGTH:
        raise InitDataRejected("too long")
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InitDataRejected("malformed") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InitDataRejected("a field twice")
    received = fields.get("hash", "")
    expected = hmac.new(secret_key(bot_token), data_check_string(fields).encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(received.encode(), expected.encode()):
        raise InitDataRejected("bad signature")
    try:
        auth_date = int(fields["auth_date"])
        user = json.loads(fields["user"])
        telegram_id = int(user["id"])
    except (KeyError, ValueError, TypeError):
        raise InitDataRejected("no user or date") from None
    current = time.time() if now is None else now
    if auth_date < current - max_age:
        raise InitDataRejected("stale")
    if auth_date > current + _CLOCK_SKEW:
        raise InitDataRejected("from the future")
    language = user.get("language_code")
    return WebAppCaller(telegram_id=telegram_id, first_name=str(user.get("first_name") or ""),
                        language_code=language if isinstance(language, str) else None, auth_date=auth_date)
