"""An instructor who stops teaching a class (`/leave`).

A co-instructor may leave a class's teaching: after they confirm, `stop_teaching` removes their role, and every
instructor command refuses them for that class from then on. The owner (who created the class) cannot leave it:
the class would have nobody to delete it, change its link or invite; `stop_teaching` raises OwnerCannotLeave, and
the owner deletes the class instead (`/class delete`). Handing a class over is not possible yet.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot.services import classes, outbox
from bot.services.class_errors import ClassNotFound, NotInstructor, OwnerCannotLeave
from bot.services.shown_names import shown_name
from bot.storage.models import ClassInstructor, Classroom, Learner

__all__ = ["Teaching", "name_for_instructor", "stop_teaching", "teaching"]


@dataclass(frozen=True)
class Teaching:
    class_id: int
    name: str
    owner: bool


def teaching(*, session: Session, telegram_id: int) -> list[Teaching]:
    """The live classes this user teaches, oldest first, and whether they own each."""
    rows = session.exec(select(ClassInstructor.role, Classroom.id, Classroom.name)
                        .join(Classroom, col(Classroom.id) == col(ClassInstructor.class_id))
                        .where(ClassInstructor.telegram_id == telegram_id, col(Classroom.deleted_at).is_(None))
                        .order_by(col(Classroom.id))).all()
    return [Teaching(class_id, name, role == "owner") for role, class_id, name in rows if class_id is not None]


def name_for_instructor(*, session: Session, class_id: int, telegram_id: int) -> str:
    """The name of a live class this user teaches; ClassNotFound for any other id (existing or not, the same)."""
    klass = session.get(Classroom, class_id)
    if klass is None or klass.deleted_at is not None or telegram_id not in classes.instructor_ids_of(
            session=session, class_id=class_id):
        raise ClassNotFound()
    return klass.name


Notice = Callable[[str, str, str, int], str]
"""(owner's language, co-instructor's name, class name, class id) -> the owner's notice."""


def stop_teaching(*, session: Session, telegram_id: int, class_id: int, first_instructors: Collection[int],
                  now: datetime | None = None, notice: Notice | None = None) -> bool:
    """Remove a co-instructor's role in the class (OwnerCannotLeave for its owner, NotInstructor if they do not
    teach it); each owner of the class gets `notice(...)` through the outbox, in the same transaction. Returns
    whether they are still an instructor at all (another class, or INSTRUCTOR_IDS)."""
    klass = session.get(Classroom, class_id)
    if klass is None or klass.deleted_at is not None:
        raise ClassNotFound()
    role = session.exec(select(ClassInstructor).where(ClassInstructor.class_id == class_id,
                                                      ClassInstructor.telegram_id == telegram_id)).first()
    if role is None:
        raise NotInstructor(telegram_id, class_id)
    if role.role == "owner":
        raise OwnerCannotLeave(telegram_id, class_id, klass.name)
    session.delete(role)
    session.flush()
    if notice is not None and now is not None:
        _tell_owners(session, klass, telegram_id, notice, now)
    return classes.is_instructor(session=session, telegram_id=telegram_id, first_instructors=first_instructors)


def _tell_owners(session: Session, klass: Classroom, telegram_id: int, notice: Notice, now: datetime) -> None:
    class_id = klass.id or 0
    who = shown_name(session.exec(select(Learner.first_name).where(Learner.telegram_id == telegram_id)).first(),
                     fallback=str(telegram_id))
    owners = session.exec(select(ClassInstructor.telegram_id).where(ClassInstructor.class_id == class_id,
                                                                    ClassInstructor.role == "owner")).all()
    languages = {row.telegram_id: row.language for row in session.exec(
        select(Learner).where(col(Learner.telegram_id).in_(owners)))} if owners else {}
    outbox.enqueue(session=session, now=now, messages=[
        outbox.Outgoing(key=f"co-left:{class_id}:{telegram_id}:{now.isoformat()}:{owner}", kind="text", chat_id=owner,
                        payload={"text": notice(languages.get(owner, "fr"), who, klass.name, class_id)},
                        priority=outbox.PUSH) for owner in owners])
