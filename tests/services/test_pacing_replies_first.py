"""The pacer keeps Telegram's rate and lets a reply go ahead of a broadcast's queue."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.services.pacing import Pacer, Priority, SendLimits
from bot.services.send_schedule import SendSchedule


def run(schedule: SendSchedule, sends: list[tuple[int, Priority]], *, latency: float = 0.0,
        until: float = 600.0) -> list[tuple[int, Priority, float]]:
    """Drive the schedule on a fake clock: each granted send is answered `latency` s later."""
    tickets = [schedule.request(chat, priority) for chat, priority in sends]
    answers: list[tuple[float, object]] = []
    now, started = 0.0, []
    while schedule.waiting and now <= until:
        for ticket in schedule.grant(now):
            started.append((ticket.chat_id, ticket.priority, now))
            answers.append((now + latency, ticket))
        due = [a for a in answers if a[0] <= now]
        for answer in due:
            answers.remove(answer)
            schedule.answered(answer[1], answer[0])  # type: ignore[arg-type]
        if due:
            continue
        now = min([schedule.next_at(), *(at for at, _ in answers)])
    assert not schedule.waiting and all(t.granted_at is not None for t in tickets)
    return started


async def test_a_reply_takes_the_next_instant_ahead_of_the_queued_broadcast():
    pacer = Pacer(SendLimits(per_second_overall=5, overall_span=0.1))
    order: list[str] = []

    async def send(name: str, chat: int, priority: Priority) -> None:
        async with pacer.slot(chat, priority):
            order.append(name)

    sends = [asyncio.create_task(send(f"b{chat}", chat, Priority.OUTBOX)) for chat in range(1, 31)]
    while len(order) < 6:
        await asyncio.sleep(0.001)
    await send("reply", 7, Priority.REPLY)
    await asyncio.gather(*sends)
    assert 6 <= order.index("reply") <= 11, order


async def test_one_chat_gets_one_message_a_second_a_group_twenty_a_minute_and_429_waits():
    private = run(SendSchedule(), [(7, Priority.OUTBOX)] * 3 + [(8, Priority.OUTBOX)])
    assert [at for chat, _, at in private if chat == 7] == [0.0, 1.0, 2.0], "a private chat: ~1 message/s"
    assert [at for chat, _, at in private if chat == 8] == [0.0], "another chat does not wait for it"

    group = run(SendSchedule(), [(-100, Priority.GAME)] * 21, latency=0.05)
    times = [at for _, _, at in group]
    assert times[:20] == [0.0] * 20 and times[20] == pytest.approx(60.05), "a group: 20 in any minute, counted from the answers"

    schedule = SendSchedule()
    schedule.pause(9, 5.0)
    assert run(schedule, [(9, Priority.REPLY), (10, Priority.OUTBOX)]) == [(10, Priority.OUTBOX, 0.0),
                                                                            (9, Priority.REPLY, 5.0)]

    starts = [at for _, _, at in run(SendSchedule(), [(1000 + i, Priority.OUTBOX) for i in range(61)],
                                     latency=0.01)]
    assert starts[29] == 0.0 and starts[30] == pytest.approx(1.01) and starts[60] == pytest.approx(2.02), \
        "30 in any second, a send counting until Telegram's answer plus one second"


def test_every_second_of_a_broadcast_with_replies_holds_at_most_thirty_whatever_the_latency():
    import random

    rng = random.Random(4)
    schedule = SendSchedule()
    tickets = [schedule.request(100 + i, Priority.OUTBOX) for i in range(400)]
    in_flight: list[tuple[float, float, object]] = []  # (arrives at Telegram, answered, ticket)
    arrivals: list[float] = []
    now = 0.0
    while schedule.waiting or in_flight:
        if rng.random() < 0.05:
            tickets.append(schedule.request(7 + len(tickets), Priority.REPLY))
        for ticket in schedule.grant(now):
            trip = rng.uniform(0.001, 0.2)
            arrive = now + rng.uniform(0.0, trip)
            in_flight.append((arrive, now + trip, ticket))
            arrivals.append(arrive)
        answered = [f for f in in_flight if f[1] <= now]
        for flight in answered:
            in_flight.remove(flight)
            schedule.answered(flight[2], flight[1])  # type: ignore[arg-type]
        if not answered:
            now = min([schedule.next_at(), *(f[1] for f in in_flight)])
    arrivals.sort()
    busiest = max(sum(1 for a in arrivals if start - 1.0 < a <= start) for start in arrivals)
    assert busiest <= 30 and len(arrivals) > 400


def test_replies_then_scoreboards_then_game_then_outbox_when_the_bot_s_second_is_full():
    schedule = SendSchedule()
    queued = ([(1000 + i, Priority.OUTBOX) for i in range(30)] + [(-1 - i, Priority.GAME) for i in range(30)]
              + [(-1 - i, Priority.SCOREBOARD) for i in range(30)] + [(7 + i, Priority.REPLY) for i in range(5)])
    started = run(schedule, queued, latency=0.02)
    order = [priority for _, priority, _ in started]
    assert order == sorted(order), "best priority first, each in arrival order"
    assert [chat for chat, _, _ in started[:5]] == [7, 8, 9, 10, 11]
    assert max(at for _, _, at in started) < 3.2, "95 sends at 30 a second: about 3 s, no idle gap"


def test_a_group_whose_minute_is_full_does_not_hold_the_others():
    schedule = SendSchedule()
    started = run(schedule, [(-5, Priority.SCOREBOARD)] * 21 + [(-6, Priority.SCOREBOARD), (42, Priority.OUTBOX)])
    later = {chat: at for chat, _, at in started}
    assert later[-6] == 0.0 and later[42] == 0.0 and later[-5] == 60.0


async def test_replies_in_a_group_keep_its_twenty_a_minute_and_private_replies_do_not_wait():
    from bot.telegram_pacing import PacedRateLimiter, sending_as

    limiter = PacedRateLimiter(Pacer(SendLimits(per_minute_group=2, group_span=0.5)))
    sent: list[tuple[int, float]] = []

    async def call(chat: int) -> bool:
        sent.append((chat, time.monotonic()))
        return True

    for chat in (-5, -5, -5, 42, 42):
        await limiter.process_request(call, (chat,), {}, "sendMessage", {"chat_id": chat}, None)
    (_, g1), _, (_, g3), (_, p1), (_, p2) = sent
    assert g3 - g1 >= 0.5, "a group: its limit a minute, replies included"
    assert p2 - p1 < 0.2, "a reply in a private chat is only paced by the overall 30/s"
    with sending_as(Priority.SCOREBOARD):
        await limiter.process_request(call, (-7,), {}, "editMessageText", {"chat_id": -7}, None)
    assert limiter.pacer.schedule.overall.in_flight == 0 and len(sent) == 6


def test_the_next_polls_leave_room_for_a_burst_of_scoreboards():
    schedule = SendSchedule()
    polls = [schedule.request(-100 - i, Priority.GAME) for i in range(40)]
    assert len(schedule.grant(0.0)) == 20, "a game's polls take at most 20 of the bot's second"
    for ticket in polls[:20]:
        schedule.answered(ticket, 0.05)
    boards = [schedule.request(-100 - i, Priority.SCOREBOARD) for i in range(10)]
    assert schedule.grant(0.1) == boards, "ten questions closing at once are edited at once"
    assert schedule.next_at() == pytest.approx(1.05)
