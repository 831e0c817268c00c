"""The name a player has on a group's boards: a forgotten learner's results keep their points, under no name."""

from __future__ import annotations

from bot.i18n import t
from bot.services.shown_names import shown_name

__all__ = ["player_name"]


def player_name(lang: str, first_name: str) -> str:
    """The player's first name as others may see it (`shown_name`: no invisible or direction-changing characters,
    bounded), or "a former member" for a learner who asked to be forgotten (/forget)."""
    return shown_name(first_name) if first_name else t(lang, "former_member")
