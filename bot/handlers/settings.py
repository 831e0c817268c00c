"""/settings: language, time zone, daily time, pause/resume."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.callbacks import SettingsAction
from bot.context import BotContext
from bot.handlers.buttons import Press, on_press, press_handler
from bot.handlers.common import PRIVATE, LearnerSnapshot, learner, reply
from bot.i18n import t
from bot.services.errors import InvalidSetting
from bot.services.learners import parse_daily_time, update_learner
from bot.services.unit_of_work import LearnerRow, Session
from bot.services.zone_names import find_zone, is_offered
from bot.views.base import View
from bot.views.settings import ZONES, settings_view, time_picker, zone_picker, zone_suggestions

__all__ = ["handlers"]


async def show_settings(update: Update, context: BotContext) -> None:
    """Show the settings with buttons to change them."""
    await _send(update, context, settings_view(await learner(update, context)))


@on_press(SettingsAction)
async def settings_button(update: Update, context: BotContext, press: Press[SettingsAction]) -> None:
    """Apply a settings button, or show the zone or time picker."""
    me, what, value = press.me, press.payload.what, press.payload.value
    await press.accept()
    if what in ("tz", "time") and not value:
        await _send(update, context, zone_picker(me.lang) if what == "tz" else time_picker(me.lang))
        return
    changes: dict[str, object] = {}
    try:
        if what == "lang" and value:
            changes["language"] = value
        elif what == "pause" and value:
            changes["paused"] = value == "1"
        elif what == "tz" and value:  # the picker's index, or a zone proposed to /timezone by name
            changes["timezone"] = offered_zone(value)
        elif what == "time" and value:
            changes["daily_time"] = parse_daily_time(value.replace("h", ":"))
        me = await _update(context, me, **changes) if changes else me
    except (InvalidSetting, ValueError, IndexError):
        await reply(update, context, t(me.lang, "stale_button"))
        changes = {}
    saved = {"lang": "lang", "pause": "paused" if me.paused else "resumed", "tz": "timezone", "time": "time"}
    await _send(update, context, settings_view(me, saved=saved.get(what) if changes else None))


def offered_zone(value: str) -> str:
    """The zone a button carries: the picker's index, or a zone the bot proposed; InvalidSetting for any other."""
    if value.isascii() and value.isdigit() and len(value) <= 2:
        return ZONES[int(value)]
    if not is_offered(value):
        raise InvalidSetting("timezone", value)
    return value


async def set_timezone(update: Update, context: BotContext) -> None:
    """Set the time zone from `/timezone Europe/Paris` or a city (`/timezone paris`); propose close zones."""
    me = await learner(update, context)
    text = " ".join(context.args or [])[:64]
    if not text:
        await _send(update, context, zone_picker(me.lang, hint=True))
        return
    now = context.services.clock.now()
    found = await asyncio.to_thread(find_zone, text, now=now)  # the city index is read from disk on first use
    if found.zone is None:
        await _send(update, context, zone_suggestions(me.lang, text, found.suggestions, offset=found.offset,
                                                      fixed=found.fixed))
        return
    try:
        me = await _update(context, me, timezone=found.zone)
    except InvalidSetting as exc:
        await reply(update, context, t(me.lang, "bad_timezone", value=exc.value))
        return
    await _send(update, context, settings_view(me, saved="timezone"))


async def set_time(update: Update, context: BotContext) -> None:
    """Set the daily delivery time from `/time 7:30`."""
    me = await learner(update, context)
    if not context.args:
        await _send(update, context, time_picker(me.lang, hint=True))
        return
    try:
        me = await _update(context, me, daily_time=parse_daily_time(" ".join(context.args)[:16]))
    except InvalidSetting as exc:
        await reply(update, context, t(me.lang, "bad_time", value=exc.value))
        return
    await _send(update, context, settings_view(me, saved="time"))


async def _update(context: BotContext, me: LearnerSnapshot, **changes: object) -> LearnerSnapshot:
    def apply(session: Session, row: LearnerRow) -> LearnerSnapshot:
        return LearnerSnapshot.of(update_learner(session=session, learner=row, **changes))

    return await context.services.db.as_learner(me.id, apply)


async def _send(update: Update, context: BotContext, view: View) -> None:
    await reply(update, context, view.text, view.markup)


def handlers() -> list[BaseHandler]:
    private = PRIVATE
    return [
        CommandHandler(["settings", "reglages"], show_settings, filters=private),
        CommandHandler(["timezone", "fuseau"], set_timezone, filters=private),
        CommandHandler(["time", "heure"], set_time, filters=private),
        press_handler(settings_button),
    ]
