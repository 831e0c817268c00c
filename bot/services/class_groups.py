"""A group linked to a class: who links it, what its games ask, and whose instructors run them.

`/class linkgroup` sent in a group by an instructor of the class links it (`link_group`); `/class unlinkgroup`
undoes it, from an instructor of the class or an admin of the group.
A group has one live link at a time: linking it to a second class is refused (GroupTaken) until it is unlinked.
While linked, the class's instructors count as the group's game admins, and `/quiz` draws its questions from
the lessons the class has seen this week (its calendar, pushes and scheduled lessons, in the class's zone);
with none this week, from every lesson the class has seen; with none at all, from the whole course.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.content import Catalog
from bot.services import classes
from bot.services.class_errors import GroupNotLinked, GroupTaken, NotGroupAdmin, NotInstructor
from bot.services.lesson_reading import drawn_on_read_lessons
from bot.storage.competition_models import GameSchedule
from bot.storage.models import (
    ClassGroup,
    Classroom,
    LessonSent,
    PlanEntry,
    ScheduledPost,
    stored_id,
)

__all__ = ["GameSource", "LinkedClass", "Linked", "game_source", "link_group", "linked_class", "linked_chats", "linked_group_titles",
           "lessons_seen", "unlink_group", "week_start"]

Scope = Literal["week", "seen", "course"]


@dataclass(frozen=True)
class LinkedClass:
    class_id: int
    name: str
    course_id: str
    timezone: str
    instructors: frozenset[int]


@dataclass(frozen=True)
class Linked:
    class_id: int
    class_name: str
    already: bool


@dataclass(frozen=True)
class GameSource:
    """What a linked group's game asks: questions of `course_id` (none listed: the whole course)."""

    class_name: str
    course_id: str
    scope: Scope
    lesson_ids: tuple[str, ...]
    question_ids: tuple[str, ...]


def _live_link(session: Session, chat_id: int) -> ClassGroup | None:
    return session.exec(select(ClassGroup).where(ClassGroup.chat_id == chat_id, col(ClassGroup.unlinked_at).is_(None))
                        .order_by(col(ClassGroup.id).desc())).first()


def link_group(*, session: Session, chat_id: int, title: str, telegram_id: int, ref: str | None,
               now: datetime, group_admin: bool) -> Linked:
    """Link the group to the class `ref` (or the user's newest); NotInstructor, ClassNotFound or GroupTaken, and
    NotGroupAdmin for an instructor who is not an admin of the group (`group_admin`, as Telegram says): linking makes
    the class's instructors game admins of the group, which only its own admins may grant."""
    klass = classes.require_class(session=session, telegram_id=telegram_id, ref=ref)
    if not group_admin:
        raise NotGroupAdmin(telegram_id, stored_id(klass))
    class_id = stored_id(klass)
    live = _live_link(session, chat_id)
    if live is not None:
        if live.class_id == class_id:
            return Linked(class_id, klass.name, already=True)
        other = session.get(Classroom, live.class_id)
        if other is not None and other.deleted_at is None:
            raise GroupTaken(other.name)
        live.unlinked_at = now  # the other class was deleted: its link goes with it
        session.add(live)
    session.add(ClassGroup(class_id=class_id, chat_id=chat_id, title=title[:128], linked_by=telegram_id,
                           linked_at=now))
    return Linked(class_id, klass.name, already=False)


def unlink_group(*, session: Session, chat_id: int, telegram_id: int, now: datetime, group_admin: bool = False) -> str:
    """Unlink the group; an instructor of its class may, and so may the group's own admins (`group_admin`: a
    Telegram admin there, or an anonymous admin). NotInstructor for anyone else. Returns the class's name."""
    live = _live_link(session, chat_id)
    klass = session.get(Classroom, live.class_id) if live is not None else None
    if live is None or klass is None:
        raise GroupNotLinked()
    if not group_admin and telegram_id not in classes.instructor_ids_of(session=session, class_id=live.class_id):
        raise NotInstructor(telegram_id, live.class_id)
    live.unlinked_at = now
    session.add(live)
    _drop_instructors_schedules(session, chat_id, classes.instructor_ids_of(session=session, class_id=live.class_id))
    return klass.name


