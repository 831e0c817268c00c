"""The name a player has on a group's boards: a forgotten learner's results keep their points, under no name."""

from __future__ import annotations

from bot.i18n import t

__all__ = ["player_name"]


def player_name(lang: str, first_name: str) -> str:
    """The player's first name, or "a former member" for a learner who asked to be forgotten (/forget)."""
    return first_name or t(lang, "former_member")
