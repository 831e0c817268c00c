"""A poll answer is stamped as it enters the application's update queue, and a question's close can wait until
every answer to its poll received so far was taken by its handler (never longer than it asks)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from telegram import Update

from bot.update_receipts import ReceiptQueue

T0 = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)


def poll_answer(update_id: int, poll_id: str, user_id: int = 7) -> Update:
    return Update.de_json({"update_id": update_id, "poll_answer": {
        "poll_id": poll_id, "user": {"id": user_id, "is_bot": False, "first_name": "Zoé"}, "option_ids": [0], "option_persistent_ids": ["a"]}}, None)


def message(update_id: int) -> Update:
    return Update.de_json({"update_id": update_id, "message": {
        "message_id": 1, "date": 0, "chat": {"id": 7, "type": "private"}, "text": "hi"}}, None)


async def test_answers_are_stamped_when_queued_and_a_close_waits_for_its_polls_answers_only():
    now = [T0]
    queue = ReceiptQueue(now=lambda: now[0])
    first, other, late = poll_answer(1, "p1"), poll_answer(2, "p2"), poll_answer(4, "p1", user_id=8)
    await queue.put(first)
    now[0] = T0 + timedelta(seconds=1)
    await queue.put(other)
    queue.put_nowait(message(3))
    assert queue.waiting() == 2 and queue.waiting("p1") == 1
    waiting = asyncio.create_task(queue.settled("p1", timeout=5))
    await asyncio.sleep(0)
    assert not waiting.done()
    now[0] = T0 + timedelta(seconds=9)  # handled much later: the receipt time stays
    assert queue.take(first) == T0
    assert await waiting is True
    await queue.put(late)
    assert await queue.settled("p2", timeout=0.05) is False  # never taken: the close goes on, forgetting it
    assert queue.waiting("p2") == 0 and queue.take(other) is None
    assert queue.take(late) == T0 + timedelta(seconds=9)
    assert queue.take(message(3)) is None and queue.qsize() == 4
