"""What /privacy, /mydata and /forget show."""

from __future__ import annotations

from bot.callbacks import Forget
from bot.i18n import Raw, label, t
from bot.services.forgetting import Forgotten
from bot.views.base import View, keyboard

__all__ = ["export_filename", "forget_outcome_text", "forget_question", "privacy_text"]


def privacy_text(lang: str, *, retention_days: int) -> str:
    retention = (t(lang, "privacy_retention_days", days=retention_days) if retention_days > 0
                 else t(lang, "privacy_retention_forever"))
    return t(lang, "privacy_text", retention=Raw(retention))


def export_filename(telegram_id: int) -> str:
    return f"mydata-{telegram_id}.json"


def forget_question(lang: str) -> View:
    return View(t(lang, "forget_confirm"), keyboard([[
        (label(lang, "btn_forget_confirm"), Forget(confirmed=True).encode()),
        (label(lang, "btn_forget_cancel"), Forget(confirmed=False).encode())]]))


def forget_outcome_text(lang: str, outcome: Forgotten) -> str:
    return t(lang, "forget_lab_failed" if outcome is Forgotten.LAB_FAILED else "forget_done")
