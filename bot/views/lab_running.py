"""A long command in the chat: the live "still running" notice, and what is left after it was stopped."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from bot.i18n import Raw, t
from bot.services.lab import detached_alternative

if TYPE_CHECKING:
    from sandbox.results import CommandResult

__all__ = ["after_stop_text", "still_running_text"]


def still_running_text(lang: str, command: str, seconds: int) -> str:
    """⏳ still running (12 s), and for a foreground `docker run` the same command with -d."""
    key = "lab_server_starting" if seconds < 1 else "lab_still_running"
    text = t(lang, key, command=command[:120], seconds=seconds)
    alternative = detached_alternative(command)
    if alternative is not None:
        text += "\n\n" + t(lang, "lab_server_hint", alternative=alternative)
    return text


def after_stop_text(lang: str, result: CommandResult, containers: tuple[str, ...] | None) -> str | None:
    """After a command stopped by the learner or the time limit: what still runs in the lab, exactly."""
    if not (result.cancelled or result.timed_out):
        return None
    head = t(lang, "lab_stopped", seconds=round(result.duration_s)) if result.cancelled else ""
    if containers is None:
        tail = ""
    elif containers:
        names = Raw(", ".join(f"<code>{escape(name)}</code>" for name in containers))
        tail = t(lang, "lab_still_up", containers=names)
    else:
        tail = t(lang, "lab_nothing_up")
    return "\n".join(part for part in (head, tail) if part) or None