def _drop_instructors_schedules(session: Session, chat_id: int, instructors: Collection[int]) -> None:
    """The weekly games the class's instructors set up in the group came with the link: they go with it."""
    if instructors:
        for row in session.exec(select(GameSchedule).where(GameSchedule.chat_id == chat_id,
                                                           col(GameSchedule.created_by).in_(instructors))).all():
            session.delete(row)


def linked_class(*, session: Session, chat_id: int) -> LinkedClass | None:
    """The live class the group is linked to, or None."""
    live = _live_link(session, chat_id)
    if live is None:
        return None
    klass = session.get(Classroom, live.class_id)
    if klass is None or klass.deleted_at is not None:
        return None
    return LinkedClass(live.class_id, klass.name, klass.course_id, klass.timezone,
                       frozenset(classes.instructor_ids_of(session=session, class_id=live.class_id)))


def linked_group_titles(*, session: Session, class_ids: Collection[int]) -> dict[int, list[str]]:
    """The titles of the groups linked now to each class."""
    titles: dict[int, list[str]] = {}
    for class_id, title in session.exec(select(ClassGroup.class_id, ClassGroup.title).where(
            col(ClassGroup.class_id).in_(list(class_ids)), col(ClassGroup.unlinked_at).is_(None))
            .order_by(col(ClassGroup.id))):
        titles.setdefault(class_id, []).append(title)
    return titles


def linked_chats(*, session: Session, class_id: int) -> list[tuple[int, datetime, datetime | None]]:
    """Every (chat, linked at, unlinked at) of the class: the games played meanwhile are the class's."""
    return [(row.chat_id, row.linked_at, row.unlinked_at) for row in session.exec(
        select(ClassGroup).where(ClassGroup.class_id == class_id).order_by(col(ClassGroup.id))).all()]


def week_start(now: datetime, timezone: str) -> datetime:
    """Monday 00:00 of this week in the class's zone."""
    local = now.astimezone(ZoneInfo(timezone))
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, datetime.min.time(), tzinfo=local.tzinfo)


def lessons_seen(*, session: Session, class_id: int, since: datetime | None = None) -> list[str]:
    """The lessons the class was sent (calendar, pushes, scheduled lessons), oldest first, since `since`."""
    seen: dict[str, datetime] = {}

    def note(lesson_id: str | None, at: datetime | None) -> None:
        if lesson_id and at is not None and (since is None or at >= since):
            seen[lesson_id] = min(at, seen.get(lesson_id, at))

    for lesson_id, sent_at in session.exec(select(PlanEntry.lesson_id, PlanEntry.sent_at).where(
            PlanEntry.class_id == class_id, col(PlanEntry.sent_at).is_not(None))):
        note(lesson_id, sent_at)
    for post_lesson, due_at in session.exec(select(ScheduledPost.lesson_id, ScheduledPost.due_at).where(
            ScheduledPost.class_id == class_id, ScheduledPost.kind == "lesson", ScheduledPost.status == "sent")):
        note(post_lesson, due_at)
    members = classes.active_member_ids(session=session, class_id=class_id)
    if members:
        for lesson_id, sent_at in session.exec(select(LessonSent.lesson_id, LessonSent.sent_at).where(
                col(LessonSent.learner_id).in_(members))):
            note(lesson_id, sent_at)
    return sorted(seen, key=lambda lesson_id: seen[lesson_id])


def _questions(catalog: Catalog, course_id: str, lessons: Collection[str]) -> tuple[str, ...]:
    course = catalog.courses[course_id]
    return tuple(question.id for module, question in course.questions_with_modules()
                 if drawn_on_read_lessons(question, module, lessons))


def game_source(*, session: Session, catalog: Catalog, chat_id: int, now: datetime) -> GameSource | None:
    """What a game in this group asks, if the group is linked to a class (None otherwise)."""
    linked = linked_class(session=session, chat_id=chat_id)
    if linked is None or linked.course_id not in catalog.courses:
        return None
    since = week_start(now, linked.timezone)
    scopes: tuple[tuple[Scope, list[str]], ...] = (
        ("week", lessons_seen(session=session, class_id=linked.class_id, since=since)),
        ("seen", lessons_seen(session=session, class_id=linked.class_id)))
    for scope, lessons in scopes:
        questions = _questions(catalog, linked.course_id, lessons)
        if questions:
            return GameSource(linked.name, linked.course_id, scope, tuple(lessons), questions)
    return GameSource(linked.name, linked.course_id, "course", (), ())
