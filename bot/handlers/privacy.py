"""/privacy (what is kept, why, how long, who sees it), /mydata (all of it, as a JSON file), /forget (erase it all,
after a confirmation button): docs/PRIVACY.md."""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CommandHandler

from bot.callbacks import Forget
from bot.context import BotContext
from bot.handlers.buttons import Press, on_press, press_handler
from bot.handlers.common import PRIVATE, identity, learner, reply
from bot.i18n import t
from bot.services import data_export
from bot.services.forgetting import forget
from bot.views.privacy import export_filename, forget_outcome_text, forget_question, privacy_text

__all__ = ["handlers"]


async def show_privacy(update: Update, context: BotContext) -> None:
    """Say what the bot keeps about the learner, why, for how long, and who sees it."""
    me = await learner(update, context)
    await reply(update, context, privacy_text(me.lang, retention_days=context.services.settings.data_retention_days))


async def send_my_data(update: Update, context: BotContext) -> None:
    """Send the learner everything stored about them, as one JSON document."""
    now = context.services.clock.now()
    me, document = await context.services.db.as_visitor(identity(update), lambda session, visitor: (
        data_export.export_learner(session=session, telegram_id=visitor.telegram_id, now=now)))
    if not document:
        await reply(update, context, t(me.lang, "mydata_nothing"))
        return
    await context.bot.send_document(chat_id=update.effective_chat.id, caption=t(me.lang, "mydata_caption"),
                                    document=InputFile(document, filename=export_filename(me.telegram_id)))


async def ask_forget(update: Update, context: BotContext) -> None:
    """Ask before erasing everything about the learner (/forget)."""
    view = forget_question((await learner(update, context)).lang)
    await reply(update, context, view.text, view.markup)


@on_press(Forget)
async def confirm_forget(update: Update, context: BotContext, press: Press[Forget]) -> None:
    """Erase everything, or nothing, as the learner answered."""
    lang, learner_id = press.me.lang, press.me.id
    await press.accept()
    if not press.payload.confirmed:
        await reply(update, context, t(lang, "forget_cancelled"))
        return
    # Erasing the lab takes seconds: no transaction stays open meanwhile.
    context.application.create_task(_forget(update, context, lang, learner_id), update=update, name="forget")


async def _forget(update: Update, context: BotContext, lang: str, learner_id: int) -> None:
    services = context.services
    outcome = await forget(db=services.db, sandbox=services.sandbox, learner_id=learner_id, now=services.clock.now())
    await reply(update, context, forget_outcome_text(lang, outcome))


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler(["privacy", "confidentialite", "rgpd", "gdpr"], show_privacy, filters=PRIVATE),
        CommandHandler(["mydata", "data", "mesdonnees"], send_my_data, filters=PRIVATE),
        CommandHandler(["forget", "oublier", "delete"], ask_forget, filters=PRIVATE),
        press_handler(confirm_forget),
    ]
