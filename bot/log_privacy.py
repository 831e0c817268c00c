"""No token and no person in the logs, at any level.

`protect_logs(token, ...)` (called where the application is built) makes every log record the process
creates, whoever logs it and whichever handler writes it, carry no secret: the bot token (and the webhook
secret) are replaced in the message and in the formatted traceback, as is anything shaped like a bot token.
python-telegram-bot's own DEBUG traces (every update in full, every call's parameters: names, texts,
announcements) are kept out; the bot logs each update by its type and id instead (bot/update_processor.py).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

__all__ = ["protect_logs", "redact"]

_SECRETS: set[str] = set()
_TOKEN_SHAPE = re.compile(r"\b\d{3,20}:[A-Za-z0-9_-]{30,}")  # what BotFather hands out
_CHATTY = ("telegram", "httpx", "httpcore", "hpack")  # log full payloads below INFO
_FORMATTER = logging.Formatter()


def redact(text: str) -> str:
    """`text` with the secrets and anything shaped like a bot token replaced."""
    for secret in _SECRETS:
        text = text.replace(secret, "<secret>")
    return _TOKEN_SHAPE.sub("<bot token>", text)


def protect_logs(*secrets: str | None) -> None:
    """From now on, log records carry none of `secrets` (the bot token, the webhook secret)."""
    _SECRETS.update(s for s in secrets if s and len(s) >= 8)
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "redacting", False):
        logging.setLogRecordFactory(_redacting(factory))
    for name in _CHATTY:
        logger = logging.getLogger(name)
        if logger.level < logging.INFO:  # NOTSET (inherits the root's DEBUG) or DEBUG
            logger.setLevel(logging.INFO)


def _redacting(base: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = base(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string: logging reports it itself later
            return record
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = redact(_FORMATTER.formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return record

    make.redacting = True  # type: ignore[attr-defined]
    return make
