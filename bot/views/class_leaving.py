"""What `/leave` shows an instructor: a confirmation per class they co-teach, the reason an owner stays."""

from __future__ import annotations

from bot.callbacks import ClassLeave, LeaveClasses
from bot.i18n import label, t
from bot.services.class_leaving import Teaching
from bot.views.base import View, keyboard

__all__ = ["leave_classes_view", "leave_teaching_view", "owner_stays_text"]


def leave_teaching_view(lang: str, teaching: Teaching) -> View:
    return View(t(lang, "leave_teaching_confirm", name=teaching.name, id=teaching.class_id), keyboard([[
        (label(lang, "btn_leave_teaching"), ClassLeave(teaching.class_id, True).encode()),
        (label(lang, "btn_keep_teaching"), ClassLeave(teaching.class_id, False).encode())]]))


def owner_stays_text(lang: str, owned: list[Teaching]) -> str:
    return "\n".join(t(lang, "leave_owner_stays", name=c.name, id=c.class_id) for c in owned)


def leave_classes_view(lang: str, names: list[str]) -> View:
    """A learner's /leave: which classes they would leave, to confirm."""
    return View(t(lang, "leave_classes_confirm", names=", ".join(names)), keyboard([[
        (label(lang, "btn_leave_classes"), LeaveClasses(True).encode()),
        (label(lang, "btn_stay_in_classes"), LeaveClasses(False).encode())]]))
