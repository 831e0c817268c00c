"""Unexpected errors reach a person: the operator's chat (`ERROR_CHAT_ID`) gets the update's type, the
handler and the traceback, without the personal data an exception may carry (the texts, names and ids in
its message). Identical errors are grouped, and at most one report goes out a minute
(bot/services/error_digest.py)."""

from __future__ import annotations

import asyncio
import logging
import re
import traceback
from pathlib import Path
from types import TracebackType

from telegram import Bot, Update

from bot.i18n import t
from bot.services.error_digest import ErrorDigest, ErrorSeen
from bot.update_processor import update_kind

__all__ = ["ErrorReports", "scrub"]

log = logging.getLogger(__name__)
_ROOT = str(Path(__file__).resolve().parents[2]) + "/"
_FRAMES, _MESSAGE_CHARS, _REPORT_CHARS = 12, 200, 3500
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NUMBER = re.compile(r"\d{4,}")


def scrub(message: str) -> str:
    """An exception's message without what a person wrote or is known by: quoted values, long numbers,
    SQL parameters."""
    message = message.split("[parameters:", 1)[0].split("\n[SQL:", 1)[0]
    return _NUMBER.sub("…", _QUOTED.sub("'…'", message))[:_MESSAGE_CHARS].strip()


class ErrorReports:
    def __init__(self, bot: Bot, chat_id: int, *, language: str, digest: ErrorDigest | None = None) -> None:
        self.bot, self.chat_id, self.language = bot, chat_id, language
        self.digest = digest or ErrorDigest()
        self._timer: asyncio.TimerHandle | None = None

    async def report(self, update: object, error: BaseException) -> None:
        """Count `error`; send what is due now, or later (one report a minute)."""
        tb, handler = error.__traceback__, _handler(error.__traceback__)
        ours = [f for f in traceback.extract_tb(tb) if _short(f.filename).startswith(("bot/", "sandbox/"))]
        where = f"{_short(ours[-1].filename)}:{ours[-1].lineno}" if ours else "?"
        self.digest.add(ErrorSeen(key=f"{type(error).__qualname__}@{where}@{handler}",
                                  update_kind=update_kind(update) if isinstance(update, Update) else "job",
                                  handler=handler, trace=_trace(error)))
        await self.flush()

    async def flush(self) -> None:
        groups = self.digest.due()
        if not groups:
            self._schedule()
            return
        text = "\n\n".join(t(self.language, "error_report", count=g.count, update_kind=g.update_kind,
                               handler=g.handler, trace=g.trace) for g in groups)
        if len(text) > _REPORT_CHARS:
            text = t(self.language, "error_report", count=groups[0].count, update_kind=groups[0].update_kind,
                     handler=groups[0].handler, trace=groups[0].trace[-_REPORT_CHARS // 2:])
        try:
            await self.bot.send_message(chat_id=self.chat_id, text=text)
        except Exception as exc:  # noqa: BLE001 - the report is best effort; the error is in the log already
            log.warning("could not send the error report: %s", exc)

    def _schedule(self) -> None:
        if not self.digest.pending or (self._timer is not None and not self._timer.cancelled()):
            return
        loop = asyncio.get_running_loop()

        def fire() -> None:
            self._timer = None
            loop.create_task(self.flush(), name="error-report")

        self._timer = loop.call_later(self.digest.wait() + 0.01, fire)

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


def _short(filename: str) -> str:
    if "site-packages/" in filename:
        return filename.rsplit("site-packages/", 1)[-1]
    return filename[len(_ROOT):] if filename.startswith(_ROOT) else filename


def _handler(tb: TracebackType | None) -> str:
    """The bot's function PTB called: the outermost frame in bot/handlers (else in bot/, else '?')."""
    found = None
    while tb is not None:
        module = tb.tb_frame.f_globals.get("__name__", "")
        name = f"{module}.{tb.tb_frame.f_code.co_name}"
        if module.startswith("bot.handlers") and not module.endswith("errors"):
            return name
        if found is None and module.startswith("bot."):
            found = name
        tb = tb.tb_next
    return found or "?"


def _trace(error: BaseException) -> str:
    """Frames (file, line, function, code) and each chained exception's type and scrubbed message."""
    lines: list[str] = []
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and len(chain) < 4:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for exc in reversed(chain):
        for frame in traceback.extract_tb(exc.__traceback__)[-_FRAMES:]:
            lines.append(f"{_short(frame.filename)}:{frame.lineno} in {frame.name}")
            if frame.line:
                lines.append(f"    {frame.line.strip()}")
        lines.append(f"{type(exc).__module__}.{type(exc).__qualname__}: {scrub(str(exc))}")
    return "\n".join(lines)
