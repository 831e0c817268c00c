"""The sweep that sends each learner their daily lesson and quiz question.

Registered at start-up as one repeating job with a stable name; the schedule itself lives
in the learner table (zone, daily time, paused) and the delivery table (what was sent),
so a restart neither loses nor repeats a delivery. No transaction is open while Telegram
is called: the plan is read first, the sent poll recorded after.
"""

from __future__ import annotations

import logging

from telegram.error import TelegramError
from telegram.ext import Application

from bot.context import BotContext
from bot.i18n import t
from bot.services import delivery, learners, quizzes
from bot.services.errors import NotEnrolled
from bot.telegram_errors import Failure, classify, describe
from bot.views.lessons import lesson_page
from bot.views.quiz import send_question_poll

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
    db = services.db
    due = await db.run(lambda session: delivery.claim_due_deliveries(session=session, now=now))
    sent = 0
    for item in due:
        status = await _deliver(context, item)
        if status is not None:
            await db.run(lambda session, item=item, status=status: delivery.finish_delivery(
                session=session, delivery_id=item.delivery_id, status=status, now=now))
        sent += status == "sent"
    return sent


async def _deliver(context: BotContext, item: delivery.DueDelivery) -> str | None:
    """Send one learner's lesson and question; None leaves the claim to be retried."""
    services = context.services
    try:
        now = services.clock.now()
        plan = await services.db.run(lambda session: delivery.plan_delivery(
            session=session, catalog=services.catalog, learner_id=item.learner_id, now=now))
    except NotEnrolled:
        return "failed"
    chat_id = item.telegram_id
    try:
        await context.bot.send_message(chat_id=chat_id, text=t(plan.lang, "daily_hello", name=plan.first_name))
        if plan.lesson is not None:
            view = lesson_page(services.lesson_pages, plan.lang, plan.course, plan.lesson, 0)
            await context.bot.send_message(chat_id=chat_id, text=view.text, reply_markup=view.markup)
        polls = [(plan.question, plan.order, None), (plan.review, plan.review_order, "daily_review_intro")]
        for question, order, intro in polls:
            if question is None:
                continue
            if intro is not None:
                await context.bot.send_message(chat_id=chat_id, text=t(plan.lang, intro))
            message = await send_question_poll(context.bot, chat_id=chat_id, question=question, order=order)
            now = services.clock.now()
            await services.db.run(lambda session, q=question, o=order, m=message, now=now: quizzes.remember_poll(
                session=session, poll_id=m.poll.id, chat_id=chat_id, message_id=m.message_id,
                learner_id=plan.learner_id, course=plan.course, question=q, now=now, order=o))
        return "sent"
    except TelegramError as exc:
        match classify(exc):
            case Failure.BLOCKED:
                await services.db.run(lambda session: learners.mark_blocked(session=session, telegram_id=chat_id))
                log.info("learner %s blocked the bot; daily delivery stopped", chat_id)
                return "failed"
            case Failure.REJECTED:  # retrying the same request cannot help
                log.error("Telegram refused the daily delivery to %s: %s", chat_id, describe(exc))
                return "failed"
            case Failure.FLOOD | Failure.UNREACHABLE:
                log.warning("daily delivery to %s postponed: %s", chat_id, exc)
                return None
        raise
