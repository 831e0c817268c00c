"""Stable topic keys: each finding and diagnosis names one, and the course maps it to a lesson.

The list belongs to the content (bot/content/feedback_topics.py): feedback depends on content,
never the other way round.
"""

from __future__ import annotations

from bot.content.feedback_topics import FEEDBACK_TOPICS as TOPICS

__all__ = ["TOPICS"]
