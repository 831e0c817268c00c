"""Plain words from a learner: answered as a tutor would (see bot/services/free_text.py), never as a lab error."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.handlers.common import LearnerSnapshot, reply
from bot.services import journey
from bot.services.errors import NotEnrolled
from bot.services.free_text import Kind, understand
from bot.views.free_text import free_text_view, join_link_view

__all__ = ["answer_free_text"]


async def answer_free_text(update: Update, context: BotContext, me: LearnerSnapshot, text: str) -> None:
    """Answer a greeting, thanks, a call for help or a question about the course, with the next step as buttons."""
    services = context.services
    catalog = services.catalog
    try:
        course = journey.active_course(catalog=catalog, learner=me)
    except NotEnrolled:  # not enrolled yet: a question is still answered from the course they would take
        course = next(iter(catalog.courses.values()), None)
        enrolled = False
    else:
        enrolled = True
    understood = understand(text, course)
    if understood.kind is Kind.JOIN_LINK:
        view = join_link_view(me.lang)
        await reply(update, context, view.text, view.markup)
        return
    place = None
    if enrolled and understood.kind is not Kind.QUESTION:
        place = await services.db.as_learner(
            me.id, lambda session, row: journey.bookmark(session=session, catalog=catalog, learner=row))
    view = free_text_view(me.lang, me.first_name, understood, place, lab=services.settings.lab_enabled)
    await reply(update, context, view.text, view.markup)
