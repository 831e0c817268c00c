"""The pacer keeps Telegram's rate and lets a reply go ahead of a broadcast's queue."""

from __future__ import annotations

import asyncio

from bot.services.pacing import Pacer, SendLimits


async def test_a_reply_takes_the_next_instant_ahead_of_the_queued_broadcast():
    pacer = Pacer(SendLimits(per_second_overall=50.0))
    order: list[str] = []

    async def broadcast(chat: int) -> None:
        await pacer.wait(chat)
        order.append(f"b{chat}")

    sends = [asyncio.create_task(broadcast(chat)) for chat in range(1, 11)]
    while not order:
        await asyncio.sleep(0.001)
    await pacer.wait_overall()
    order.append("reply")
    await asyncio.gather(*sends)
    assert order.index("reply") <= 3, order


async def test_one_chat_gets_one_message_a_second_a_group_twenty_a_minute_and_429_waits(monkeypatch):
    clock = [0.0]

    async def sleep(seconds: float) -> None:  # virtual time: the pacer's arithmetic, not the machine's speed
        clock[0] += seconds

    monkeypatch.setattr("bot.services.pacing.asyncio.sleep", sleep)
    pacer = Pacer(SendLimits(per_second_overall=30.0), clock=lambda: clock[0])

    async def at(chat: int) -> float:
        await pacer.wait(chat)
        return clock[0]

    assert await at(7) == 0.0
    assert await at(7) == 1.0, "a private chat: ~1 message/s"
    assert await at(8) - 1.0 < 0.05, "another chat only waits its turn in the overall 30/s"
    first = await at(-100)
    assert await at(-100) - first >= 3.0, "a group: 20 messages/min"
    pacer.pause(9, 5.0)
    before = clock[0]
    assert await at(9) - before >= 5.0, "a 429's retry_after is honoured"
    starts = [await at(1000 + i) for i in range(61)]
    assert starts[-1] - starts[0] >= 2.0 - 1e-9, "60 messages to 60 chats take 2 s at 30/s"


async def test_replies_in_a_group_keep_its_twenty_a_minute_and_private_replies_do_not_wait(monkeypatch):
    from bot.telegram_pacing import PacedRateLimiter

    clock = [0.0]

    async def sleep(seconds: float) -> None:
        clock[0] += seconds

    monkeypatch.setattr("bot.services.pacing.asyncio.sleep", sleep)
    limiter = PacedRateLimiter(Pacer(SendLimits(), clock=lambda: clock[0]))
    sent: list[tuple[int, float]] = []

    async def call(chat: int) -> bool:
        sent.append((chat, clock[0]))
        return True

    for chat in (-5, -5, 42, 42):
        await limiter.process_request(call, (chat,), {}, "sendMessage", {"chat_id": chat}, None)
    (_, g1), (_, g2), (_, p1), (_, p2) = sent
    assert g2 - g1 >= 3.0, "a group: 20 messages a minute"
    assert p2 - p1 < 0.1, "a reply in a private chat is only paced by the overall 30/s"
