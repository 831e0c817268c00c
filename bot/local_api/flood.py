"""Telegram's flood control: about 30 messages/s overall, 20/min per group, ~1/s per private chat."""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass

from bot.local_api.errors import TooManyRequests

__all__ = ["FloodControl", "FloodLimits"]


@dataclass(frozen=True)
class FloodLimits:
    per_second_overall: int = 30
    per_minute_per_group: int = 20
    private_burst: int = 5  # a private chat tolerates a short burst, then ~1 message/s
    private_per_second: float = 1.0
    group_span: float = 60.0  # seconds of a group's window (tests that move games on faster shorten it)


class FloodControl:
    def __init__(self, limits: FloodLimits, clock=time.monotonic) -> None:  # noqa: ANN001
        self.limits, self.clock = limits, clock
        self._overall: deque[float] = deque()
        self._groups: dict[int, deque[float]] = {}
        self._private: dict[int, tuple[float, float]] = {}  # chat -> (tokens, updated)

    def admit(self, chat_id: int) -> None:
        """Count one message to `chat_id`, or raise TooManyRequests with Telegram's retry_after."""
        now = self.clock()
        _expire(self._overall, now - 1.0)
        if len(self._overall) >= self.limits.per_second_overall:
            raise TooManyRequests(_seconds(self._overall[0] + 1.0 - now))
        if chat_id < 0:
            window = self._groups.setdefault(chat_id, deque())
            _expire(window, now - self.limits.group_span)
            if len(window) >= self.limits.per_minute_per_group:
                raise TooManyRequests(_seconds(window[0] + self.limits.group_span - now))
            window.append(now)
        else:
            tokens, updated = self._private.get(chat_id, (float(self.limits.private_burst), now))
            tokens = min(self.limits.private_burst, tokens + (now - updated) * self.limits.private_per_second)
            if tokens < 1.0:
                raise TooManyRequests(_seconds((1.0 - tokens) / self.limits.private_per_second))
            self._private[chat_id] = (tokens - 1.0, now)
        self._overall.append(now)


def _expire(window: deque[float], before: float) -> None:
    while window and window[0] <= before:
        window.popleft()


def _seconds(delay: float) -> int:
    return max(1, math.ceil(delay))
