"""The retention purge: learners not seen for DATA_RETENTION_DAYS days are forgotten, as if they had sent /forget.

Registered at start-up as one repeating job (every 6 hours, the first 15 minutes after start-up;
`DATA_RETENTION_DAYS=0` keeps everyone and registers nothing). Each run also deletes the outbox's copies of
messages sent longer ago than that.
"""

from __future__ import annotations

import logging

from telegram.ext import Application

from bot.context import BotContext
from bot.services import erasure
from bot.services.forgetting import Forgotten, forget

__all__ = ["JOB_NAME", "register_retention", "run_retention"]

JOB_NAME = "data-retention"
EVERY_SECONDS = 6 * 3600
FIRST_AFTER_SECONDS = 900
"""The first run, a quarter of an hour after start-up: not in the middle of the start-up's own work."""
log = logging.getLogger(__name__)


def register_retention(application: Application, *, days: int, every_seconds: float = EVERY_SECONDS) -> None:
    for job in application.job_queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    if days <= 0:
        return
    application.job_queue.run_repeating(
        run_retention, interval=every_seconds, first=FIRST_AFTER_SECONDS, name=JOB_NAME,
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )


async def run_retention(context: BotContext) -> int:
    """Forget the learners inactive for too long; returns how many were forgotten."""
    services = context.services
    days = services.settings.data_retention_days
    now = services.clock.now()
    stale = await services.db.run(lambda session: erasure.inactive_learners(session=session, now=now, days=days))
    forgotten = 0
    for learner_id in stale:
        outcome = await forget(db=services.db, sandbox=services.sandbox, learner_id=learner_id, now=now)
        if outcome is Forgotten.LAB_FAILED:
            log.warning("retention: the lab could not erase a workspace; that learner waits for the next run")
        forgotten += outcome is Forgotten.DONE
    purged = await services.db.run(lambda session: erasure.purge_old_outbox(session=session, now=now, days=days))
    if forgotten or purged:
        log.info("retention: %d inactive learner(s) forgotten, %d old outbox row(s) deleted", forgotten, purged)
    return forgotten
