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
    """Stop the outbox loop, whose own transactions would be counted with the updates'.

    The sweeps do not run: the harness starts its bots with the periodic jobs off (`periodic_jobs=False`).
    """
    assert not application.bot_data["services"].settings.periodic_jobs, "start this bot with periodic_jobs=False"
    await application.bot_data["outbox"].stop()


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
