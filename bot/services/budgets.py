"""Fair budgets: how much of the bot's answers one person, and one chat, may take.

Checked before anything is sent (the shared sender, bot/services/pacing.py, never sees what is over budget):

    verdict = budgets.admit(user_id=7, chat_id=-100, group=True, game=True)   # ANSWER, TELL or SILENT
    guesses.try_code(user_id=7)                                              # False: cooling down

- a private chat: `private` updates a minute per person;
- a group: `group_user` a minute per member and `group_chat` for the whole group, so that the group's
  20 messages a minute stay for what matters; while a game runs there, `game_chat`, one answer a minute,
  so the game's own messages keep their timing;
- past its budget, a chat is told once a minute (not during a game: that answer would be one more), and
  the rest is not answered.

Guessable codes (certificates, class join codes): `GuessBudget` allows a few tries a minute per person,
then a cool-down.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Hashable
from enum import StrEnum

__all__ = ["GuessBudget", "ReplyBudgets", "Verdict", "Window"]


class Verdict(StrEnum):
    ANSWER = "answer"
    TELL = "tell"  # over budget: say so, once
    SILENT = "silent"  # over budget, and already told


class Window:
    """At most `limit` events per `seconds` for each key (a sliding window)."""

    def __init__(self, limit: int, seconds: float = 60.0) -> None:
        self.limit, self.seconds = limit, seconds
        self._events: dict[Hashable, deque[float]] = {}

    def take(self, key: Hashable, now: float) -> bool:
        """Count one event for `key` if its budget allows (True), else count nothing (False)."""
        events = self._events.get(key)
        if events is None:
            events = self._events[key] = deque()
        while events and events[0] <= now - self.seconds:
            events.popleft()
        if len(events) >= self.limit:
            return False
        events.append(now)
        return True

    def left(self, key: Hashable, now: float) -> int:
        events = self._events.get(key, ())
        return self.limit - sum(1 for at in events if at > now - self.seconds)

    def forget_idle(self, now: float) -> None:
        """Drop keys with nothing in their window (memory stays bounded by who is active)."""
        for key in [k for k, events in self._events.items() if not events or events[-1] <= now - self.seconds]:
            del self._events[key]


class ReplyBudgets:
    def __init__(self, *, private: int = 60, group_user: int = 4, group_chat: int = 10, game_chat: int = 1,
                 seconds: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.private, self.group_user = Window(private, seconds), Window(group_user, seconds)
        self.group_chat, self.game_chat = Window(group_chat, seconds), Window(game_chat, seconds)
        self.told = Window(1, seconds)
        self._swept = clock()

    def admit(self, *, user_id: int, chat_id: int, group: bool, game: bool = False) -> Verdict:
        """May this person's update in this chat be answered?"""
        now = self.clock()
        self._sweep(now)
        if not group:
            if self.private.take(user_id, now):
                return Verdict.ANSWER
            return Verdict.TELL if self.told.take(chat_id, now) else Verdict.SILENT
        if game:  # one answer a minute for the whole group, and no notice (it would be one more message)
            return Verdict.ANSWER if self.game_chat.take(chat_id, now) and self.group_user.take(
                (chat_id, user_id), now) else Verdict.SILENT
        if self.group_user.left((chat_id, user_id), now) > 0 and self.group_chat.take(chat_id, now):
            self.group_user.take((chat_id, user_id), now)
            return Verdict.ANSWER
        return Verdict.TELL if self.told.take(chat_id, now) else Verdict.SILENT

    def _sweep(self, now: float) -> None:
        if now - self._swept < 600:
            return
        self._swept = now
        for window in (self.private, self.group_user, self.group_chat, self.game_chat, self.told):
            window.forget_idle(now)


class GuessBudget:
    """`tries` code attempts per `seconds` per person; past them, nothing until `cool_down` has passed."""

    def __init__(self, *, tries: int = 5, seconds: float = 60.0, cool_down: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.window, self.cool_down, self.clock = Window(tries, seconds), cool_down, clock
        self._until: dict[int, float] = {}

    def try_code(self, *, user_id: int) -> bool:
        """True: this attempt may be checked. False: too many tries; the person waits out the cool-down."""
        now = self.clock()
        until = self._until.get(user_id)
        if until is not None and now < until:
            return False
        self._until.pop(user_id, None)
        if self.window.take(user_id, now):
            return True
        self._until[user_id] = now + self.cool_down
        return False
