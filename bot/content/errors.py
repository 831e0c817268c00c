"""Errors raised by the content layer.

    ContentError            the course files have problems; `.problems` lists every one
    MarkdownPagingError     a rendered page would break Telegram's limits (a bug, never content)
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.content.problems import Problem

__all__ = ["ContentError", "MarkdownPagingError"]


class ContentError(Exception):
    """The course files cannot be loaded; the bot must not start on half a course."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        first = f": {self.problems[0]}" if self.problems else ""
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(f"{len(self.problems)} problem(s) in the course files{first}{more}")


class MarkdownPagingError(Exception):
    """Splitting rendered Markdown produced a page Telegram would reject."""
