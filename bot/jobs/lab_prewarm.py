"""Before a class whose lesson has an exercise, start the likely members' lab workspaces, spread out.

Every 30 s the job asks bot/services/lab_prewarm.py which boots to make for the classes starting
within the lead time (within the lab's capacity), each at its own instant of the spread, and
starts those whose instant has come; a workspace already started is not started again.
"""

from __future__ import annotations

import logging

from telegram.ext import Application

from bot.context import BotContext
from bot.services import lab_prewarm

__all__ = ["JOB_NAME", "register_lab_prewarm", "run_prewarm"]

JOB_NAME = "lab-prewarm"
KEEP_FREE = 2
"""Workspaces left for learners who are not in the class (and for the lab's own warm pool)."""
log = logging.getLogger(__name__)


def register_lab_prewarm(application: Application, *, every_seconds: float = 30.0) -> None:
    for job in application.job_queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    application.job_queue.run_repeating(run_prewarm, interval=every_seconds, first=5.0, name=JOB_NAME,
                                        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1})


async def run_prewarm(context: BotContext) -> int:
    """Schedule the boots due for the coming classes; returns how many were newly scheduled."""
    services = context.services
    lab = services.sandbox
    if lab is None:
        return 0
    settings = getattr(lab, "settings", None)
    capacity = max(0, getattr(settings, "max_workspaces", 20) - KEEP_FREE)
    now = services.clock.now()
    plan = await services.db.run(lambda session: lab_prewarm.prewarm_plan(
        session=session, catalog=services.catalog, now=now, capacity=capacity))
    started: set[tuple[int, object]] = context.application.bot_data.setdefault("prewarmed", set())
    due = [item for item in plan if item.at <= now and (item.learner_id, item.class_at) not in started]
    for item in due:  # each at its own instant of the spread: the later ones on a later run
        started.add((item.learner_id, item.class_at))
        context.application.create_task(_boot(lab, item.learner_id), name=f"prewarm-{item.learner_id}")
    if due:
        log.info("lab: starting %d workspace(s) before the class", len(due))
    return len(due)


async def _boot(lab: lab_prewarm.WarmableLab, learner_id: int) -> None:
    if not await lab_prewarm.warm(lab=lab, learner_id=learner_id):
        log.info("lab: could not start the workspace of learner %s ahead of the class", learner_id)
