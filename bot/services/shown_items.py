"""What the bot really showed a learner: a button that moves progress counts only for it.

A lesson counts as read when its last page was shown (`lesson_reading.page_shown` records it then, or the learner
presses the "next" button under a last page the bot sent); a quiz answer counts only for a question the bot asked,
with the options in the order it sent them. Anything else is a forged or stale button: `StaleReference`, which the
learner sees as "this button has expired".
"""

from __future__ import annotations

from sqlmodel import Session

from bot.services.errors import StaleReference
from bot.storage import crud
from bot.storage.models import ShownItem

__all__ = ["check_lesson_end_shown", "check_question_asked", "lesson_end_shown", "question_asked"]

LESSON, QUESTION = "lesson", "question"


def _show(session: Session, *, learner_id: int, kind: str, item_id: str, detail: str) -> None:
    if session.get(ShownItem, (learner_id, kind, item_id, detail)) is None:  # two sends at once: one row
        crud.insert_once(session=session, row=ShownItem(learner_id=learner_id, kind=kind, item_id=item_id,
                                                        detail=detail))


def lesson_end_shown(*, session: Session, learner_id: int, lesson_id: str) -> None:
    """The bot sent the lesson's last page (with its "next" button) to the learner."""
    _show(session, learner_id=learner_id, kind=LESSON, item_id=lesson_id, detail="")


def question_asked(*, session: Session, learner_id: int, question_id: str, order: str) -> None:
    """The bot asked the question with `ans:` buttons, options in `order` (as the buttons carry it)."""
    _show(session, learner_id=learner_id, kind=QUESTION, item_id=question_id, detail=order)


def check_lesson_end_shown(*, session: Session, learner_id: int, course_id: str, lesson_id: str) -> None:
    """Raise StaleReference unless the bot showed the lesson's last page to the learner (which also counts it as
    read: a lesson already read passes)."""
    if session.get(ShownItem, (learner_id, LESSON, lesson_id, "")) is not None:
        return
    if lesson_id in crud.list_completed_lesson_ids(session=session, learner_id=learner_id, course_id=course_id):
        return
    raise StaleReference(f"lesson {lesson_id} not shown to its end")


def check_question_asked(*, session: Session, learner_id: int, question_id: str, order: str) -> None:
    """Raise StaleReference unless the bot asked the learner this question with its options in `order` (an older
    message of the same question, answered or not, still counts: its buttons mean what it showed)."""
    if session.get(ShownItem, (learner_id, QUESTION, question_id, order)) is None:
        raise StaleReference(f"question {question_id} not asked in order {order!r}")
