"""The sweep that sends class calendars: each plan entry and scheduled post whose time has come.

Registered at start-up as one repeating job. It reads only what is due (indexed due times),
turns it into outbox rows (one per member) and wakes the sender; a restart neither loses nor
repeats an entry (it is marked sent in the same transaction that queues its rows).
"""

from __future__ import annotations

import logging

from telegram.ext import Application

from bot.context import BotContext
from bot.services import class_calendar

__all__ = ["JOB_NAME", "register_class_calendar", "run_class_sweep"]

JOB_NAME = "class-calendar-sweep"
log = logging.getLogger(__name__)


def register_class_calendar(application: Application, *, every_seconds: float) -> None:
    for job in application.job_queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    application.job_queue.run_repeating(
        run_class_sweep, interval=every_seconds, first=1.0, name=JOB_NAME,
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )


async def run_class_sweep(context: BotContext) -> int:
    """Queue what class calendars owe now; returns the outbox rows queued."""
    services = context.services
    now = services.clock.now()
    queued = await services.db.run(
        lambda session: class_calendar.deliver_due(session=session, catalog=services.catalog, now=now))
    if queued:
        services.outbox_signal.set()
        log.info("class calendars: %d message(s) queued", queued)
    return queued
