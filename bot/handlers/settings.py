"""/settings: language, time zone, daily time, pause/resume."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler

from bot.callbacks import Menu, SettingsAction
from bot.context import BotContext
from bot.handlers.buttons import Press, on_press, press_handler
from bot.handlers.common import PRIVATE, Scope, keyboard, learner_scope, reply
from bot.i18n import label, t
from bot.services.errors import InvalidSetting
from bot.services.learners import parse_daily_time, update_learner

__all__ = ["handlers"]

ZONES = ("Europe/Paris", "Europe/Brussels", "Europe/Zurich", "America/Montreal", "Africa/Casablanca",
         "Africa/Dakar", "Africa/Abidjan", "Indian/Reunion", "Pacific/Tahiti", "UTC")
TIMES = ("07:00", "08:00", "09:00", "12:00", "18:00", "20:00", "21:00")


def settings_view(scope: Scope) -> tuple[str, InlineKeyboardMarkup]:
    learner, lang = scope.learner, scope.lang
    text = t(lang, "settings", language=t(lang, f"lang_{learner.language}"), timezone=learner.timezone,
             time=learner.daily_time.strftime("%H:%M"),
             status=t(lang, "status_paused" if learner.paused else "status_active"))
    pause = label(lang, "btn_resume") if learner.paused else label(lang, "btn_pause")
    rows = [
        [("🇫🇷 Français", SettingsAction("lang", "fr").encode()), ("🇬🇧 English", SettingsAction("lang", "en").encode())],
        [(label(lang, "btn_time"), SettingsAction("time").encode()), (label(lang, "btn_zone"), SettingsAction("tz").encode())],
        [(pause, SettingsAction("pause", "0" if learner.paused else "1").encode())],
        [(label(lang, "btn_menu"), Menu().encode())],
    ]
    return text, keyboard(rows)


async def show_settings(update: Update, context: BotContext) -> None:
    """Show the settings with buttons to change them."""
    with learner_scope(context, update.effective_user) as scope:
        await reply(update, context, *settings_view(scope))


@on_press(SettingsAction)
async def settings_button(update: Update, context: BotContext, press: Press[SettingsAction]) -> None:
    """Apply a settings button, or show the zone or time picker."""
    scope, what, value = press.scope, press.payload.what, press.payload.value
    await press.accept()
    try:
        if what == "lang" and value:
            update_learner(session=scope.session, learner=scope.learner, language=value)
        elif what == "pause" and value:
            update_learner(session=scope.session, learner=scope.learner, paused=value == "1")
        elif what == "tz" and value:
            update_learner(session=scope.session, learner=scope.learner, timezone=ZONES[int(value)])
        elif what == "time" and value:
            update_learner(session=scope.session, learner=scope.learner,
                           daily_time=parse_daily_time(value.replace("h", ":")))
        elif what == "tz":
            rows = [[(zone, SettingsAction("tz", str(i)).encode())] for i, zone in enumerate(ZONES)]
            await reply(update, context, t(scope.lang, "pick_zone"), keyboard(rows))
            return
        elif what == "time":
            buttons = [(hhmm, SettingsAction("time", hhmm.replace(":", "h")).encode()) for hhmm in TIMES]
            await reply(update, context, t(scope.lang, "pick_time"), keyboard([buttons[:4], buttons[4:]]))
            return
    except (InvalidSetting, ValueError, IndexError):
        await reply(update, context, t(scope.lang, "stale_button"))
    await reply(update, context, *settings_view(scope))


async def set_timezone(update: Update, context: BotContext) -> None:
    """Set the time zone from `/timezone Europe/Paris`."""
    with learner_scope(context, update.effective_user) as scope:
        if not context.args:
            await reply(update, context, t(scope.lang, "timezone_usage"))
            return
        try:
            update_learner(session=scope.session, learner=scope.learner, timezone=context.args[0][:64])
        except InvalidSetting as exc:
            await reply(update, context, t(scope.lang, "bad_timezone", value=exc.value))
            return
        await reply(update, context, *settings_view(scope))


async def set_time(update: Update, context: BotContext) -> None:
    """Set the daily delivery time from `/time 7:30`."""
    with learner_scope(context, update.effective_user) as scope:
        if not context.args:
            await reply(update, context, t(scope.lang, "time_usage"))
            return
        try:
            update_learner(session=scope.session, learner=scope.learner, daily_time=parse_daily_time(context.args[0][:16]))
        except InvalidSetting as exc:
            await reply(update, context, t(scope.lang, "bad_time", value=exc.value))
            return
        await reply(update, context, *settings_view(scope))


def handlers() -> list:
    private = PRIVATE
    return [
        CommandHandler(["settings", "reglages"], show_settings, filters=private),
        CommandHandler(["timezone", "fuseau"], set_timezone, filters=private),
        CommandHandler(["time", "heure"], set_time, filters=private),
        press_handler(settings_button),
    ]
