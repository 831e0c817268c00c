"""The settings screen and its pickers."""

from __future__ import annotations

from bot.callbacks import Menu, SettingsAction
from bot.i18n import label, t
from bot.services.unit_of_work import LearnerSnapshot
from bot.services.zone_names import zone_label
from bot.views.base import View, keyboard

__all__ = ["TIMES", "ZONES", "settings_view", "time_picker", "zone_picker", "zone_suggestions"]

ZONES = ("Europe/Paris", "Europe/Brussels", "Europe/Zurich", "America/Montreal", "Africa/Casablanca",
         "Africa/Dakar", "Africa/Abidjan", "Indian/Reunion", "Pacific/Tahiti", "UTC")
TIMES = ("07:00", "08:00", "09:00", "12:00", "18:00", "20:00", "21:00")


def settings_view(me: LearnerSnapshot, *, saved: str | None = None) -> View:
    """The settings and their buttons; after a change, `saved` ("timezone", "time", "lang", "pause") says what was
    saved, above them."""
    lang = me.lang
    text = (t(lang, f"settings_saved_{saved}", timezone=zone_label(me.timezone), time=me.daily_time.strftime("%H:%M"),
              language=t(lang, f"lang_{me.language}")) + "\n\n" if saved else "")
    text += t(lang, "settings", language=t(lang, f"lang_{me.language}"), timezone=zone_label(me.timezone),
             time=me.daily_time.strftime("%H:%M"), status=t(lang, "status_paused" if me.paused else "status_active"))
    pause = label(lang, "btn_resume") if me.paused else label(lang, "btn_pause")
    rows = [
        [("🇫🇷 Français", SettingsAction("lang", "fr").encode()), ("🇬🇧 English", SettingsAction("lang", "en").encode())],
        [(label(lang, "btn_time"), SettingsAction("time").encode()), (label(lang, "btn_zone"), SettingsAction("tz").encode())],
        [(pause, SettingsAction("pause", "0" if me.paused else "1").encode())],
        [(label(lang, "btn_menu"), Menu().encode())],
    ]
    return View(text, keyboard(rows))


def zone_picker(lang: str, *, hint: bool = False) -> View:
    """The usual zones as buttons (with `hint`, /timezone alone: how to give a city too)."""
    text = t(lang, "pick_zone_or_city" if hint else "pick_zone")
    return View(text, keyboard([[(zone, SettingsAction("tz", str(i)).encode())]
                                                for i, zone in enumerate(ZONES)]))


def zone_suggestions(lang: str, value: str, zones: tuple[str, ...], *, offset: str | None = None,
                     fixed: str | None = None) -> View:
    """`/timezone` with a text that is no zone: the close ones as buttons (none: an example). For an offset
    ("UTC+2"), the zones at that offset now, and the fixed-offset one with a word on daylight saving time."""
    if not zones:
        return View(t(lang, "bad_timezone", value=value))
    buttons = [[(label(lang, "btn_zone_offset_fixed", offset=offset) if zone == fixed else zone,
                 SettingsAction("tz", zone).encode())] for zone in zones]
    if offset is None:
        return View(t(lang, "timezone_did_you_mean", value=value), keyboard(buttons))
    text = t(lang, "timezone_offset", offset=offset)
    if fixed is not None:
        text += "\n" + t(lang, "timezone_offset_fixed", offset=offset)
    return View(text, keyboard(buttons))


def time_picker(lang: str, *, hint: bool = False) -> View:
    """The usual times as buttons, and how to give another one (`hint` kept for /time alone: the same text)."""
    buttons = [(hhmm, SettingsAction("time", hhmm.replace(":", "h")).encode()) for hhmm in TIMES]
    text = t(lang, "pick_time")  # its example already says how to give another time
    return View(text, keyboard([buttons[:4], buttons[4:]]))
