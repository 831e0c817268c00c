"""A game's message budget in a group, and the pacer that keeps every game inside it.

Telegram lets a bot send about 20 messages a minute to a group, edits included. A game sends:
the lobby (1) and its closing edit (1), the scoreboard (1), then per question the poll (1) and the
scoreboard's edit (1), and the final leaderboard (1). Button presses are answered with toasts, which do
not count. `GroupPacer` holds each game message until the group's last minute has room for it, keeping
`RESERVED` messages a minute for the bot's replies to commands, and until the bot's last second has room
(`OVERALL_PER_SECOND` of Telegram's ~30 a second, for every group's games together, evenly spaced).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable

__all__ = ["GROUP_LIMIT", "RESERVED", "GroupPacer", "game_messages", "worst_minute"]

GROUP_LIMIT, RESERVED = 20, 4
WINDOW = 60.0
OVERALL_PER_SECOND = 20  # Telegram's ~30 messages a second for the whole bot, with room for private chats
PER_QUESTION = 2  # the poll, the scoreboard's edit


def game_messages(*, questions: int, lobby: bool) -> int:
    """Every message (and counted edit) a game sends to its group."""
    return (2 if lobby else 0) + 1 + PER_QUESTION * questions + 1


def worst_minute(*, questions: int, timer: float, lobby: bool, limit: int = GROUP_LIMIT - RESERVED) -> int:
    """The most messages a paced game sends in any 60 s, simulated (each question lasts at least `timer`)."""
    sends: list[float] = []
    pacer_window: deque[float] = deque()
    now = 0.0

    def send() -> None:
        nonlocal now
        while pacer_window and pacer_window[0] <= now - WINDOW:
            pacer_window.popleft()
        if len(pacer_window) >= limit:
            now = pacer_window[0] + WINDOW
            pacer_window.popleft()
        pacer_window.append(now)
        sends.append(now)

    for _ in range(game_messages(questions=0, lobby=lobby) - 1):
        send()
    for _ in range(questions):
        send()  # the poll
        now += timer
        send()  # the scoreboard edit
    send()  # the leaderboard
    return max(sum(1 for s in sends if start <= s < start + WINDOW) for start in sends)


class GroupPacer:
    """Waits until a group's last minute has room for one more game message."""

    def __init__(self, *, limit: int = GROUP_LIMIT - RESERVED, window: float = WINDOW,
                 overall_per_second: int = OVERALL_PER_SECOND, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.overall, self.clock = limit, window, overall_per_second, clock
        self._sent: dict[int, deque[float]] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._next_free = 0.0
        self._all_lock = asyncio.Lock()

    async def slot(self, chat_id: int) -> float:
        """Take a slot for `chat_id` (its minute, then the bot's second); returns how long it waited."""
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        async with lock:
            waited = await _take(self._sent.setdefault(chat_id, deque()), self.limit, self.window, self.clock)
            async with self._all_lock:  # evenly spaced: a burst would meet Telegram's window with any jitter
                delay = max(0.0, self._next_free - self.clock())
                if delay:
                    await asyncio.sleep(delay)
                self._next_free = max(self.clock(), self._next_free) + 1.0 / self.overall
                return waited + delay

    def moved(self, old_chat_id: int, new_chat_id: int) -> None:
        if old_chat_id in self._sent:
            self._sent[new_chat_id] = self._sent.pop(old_chat_id)


async def _take(sent: deque[float], limit: int, window: float, clock: Callable[[], float]) -> float:
    """Wait until `sent` has fewer than `limit` stamps in the last `window` seconds, then add one."""
    waited = 0.0
    while True:
        now = clock()
        while sent and sent[0] <= now - window:
            sent.popleft()
        if len(sent) < limit:
            sent.append(now)
            return waited
        delay = sent[0] + window - now + 0.01
        waited += delay
        await asyncio.sleep(delay)
