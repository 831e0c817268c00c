"""The sweep that puts each learner's daily lesson and quiz question into the outbox.

Registered at start-up as one repeating job with a stable name. It reads only the learners
whose stored next due time has passed (bot/services/delivery.py), enqueues their bundles with
an idempotency key per learner and local date, and wakes the outbox sender
(bot/jobs/outbox_sender.py), which does the sending. A restart neither loses nor repeats a bundle.
"""

from __future__ import annotations

import logging

from telegram.ext import Application

from bot.context import BotContext
from bot.services import delivery

__all__ = ["JOB_NAME", "register_daily_delivery", "run_delivery_sweep"]

JOB_NAME = "daily-delivery-sweep"
log = logging.getLogger(__name__)


def register_daily_delivery(application: Application, *, every_seconds: float) -> None:
    """(Re-)register the sweep, replacing any job of the same name."""
    for job in application.job_queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    application.job_queue.run_repeating(
        run_delivery_sweep, interval=every_seconds, first=1.0, name=JOB_NAME,
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )


async def run_delivery_sweep(context: BotContext) -> int:
    """Enqueue every bundle due now; returns how many were enqueued (the sender sends them)."""
    services = context.services
    now = services.clock.now()
    total = 0
    while True:
        sweep = await services.db.run(
            lambda session: delivery.sweep_due(session=session, catalog=services.catalog, now=now))
        total += len(sweep.keys)
        if sweep.keys:
            services.outbox_signal.set()
        if sweep.examined < delivery.SWEEP_BATCH:
            break
    if total:
        log.info("daily delivery: %d bundle(s) queued", total)
    return total
