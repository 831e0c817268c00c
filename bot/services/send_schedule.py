"""Who may send next: Telegram's limits and the priorities, as plain arithmetic on a clock (no asyncio).

Telegram refuses (429) a bot's message beyond about 30 in any second, 20 in any minute to one group, and a
private chat's short burst beyond ~1 a second. A send is counted from its *answer*: the request reached
Telegram at the latest when its answer came back, so if at most `limit` sends are in flight or answered less
than `span` seconds ago whenever one is let through, Telegram's own window never holds more than `limit`,
whatever the jitter of requests in flight. A request still in flight counts until it is answered.

Waiting sends are served best priority first (then in arrival order); one whose chat is not free (its
group's minute is full, its private chat got a message less than a second ago, a 429 paused it) lets the
next go rather than hold everyone. Group games' other messages (next polls) take at most `game_per_second`
of the bot's second, so when many questions close at once their scoreboard edits find free instants. Replies
to a person skip a private chat's one-a-second spacing (Telegram allows a short burst), never the bot's 30 a
second or a group's 20 a minute.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
from dataclasses import dataclass, field
from enum import IntEnum

__all__ = ["Priority", "SendLimits", "SendSchedule", "Ticket", "Window"]


class Priority(IntEnum):
    """Lower goes first."""

    REPLY = 0  # a person talking to the bot
    SCOREBOARD = 1  # a group game's scoreboard, edited when a question closes
    GAME = 2  # the rest of a group game: lobby, next poll, final board, notices
    OUTBOX = 3  # broadcasts, daily bundles


@dataclass(frozen=True)
class SendLimits:
    per_second_overall: int = 30
    per_minute_group: int = 20
    per_second_private: float = 1.0
    game_per_second: int = 20  # a game's polls leave the rest of the bot's second free for a burst of scoreboards
    overall_span: float = 1.0  # seconds of Telegram's windows (tests shorten them)
    group_span: float = 60.0


class Window:
    """At most `limit` sends in flight or answered less than `span` seconds ago."""

    def __init__(self, limit: int, span: float) -> None:
        self.limit, self.span = limit, span
        self.in_flight = 0
        self._answered: list[float] = []  # a heap of answer times

    def free_at(self, now: float, limit: int | None = None) -> float:
        """When one more send may start with at most `limit` counted (`math.inf`: only after an answer)."""
        answered = self._answered
        while answered and answered[0] + self.span <= now:
            heapq.heappop(answered)
        excess = self.in_flight + len(answered) - (self.limit if limit is None else limit) + 1
        if excess <= 0:
            return now
        if excess > len(answered):
            return math.inf
        return heapq.nsmallest(excess, answered)[-1] + self.span

    def take(self) -> None:
        self.in_flight += 1

    def answered(self, at: float) -> None:
        self.in_flight -= 1
        heapq.heappush(self._answered, at)

    def idle(self, now: float) -> bool:
        return self.free_at(now) == now and self.in_flight == 0 and not self._answered


@dataclass(eq=False)
class Ticket:
    chat_id: int | None  # None: no chat of ours (a channel's @username)
    priority: Priority
    seq: int
    granted_at: float | None = None
    order: tuple[int, int] = field(init=False)

    def __post_init__(self) -> None:
        self.order = (int(self.priority), self.seq)


class SendSchedule:
    """The waiting sends and every budget; `grant(now)` says which may go now."""

    def __init__(self, limits: SendLimits = SendLimits()) -> None:
        self.limits = limits
        self.overall = Window(limits.per_second_overall, limits.overall_span)
        self._groups: dict[int, Window] = {}
        self._private_next: dict[int, float] = {}  # chat -> earliest next queued send
        self._paused: dict[int, float] = {}  # chat -> until (a 429's retry_after)
        self._waiting: list[Ticket] = []  # sorted by (priority, arrival)
        self._seq = itertools.count()
        self._next_at = math.inf

    def request(self, chat_id: int | None, priority: Priority) -> Ticket:
        ticket = Ticket(chat_id, priority, next(self._seq))
        bisect.insort(self._waiting, ticket, key=lambda t: t.order)
        return ticket

    def cancel(self, ticket: Ticket) -> None:
        """A send given up before its turn."""
        if ticket in self._waiting:
            self._waiting.remove(ticket)

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def grant(self, now: float) -> list[Ticket]:
        """Every waiting send that may go now, best first; each takes its share of the budgets."""
        granted: list[Ticket] = []
        self._next_at = math.inf
        for ticket in self._waiting:
            chat_at = self._chat_free_at(ticket, now)
            if chat_at > now:
                self._next_at = min(self._next_at, chat_at)
                continue
            overall_at = self.overall.free_at(now, self._overall_limit(ticket.priority))
            if overall_at > now:  # nobody behind it goes before it
                self._next_at = min(self._next_at, overall_at)
                break
            self._take(ticket, now)
            granted.append(ticket)
        if granted:
            self._waiting = [t for t in self._waiting if t.granted_at is None]
        return granted

    def next_at(self) -> float:
        """After `grant`: when another may go (`math.inf`: when a send is answered or a new one asks)."""
        return self._next_at

    def answered(self, ticket: Ticket, now: float) -> None:
        """A granted send's answer came back (or it failed): its budgets count it from `now`."""
        self.overall.answered(now)
        if ticket.chat_id is not None and ticket.chat_id < 0:
            self._group(ticket.chat_id).answered(now)

    def pause(self, chat_id: int, until: float) -> None:
        """Nothing more to `chat_id` before `until` (a 429's retry_after)."""
        self._paused[chat_id] = max(self._paused.get(chat_id, 0.0), until)

    def moved(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup: its minute goes with it."""
        if old_chat_id in self._groups:
            self._groups[new_chat_id] = self._groups.pop(old_chat_id)

    def _overall_limit(self, priority: Priority) -> int:
        if priority is Priority.GAME:
            return min(self.limits.game_per_second, self.limits.per_second_overall)
        return self.limits.per_second_overall

    def _chat_free_at(self, ticket: Ticket, now: float) -> float:
        chat = ticket.chat_id
        if chat is None:
            return now
        at = self._paused.get(chat, now)
        if chat < 0:
            return max(at, self._group(chat).free_at(now))
        if ticket.priority is not Priority.REPLY:
            at = max(at, self._private_next.get(chat, now))
        return at

    def _take(self, ticket: Ticket, now: float) -> None:
        ticket.granted_at = now
        self.overall.take()
        chat = ticket.chat_id
        if chat is not None and chat < 0:
            self._group(chat).take()
        elif chat is not None:
            self._private_next[chat] = now + 1.0 / self.limits.per_second_private
        if ticket.seq % 1024 == 0:
            self._forget(now)

    def _group(self, chat_id: int) -> Window:
        window = self._groups.get(chat_id)
        if window is None:
            window = self._groups[chat_id] = Window(self.limits.per_minute_group, self.limits.group_span)
        return window

    def _forget(self, now: float) -> None:
        """Drop what no longer holds anyone back (a broadcast meets thousands of chats)."""
        self._private_next = {c: at for c, at in self._private_next.items() if at > now}
        self._paused = {c: at for c, at in self._paused.items() if at > now}
        self._groups = {c: w for c, w in self._groups.items() if not w.idle(now)}
