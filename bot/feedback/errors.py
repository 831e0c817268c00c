"""Errors of the feedback engine. They never reach callers of `review_dockerfile`, which
turns them into a `hadolint_status`; they exist so the hadolint runner says what went wrong.

FeedbackError
 └── HadolintError
      ├── HadolintUnavailable   no hadolint binary could be found or started
      └── HadolintFailed        it ran but timed out or printed something that is not its JSON
"""

from __future__ import annotations

__all__ = ["FeedbackError", "HadolintError", "HadolintFailed", "HadolintUnavailable"]


class FeedbackError(Exception):
    """Base class of every error raised on purpose in bot.feedback."""


class HadolintError(FeedbackError):
    pass


class HadolintUnavailable(HadolintError):
    def __init__(self, detail: str) -> None:
        super().__init__(f"hadolint unavailable: {detail}")
        self.detail = detail


class HadolintFailed(HadolintError):
    def __init__(self, detail: str) -> None:
        super().__init__(f"hadolint failed: {detail}")
        self.detail = detail
