"""Unexpected errors, grouped for a person to read: identical ones counted, at most one report a minute.

    digest.add(ErrorSeen(key=..., update_kind="message", handler="bot.handlers.menu.show_menu", trace="..."))
    groups = digest.due()      # what to report now (empty when the last report is less than `every` old)
    digest.wait()              # seconds until the next report may go out

Two errors are identical when their `key` is (the exception's type, the bot's line it came through, the handler).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

__all__ = ["ErrorDigest", "ErrorSeen"]


@dataclass(frozen=True)
class ErrorSeen:
    key: str
    update_kind: str
    handler: str
    trace: str
    count: int = 1


class ErrorDigest:
    def __init__(self, *, every: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.every, self.clock = every, clock
        self.pending: dict[str, ErrorSeen] = {}
        self._last: float | None = None

    def add(self, error: ErrorSeen) -> None:
        seen = self.pending.get(error.key)
        self.pending[error.key] = error if seen is None else replace(seen, count=seen.count + 1)

    def wait(self) -> float:
        """Seconds before the next report may go out (0: now)."""
        return 0.0 if self._last is None else max(0.0, self._last + self.every - self.clock())

    def due(self) -> list[ErrorSeen]:
        """The groups to report now, oldest first; none while the last report is less than `every` old."""
        if not self.pending or self.wait() > 0:
            return []
        groups, self.pending, self._last = list(self.pending.values()), {}, self.clock()
        return groups
