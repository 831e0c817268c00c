"""The Mini App's features: each module gives its routes (and its tab's script in static/)."""

from __future__ import annotations

from bot.webapp import api_me, lab_editor, lab_terminal
from bot.webapp.server import Routes

__all__ = ["FEATURES"]

FEATURES: tuple[Routes, ...] = (api_me.routes, lab_terminal.routes, lab_editor.routes)
