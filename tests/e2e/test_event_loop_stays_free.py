"""Many learners at once: no step of the bot holds the event loop for more than 100 ms.

Every callback of the loop is timed, as asyncio's debug mode does; a database call or a
subprocess run on the loop would show up here.
"""

from __future__ import annotations

import asyncio
import gc
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.local_api import LocalBotApi, SimUser

SLOW = 0.1


def _waiting_for_a_cpu(schedstat: Path) -> float:
    """Seconds this thread has spent runnable but not running (the kernel gave the CPU to someone else)."""
    return int(schedstat.read_text().split()[1]) / 1e9


@contextmanager
def slow_callbacks() -> Iterator[list[str]]:
    """The callbacks that held the running loop for more than SLOW seconds while inside.

    Like asyncio's debug mode (`slow_callback_duration`), each callback of the loop is timed; the time the
    loop's thread spent waiting for a CPU taken by another process (from /proc/thread-self/schedstat) is
    left out, so a busy machine is not mistaken for a blocking call. A blocking call (a synchronous
    database query waiting on a lock, a subprocess) sleeps in the kernel and still counts.
    """
    found: list[str] = []
    schedstat = Path(f"/proc/self/task/{threading.get_native_id()}/schedstat")
    run = asyncio.events.Handle._run

    def timed(handle: asyncio.events.Handle) -> None:
        began, waited = time.monotonic(), _waiting_for_a_cpu(schedstat)
        run(handle)
        took = time.monotonic() - began
        if took > SLOW:
            held = took - (_waiting_for_a_cpu(schedstat) - waited)
            if held > SLOW:
                found.append(f"{handle!r} held the loop {held:.3f} s ({took:.3f} s in all)")

    asyncio.events.Handle._run = timed  # type: ignore[method-assign]
    gc.disable()  # a garbage collection pauses whichever callback runs: not what this measures
    try:
        yield found
    finally:
        gc.enable()
        asyncio.events.Handle._run = run  # type: ignore[method-assign]


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


async def test_a_burst_of_learners_never_blocks_the_event_loop_for_100_ms(harness):
    api = harness.api
    await a_learners_tour(api, api.user(1000, first_name="Warm"))  # first-use costs (imports, rendering) paid once
    with slow_callbacks() as slow:
        writer = asyncio.create_task(asyncio.to_thread(hold_the_write_lock, harness.settings.database_url, 3 * SLOW))
        await asyncio.gather(*(a_learners_tour(api, api.user(1001 + i, first_name=f"L{i}")) for i in range(20)))
        await writer
    assert slow == [], "callbacks blocked the event loop:\n" + "\n".join(slow)


async def test_the_watch_sees_a_callback_that_blocks():
    with slow_callbacks() as slow:
        await asyncio.sleep(0)
        time.sleep(SLOW * 1.5)  # what a synchronous SQLite call under lock contention does to the loop
        await asyncio.sleep(0)
    assert len(slow) == 1
