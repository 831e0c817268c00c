"""The sweep that sends each learner their daily lesson and quiz question.

Registered at start-up as one repeating job with a stable name; the schedule itself lives
in the learner table (zone, daily time, paused) and the delivery table (what was sent),
so a restart neither loses nor repeats a delivery.
"""

from __future__ import annotations

import logging

from telegram.error import Forbidden, NetworkError
from telegram.ext import Application

from bot.context import BotContext
from bot.handlers.common import Scope
from bot.handlers.lessons import send_lesson_page
from bot.handlers.quiz import send_question_poll
from bot.i18n import t
from bot.services import delivery, journey, quizzes
from bot.services.errors import NotEnrolled
from bot.storage import crud, session_scope

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
    """Claim and send every due delivery; returns how many were sent."""
    services = context.services
    now = services.clock.now()
    with session_scope(services.engine) as session:
        due = delivery.claim_due_deliveries(session=session, now=now)
    sent = 0
    for item in due:
        status = await _deliver(context, item)
        with session_scope(services.engine) as session:
            if status is not None:
                delivery.finish_delivery(session=session, delivery_id=item.delivery_id, status=status, now=now)
        sent += status == "sent"
    return sent


async def _deliver(context: BotContext, item: delivery.DueDelivery) -> str | None:
    """Send one learner's lesson and question; None leaves the claim to be retried."""
    services = context.services
    try:
        with session_scope(services.engine) as session:
            learner = crud.get_learner_by_id(session=session, learner_id=item.learner_id)
            scope = Scope(session=session, learner=learner, now=services.clock.now(), created=False)
            course = journey.active_course(catalog=services.catalog, learner=learner)
            lesson = journey.current_lesson(session=session, catalog=services.catalog, learner=learner)
            question = quizzes.next_question(session=session, course=course, learner=learner)
            await context.bot.send_message(chat_id=item.telegram_id, text=t(learner.language, "daily_hello", name=learner.first_name))
            if lesson is not None:
                await send_lesson_page(None, context, scope, course, lesson, 0, chat_id=item.telegram_id)
            if question is not None:
                await send_question_poll(context, scope, item.telegram_id, course, question)
        return "sent"
    except NotEnrolled:
        return "failed"
    except Forbidden:
        with session_scope(services.engine) as session:
            learner = crud.get_learner_by_id(session=session, learner_id=item.learner_id)
            learner.blocked = True
            session.add(learner)
        log.info("learner %s blocked the bot; daily delivery stopped", item.telegram_id)
        return "failed"
    except NetworkError as exc:
        log.warning("daily delivery to %s postponed: %s", item.telegram_id, exc)
        return None
