"""/help, generated from the commands the bot has registered: it cannot drift from what the bot answers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.i18n import has_message, t

__all__ = ["help_text", "instructor_help_text"]


def help_text(lang: str, commands: Iterable[frozenset[str]], order: Sequence[str], *, lab: bool = True) -> str:
    """A line per registered command: `/name · description (aussi /alias)`, in the menu's `order` first.

    Each set is one handler's names; the name with a `cmd_<name>` description leads, the others are aliases.
    """
    lines = []
    for names in commands:
        described = [name for name in names if has_message(f"cmd_{name}")]
        primary = min(described or names, key=lambda name: (order.index(name) if name in order else len(order), name))
        aliases = sorted(names - {primary})
        line = f"/{primary} · " + (t(lang, f"cmd_{primary}") if described else "")
        if aliases:
            line += " " + t(lang, "help_aliases", aliases=", ".join(f"/{alias}" for alias in aliases))
        rank = order.index(primary) if primary in order else len(order)
        lines.append((rank, primary, line))
    body = "\n".join(line for _, _, line in sorted(lines))
    return t(lang, "help_heading") + "\n" + body + "\n\n" + t(lang, "help_footer" if lab else "help_footer_no_lab")


def instructor_help_text(lang: str, commands: Sequence[str]) -> str:
    """The instructor's own commands, for their /help (learners never see them)."""
    lines = [f"/{name} · {t(lang, f'cmd_{name}')}" for name in commands]
    return t(lang, "help_instructor_heading") + "\n" + "\n".join(lines) + "\n" + t(lang, "help_instructor_footer")
