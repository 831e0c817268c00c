"""Reading lessons as a learner does on a phone: `/lesson`, then Suivant ▶ through the pages and on.

Quizzes ask only about lessons read, and a lesson counts as read once its last page is shown, so many
stories read a few lessons first: `await read_lessons(api, user, 2)`.
"""

from __future__ import annotations

from bot.local_api import LocalBotApi
from bot.local_api.store import SentMessage
from bot.local_api.users import SimUser

__all__ = ["finish_lesson", "is_lesson_page", "onward", "read_lessons"]

NEXT = "Suivant"


def onward(message: SentMessage) -> str | None:
    """The Suivant ▶ button of a lesson page: "Suivant ▶ (2/3)" to the next page, "Suivant ▶" after the last."""
    return next((label for label, _ in message.buttons if label.startswith(NEXT)), None)


def is_lesson_page(message: SentMessage) -> bool:
    return onward(message) is not None


async def finish_lesson(api: LocalBotApi, user: SimUser, page: SentMessage, *, timeout: float = 5.0) -> SentMessage:
    """From a page of a lesson, press Suivant ▶ page after page up to its last page (which counts it as read)."""
    while "/" in (onward(page) or ""):
        await user.press(page, onward(page))
        page = await api.wait_for_message(user.id, after=page, timeout=timeout, predicate=is_lesson_page)
    return page


async def read_lessons(api: LocalBotApi, user: SimUser, lessons: int = 1, *, timeout: float = 5.0) -> SentMessage:
    """Open the learner's current lesson and read `lessons` lessons to their last page; returns the last page.

    Between two lessons, the last page's Suivant ▶ opens the next one, as a learner would go on."""
    sent = await user.send("/lesson")
    page = await api.wait_for_message(user.id, after=sent, timeout=timeout, predicate=is_lesson_page)
    for read in range(1, lessons + 1):
        page = await finish_lesson(api, user, page, timeout=timeout)
        if read == lessons:
            return page
        await user.press(page, onward(page))
        following = await api.wait_for_message(user.id, after=page, timeout=timeout, predicate=lambda m: bool(m.buttons))
        assert is_lesson_page(following), f"the course ended after {read} lessons: {following.text[:80]!r}"
        page = following
    return page
