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
from bot.views.announcement_header import announcement_header
from bot.views.broadcast_status import post_status, watch_status

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
    fired: list[class_calendar.FiredAnnouncement] = []
    queued = await services.db.run(lambda session: class_calendar.deliver_due(
        session=session, catalog=services.catalog, now=now, fired=fired, header=announcement_header))
    if queued:
        services.outbox_signal.set()
        log.info("class calendars: %d message(s) queued", queued)
    for done in fired:  # each scheduled announcement's author sees it go out, as with Send
        await _live_status(context, done)
    return queued


async def _live_status(context: BotContext, done: class_calendar.FiredAnnouncement) -> None:
    services = context.services
    status = await post_status(context.bot, services, chat_id=done.author, lang=done.author_lang,
                               class_name=done.class_name, announcement_id=done.announcement_id, batch=done.batch,
                               scheduled=True)
    if status is not None:
        context.application.create_task(
            watch_status(services, status, lang=done.author_lang, class_name=done.class_name,
                         announcement_id=done.announcement_id, batch=done.batch, scheduled=True),
            name=f"broadcast-{done.announcement_id}")
