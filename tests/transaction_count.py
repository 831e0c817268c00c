"""Counting a bot's transactions per update, with its background work (outbox loop, sweeps) quiet."""

from __future__ import annotations

import asyncio

from sqlalchemy import event
from sqlmodel import Session, select

from bot.storage import make_engine
from bot.storage.models import LessonCompletion


def count_transactions(engine) -> list[int]:  # noqa: ANN001
    """A list whose length grows by one per transaction begun on `engine` (read-only ones too)."""
    begun: list[int] = []
    event.listen(engine, "begin", lambda _connection: begun.append(1))
    return begun


async def quiet_background_work(application) -> None:  # noqa: ANN001
    """Stop the outbox loop and the scheduled jobs, whose own transactions would be counted with the updates'.

    Pausing the scheduler stops new runs; a sweep that began at start-up (its first run is 1 s in, and a
    loaded machine can take that long to start the bot) is waited for.
    """
    await application.bot_data["outbox"].stop()
    application.job_queue.scheduler.pause()

    def job_running() -> bool:
        return any(getattr(task.get_coro(), "__qualname__", "") == "run_coroutine_job" for task in asyncio.all_tasks())

    for _ in range(200):
        if not job_running():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("a scheduled job still runs after 10 s")


async def read_recorded(engine, lesson_id: str) -> None:
    """Wait until the lesson is recorded as read, looking through an engine of its own (not counted)."""
    probe = make_engine(engine.url.render_as_string(hide_password=False))
    try:
        for _ in range(100):
            with Session(probe) as session:
                if session.exec(select(LessonCompletion).where(LessonCompletion.lesson_id == lesson_id)).first():
                    return
            await asyncio.sleep(0.05)
    finally:
        probe.dispose()
    raise AssertionError(f"{lesson_id} was never recorded as read")
