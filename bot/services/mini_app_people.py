"""Who is calling the Mini App, as the page needs to know it: the classes they teach and the ones they are in.

Only the caller's own facts: never another person's Telegram id.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlmodel import Session

from bot.services.classes import classes_of, is_instructor, member_of
from bot.storage import crud

__all__ = ["MiniAppPerson", "TaughtClass", "mini_app_person"]


@dataclass(frozen=True)
class TaughtClass:
    id: int
    name: str
    course_id: str
    timezone: str
    members: int


@dataclass(frozen=True)
class MiniAppPerson:
    telegram_id: int
    language: str | None  # the language chosen in the bot, None for someone it does not know yet
    instructor: bool
    teaches: tuple[TaughtClass, ...]
    learns_in: tuple[str, ...]  # the names of the classes they are a member of


def mini_app_person(*, session: Session, telegram_id: int, first_instructors: Collection[int]) -> MiniAppPerson:
    learner = crud.get_learner(session=session, telegram_id=telegram_id)
    taught = tuple(TaughtClass(id=info.id, name=info.name, course_id=info.course_id, timezone=info.timezone,
                               members=info.members)
                   for info in classes_of(session=session, telegram_id=telegram_id))
    return MiniAppPerson(
        telegram_id=telegram_id, language=learner.language if learner is not None else None,
        instructor=is_instructor(session=session, telegram_id=telegram_id, first_instructors=first_instructors),
        teaches=taught, learns_in=tuple(member_of(session=session, learner=learner)) if learner is not None else (),
    )
