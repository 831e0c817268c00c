"""Fair use: nobody takes more than their share of the bot's answers (bot/services/budgets.py).

`check_budget` runs before every other handler: an update over its person's or chat's budget is not
answered (once a minute the chat is told why, except during a game). `tell_dropped` is what a person is
told when their chat's queue overflows (bot/update_processor.py). `guess_allowed` guards code guesses.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, BaseHandler, TypeHandler

from bot.context import BotContext, Services
from bot.i18n import t
from bot.services.budgets import GuessBudget, ReplyBudgets, Verdict
from bot.services.learners import language_of
from bot.views.group_game import group_games

__all__ = ["early_handlers", "guess_allowed", "tell_dropped"]

log = logging.getLogger(__name__)
GAME_CONTROL = ("/quiz",)  # an admin stops or pauses a game with it: never silenced by the game's budget


async def check_budget(update: Update, context: BotContext) -> None:
    """Stop an update over its person's or its chat's budget of answers; tell them once a minute."""
    budgets: ReplyBudgets | None = context.application.bot_data.get("budgets")
    chat, user = update.effective_chat, update.effective_user
    if budgets is None or chat is None or user is None or not _answered(update):
        return
    group = chat.type != "private"
    text = (update.message.text or "") if update.message is not None else ""
    if group and update.callback_query is not None:
        return  # a group's buttons (joining a game, an admin's controls) are the game's own
    game = group and not text.startswith(GAME_CONTROL) and group_games(context.application).running_in(chat.id)
    verdict = budgets.admit(user_id=user.id, chat_id=chat.id, group=group, game=game)
    if verdict is Verdict.ANSWER:
        return
    log.info("update %s of chat %s over budget: %s", update.update_id, chat.id, verdict.value)
    if update.callback_query is not None:
        try:
            await update.callback_query.answer()
        except Exception as exc:  # noqa: BLE001 - the spinner stops by itself anyway
            log.debug("could not answer a button over budget: %s", exc)
    if verdict is Verdict.TELL:
        await _tell(context.application, update, "flood_group_slow_down" if group else "flood_dropped")
    raise ApplicationHandlerStop


async def guess_allowed(update: Update, context: BotContext, lang: str) -> bool:
    """Whether this person may try a code now; if not, they are told to wait a minute."""
    guesses: GuessBudget | None = context.application.bot_data.get("guesses")
    user = update.effective_user
    if guesses is None or user is None or guesses.try_code(user_id=user.id):
        return True
    log.info("user %s guesses codes too fast: cooling down", user.id)
    if update.effective_chat is not None:
        await context.bot.send_message(chat_id=update.effective_chat.id, text=t(lang, "guess_cool_down"))
    return False


async def tell_dropped(application: Application, update: Update) -> None:
    """Tell the sender, once per flood, that their extra messages are ignored for now."""
    chat = update.effective_chat
    if chat is None:
        return
    log.info("a sender in chat %s sends too fast: their extra updates are dropped", chat.id)
    if chat.type == "private":
        await _tell(application, update, "flood_dropped")
    elif not group_games(application).running_in(chat.id):  # during a game, not one message more
        await _tell(application, update, "flood_group_slow_down")


def early_handlers() -> list[BaseHandler]:
    return [TypeHandler(Update, check_budget)]


def _answered(update: Update) -> bool:
    """Updates the bot may answer: a person's message or button (not poll answers, not membership news)."""
    if update.callback_query is not None:
        return True
    message = update.message
    return message is not None and bool(message.text or message.caption or message.document or message.photo
                                        or message.sticker)


async def _tell(application: Application, update: Update, key: str) -> None:
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None
    services: Services = application.bot_data["services"]
    lang = None
    if user is not None:
        try:
            lang = await services.db.run(lambda session: language_of(session=session, telegram_id=user.id))
        except Exception:  # noqa: BLE001 - the notice is best effort
            lang = None
    lang = lang or ((user.language_code or "")[:2] if user else "") or services.settings.default_language
    try:
        await application.bot.send_message(chat_id=chat.id, text=t(lang, key))
    except Exception as exc:  # noqa: BLE001 - best effort, like every notice about a failure
        log.debug("could not tell chat %s: %s", chat.id, exc)
