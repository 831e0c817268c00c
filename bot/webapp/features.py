"""The Mini App's features: each module gives its routes (and its tab's script in static/)."""

from __future__ import annotations

from bot.webapp import (
    api_class_announce,
    api_class_charts,
    api_class_learners,
    api_class_today,
    api_me,
    lab_editor,
    lab_terminal,
)
from bot.webapp.server import Routes

__all__ = ["FEATURES"]

FEATURES: tuple[Routes, ...] = (api_me.routes, api_class_today.routes, api_class_learners.routes,
                                api_class_announce.routes, api_class_charts.routes, lab_terminal.routes,
                                lab_editor.routes)

