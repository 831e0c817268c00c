"""A game's message budget in a group.

Telegram lets a bot send about 20 messages a minute to a group, edits included. A game sends:
the lobby (1) and its closing edit (1), the scoreboard (1), then per question the poll (1) and the
scoreboard's edit (1), and the final leaderboard (1). Button presses are answered with toasts, which do
not count. The bot's one pacer (`bot/services/pacing.py`) holds every message to a group until its last
minute has room, replies to commands first. `worst_minute` simulates a game held to `limit` messages a
minute: how much of a group's minute one game needs with a given timer.
"""

from __future__ import annotations

from collections import deque

__all__ = ["GROUP_LIMIT", "RESERVED", "game_messages", "worst_minute"]

GROUP_LIMIT, RESERVED = 20, 4
WINDOW = 60.0
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
