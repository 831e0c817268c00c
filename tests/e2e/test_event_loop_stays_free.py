"""Many learners at once: no step of the bot holds the event loop for more than 100 ms.

asyncio's debug mode logs every callback slower than `slow_callback_duration`; a database
call or a subprocess run on the loop would show up here.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.local_api import LocalBotApi, SimUser

SLOW = 0.1


@contextmanager
def slow_callbacks(caplog: pytest.LogCaptureFixture) -> Iterator[list[str]]:
    """The callbacks that blocked the running loop for more than SLOW seconds while inside."""
    loop = asyncio.get_running_loop()
    found: list[str] = []
    loop.set_debug(True)
    loop.slow_callback_duration = SLOW
    gc.disable()  # a garbage collection pauses whichever callback runs: not what this measures
    try:
        with caplog.at_level(logging.WARNING, logger="asyncio"):
            yield found
            found += [r.getMessage() for r in caplog.records if r.name == "asyncio" and " took " in r.getMessage()]
    finally:
        gc.enable()
        loop.set_debug(False)


async def a_learners_tour(api: LocalBotApi, user: SimUser) -> None:
    """/start, the first lesson page, a quiz answer, /progress and /settings."""
    sent = await user.send("/start mini")
    menu = await api.wait_for_message(user.id, after=sent, predicate=lambda m: bool(m.buttons), timeout=15)
    await user.press(menu, "📖 Les images")
    page = await api.wait_for_message(user.id, after=menu, timeout=15)
    await user.press(page, "❓ Quiz")
    question = await api.wait_for_message(user.id, after=page, predicate=lambda m: "Question" in m.text, timeout=15)
    await user.press(question, "B")
    await api.wait_for_edit(question, timeout=15)
    sent = await user.send("/progress")
    progress = await api.wait_for_message(user.id, after=sent, timeout=15)
    sent = await user.send("/settings")
    await api.wait_for_message(user.id, after=sent, timeout=15)
    assert "justes" in progress.text


def hold_the_write_lock(database_url: str, seconds: float) -> None:
    """Another process writing (a backup, `tutorbot db upgrade`): every writer of the bot waits."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        connection = sqlite3.connect(url.database)
        try:
            connection.execute("BEGIN IMMEDIATE")
            time.sleep(seconds)
            connection.commit()
        finally:
            connection.close()
        return
    engine = create_engine(url)  # PostgreSQL: readers pass, writers of `learner` wait
    try:
        with engine.begin() as connection:
            connection.execute(text("LOCK TABLE learner IN EXCLUSIVE MODE"))
            time.sleep(seconds)
    finally:
        engine.dispose()


async def test_a_burst_of_learners_never_blocks_the_event_loop_for_100_ms(harness, caplog):
    api = harness.api
    await a_learners_tour(api, api.user(1000, first_name="Warm"))  # first-use costs (imports, rendering) paid once
    with slow_callbacks(caplog) as slow:
        writer = asyncio.create_task(asyncio.to_thread(hold_the_write_lock, harness.settings.database_url, 3 * SLOW))
        await asyncio.gather(*(a_learners_tour(api, api.user(1001 + i, first_name=f"L{i}")) for i in range(20)))
        await writer
    assert slow == [], "callbacks blocked the event loop:\n" + "\n".join(slow)


async def test_the_watch_sees_a_callback_that_blocks(caplog):
    with slow_callbacks(caplog) as slow:
        await asyncio.sleep(0)
        time.sleep(SLOW * 1.5)  # what a synchronous SQLite call under lock contention does to the loop
        await asyncio.sleep(0)
    assert len(slow) == 1
