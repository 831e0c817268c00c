"""Instructors' classes: who may teach which class, join codes and invites, members.

Roles are checked per class: `require_class(...)` returns the class only to one of its
instructors and raises NotInstructor otherwise; `require_owner(...)` returns it only to its owner
(or to one of its instructors listed in INSTRUCTOR_IDS) and raises NotOwner to a co-instructor.
INSTRUCTOR_IDS (settings) are the only ones who may create classes; whoever accepts a one-time
invite becomes a co-instructor of that class, and only that class: they teach it (push, schedule,
announce, plan, stats) but do not own it (delete, join link, cap, expiry, invites, time zone).

Codes are 128-bit random (secrets.token_urlsafe(16)), so they cannot be guessed; a class has
one live join code at a time (`new_join_code` revokes the previous one; `set_member_cap` and
`set_code_expiry` change the live one, so links already shared keep working).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.content import Catalog
from bot.services import journey, outbox
from bot.services.class_errors import (
    BadClassRef,
    ClassChoiceNeeded,
    ClassNotFound,
    JoinRefused,
    LinkRefused,
    NotInstructor,
    NotOwner,
)
from bot.services.errors import UnknownCourse
from bot.services.learners import parse_timezone
from bot.storage import crud
from bot.storage.models import (
    Announcement,
    ClassInstructor,
    ClassInvite,
    ClassMember,
    Classroom,
    Learner,
    PlanEntry,
    ScheduledPost,
    stored_id,
)

__all__ = [
    "INVITE_DAYS", "ClassInfo", "Joined", "accept_invite", "all_instructors", "active_member_ids", "choose_class", "chosen_class_id", "class_info",
    "classes_of",
    "create_class", "delete_class", "instructor_ids_of", "is_instructor", "leave", "new_instructor_invite",
    "in_any_class", "join", "may_create_classes", "member_count", "new_code", "new_join_code", "require_class", "require_owner",
    "revoke_join_codes", "set_code_expiry", "set_member_cap",
]

INVITE_DAYS = 7
JOIN_PREFIX, INVITE_PREFIX = "j-", "i-"


@dataclass(frozen=True)
class ClassInfo:
    id: int
    name: str
    course_id: str
    timezone: str
    lesson_time: time
    members: int
    join_code: str | None
    code_expires_at: datetime | None
    member_cap: int | None


@dataclass(frozen=True)
class Joined:
    class_id: int
    class_name: str
    course_title: str
    already: bool


def new_code(token: Callable[[int], str] = secrets.token_urlsafe) -> str:
    """A fresh 22-character join or invite code (`token` draws the random text). Never one starting with a prefix
    the parser reserves (`j-`, `i-`): such a code, typed alone, would read as a prefix plus a code too short."""
    while True:
        code = token(16)
        if not code.startswith((JOIN_PREFIX, INVITE_PREFIX)):
            return code


def _code() -> str:
    return new_code()


def is_instructor(*, session: Session, telegram_id: int, first_instructors: Collection[int]) -> bool:
    """May this user create classes (and see instructor commands)?"""
    if telegram_id in first_instructors:
        return True
    return session.exec(select(ClassInstructor.id).where(ClassInstructor.telegram_id == telegram_id)
                        .limit(1)).first() is not None


def may_create_classes(*, telegram_id: int, first_instructors: Collection[int]) -> bool:
    """Only INSTRUCTOR_IDS create classes; a co-instructor teaches the class they were invited to, and only it."""
    return telegram_id in first_instructors


def all_instructors(*, session: Session, first_instructors: Collection[int]) -> list[tuple[int, str]]:
    """(telegram id, language) of every instructor the bot has talked to."""
    ids = set(first_instructors) | set(session.exec(select(ClassInstructor.telegram_id)).all())
    if not ids:
        return []
    return [(learner.telegram_id, learner.language)
            for learner in session.exec(select(Learner).where(col(Learner.telegram_id).in_(ids))).all()]


def create_class(*, session: Session, catalog: Catalog, name: str, creator: int, first_instructors: Collection[int],
                 now: datetime, course_id: str | None = None, timezone: str = "Europe/Paris",
                 lesson_time: time = time(9, 0)) -> ClassInfo:
    if not may_create_classes(telegram_id=creator, first_instructors=first_instructors):
        raise NotInstructor(creator)
    course_id = course_id or next(iter(catalog.courses), "")
    if course_id not in catalog.courses:
        raise UnknownCourse(course_id)
    timezone = parse_timezone(timezone)  # any case: europe/london -> Europe/London
    klass = crud.add(session=session, row=Classroom(name=name.strip()[:64], course_id=course_id, timezone=timezone,
                                                    lesson_time=lesson_time, created_by=creator, created_at=now))
    session.add(ClassInstructor(class_id=stored_id(klass), telegram_id=creator, role="owner", added_at=now,
                                chosen_at=now))  # a new class is the one its creator's commands act on
    session.add(ClassInvite(code=_code(), class_id=stored_id(klass), kind="join", created_at=now))
    session.flush()
    return class_info(session=session, class_id=stored_id(klass))


def class_info(*, session: Session, class_id: int) -> ClassInfo:
    klass = session.get(Classroom, class_id)
    if klass is None or klass.deleted_at is not None:
        raise ClassNotFound()
    invite = _live_join_code(session, class_id)
    return ClassInfo(
        id=class_id, name=klass.name, course_id=klass.course_id, timezone=klass.timezone,
        lesson_time=klass.lesson_time, members=len(active_member_ids(session=session, class_id=class_id)),
        join_code=invite.code if invite else None, code_expires_at=invite.expires_at if invite else None,
        member_cap=invite.max_uses if invite else None,
    )


def _live_join_code(session: Session, class_id: int) -> ClassInvite | None:
    return session.exec(select(ClassInvite).where(
        ClassInvite.class_id == class_id, ClassInvite.kind == "join", col(ClassInvite.revoked).is_(False))
        .order_by(col(ClassInvite.id).desc())).first()


def classes_of(*, session: Session, telegram_id: int) -> list[ClassInfo]:
    """The classes this user teaches, newest first."""
    ids = session.exec(
        select(Classroom.id).join(ClassInstructor, col(ClassInstructor.class_id) == col(Classroom.id))
        .where(ClassInstructor.telegram_id == telegram_id, col(Classroom.deleted_at).is_(None))
        .order_by(col(Classroom.id).desc())).all()
    return [class_info(session=session, class_id=class_id) for class_id in ids if class_id is not None]


def require_class(*, session: Session, telegram_id: int, ref: str | None = None) -> Classroom:
    """The class `ref` ("#12", or None for the user's newest class), if this user teaches it."""
    if ref:
        digits = ref.removeprefix("#")
        if not (digits.isascii() and digits.isdigit() and len(digits) <= 9):
            raise BadClassRef(ref)
        class_id = int(digits)
        klass = session.get(Classroom, class_id)
        teaches = telegram_id in instructor_ids_of(session=session, class_id=class_id)
        if not teaches:  # the same answer whether #N exists or not: class ids are not for strangers to probe
            raise NotInstructor(telegram_id, class_id)
        if klass is None or klass.deleted_at is not None:
            raise ClassNotFound()
        return klass
    found = session.get(Classroom, chosen_class_id(session=session, telegram_id=telegram_id))
    if found is None:  # pragma: no cover - read in the same transaction
        raise ClassNotFound()
    return found


def _live_teaching(session: Session, telegram_id: int) -> Sequence[tuple[ClassInstructor, Classroom]]:
    return session.exec(
        select(ClassInstructor, Classroom).join(Classroom, col(ClassInstructor.class_id) == col(Classroom.id))
        .where(ClassInstructor.telegram_id == telegram_id, col(Classroom.deleted_at).is_(None))
        .order_by(col(Classroom.id).desc())).all()


def chosen_class_id(*, session: Session, telegram_id: int) -> int:
    """The class this user's commands act on when they name none: their only class, or the one they chose last
    (`choose_class`; creating a class or accepting an invite chooses it). ClassChoiceNeeded with several classes
    and none chosen; NotInstructor with none."""
    rows = _live_teaching(session, telegram_id)
    if not rows:
        raise NotInstructor(telegram_id)
    if len(rows) == 1:
        return stored_id(rows[0][1])
    chosen = [(_aware(role.chosen_at), stored_id(klass)) for role, klass in rows if role.chosen_at is not None]
    if not chosen:
        raise ClassChoiceNeeded(telegram_id, tuple((stored_id(klass), klass.name) for _, klass in rows))
    return max(chosen)[1]


def choose_class(*, session: Session, telegram_id: int, class_id: int, now: datetime) -> Classroom:
    """From now on, this user's commands act on `class_id` (which they must teach)."""
    klass = require_class(session=session, telegram_id=telegram_id, ref=f"#{class_id}")
    role = session.exec(select(ClassInstructor).where(ClassInstructor.class_id == class_id,
                                                      ClassInstructor.telegram_id == telegram_id)).one()
    role.chosen_at = now
    session.add(role)
    return klass


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def require_owner(*, session: Session, telegram_id: int, first_instructors: Collection[int],
                  ref: str | None = None) -> Classroom:
    """The class `ref` (as require_class) if this user owns it: its creator, or one of its instructors listed in
    INSTRUCTOR_IDS; a co-instructor gets NotOwner."""
    klass = require_class(session=session, telegram_id=telegram_id, ref=ref)
    class_id = stored_id(klass)
    if telegram_id in first_instructors:
        return klass
    role = session.exec(select(ClassInstructor.role).where(
        ClassInstructor.class_id == class_id, ClassInstructor.telegram_id == telegram_id)).first()
    if role != "owner":
        raise NotOwner(telegram_id, class_id, klass.name)
    return klass


def instructor_ids_of(*, session: Session, class_id: int) -> set[int]:
    return set(session.exec(select(ClassInstructor.telegram_id).where(ClassInstructor.class_id == class_id)).all())


def active_member_ids(*, session: Session, class_id: int) -> list[int]:
    """Learner ids of the class's current members (none once the class is deleted)."""
    return [m for m in session.exec(select(ClassMember.learner_id)
                                    .join(Classroom, col(Classroom.id) == col(ClassMember.class_id))
                                    .where(ClassMember.class_id == class_id, col(ClassMember.left_at).is_(None),
                                           col(Classroom.deleted_at).is_(None))
                                    .order_by(col(ClassMember.id))).all()]


def revoke_join_codes(*, session: Session, class_id: int) -> int:
    codes = session.exec(select(ClassInvite).where(
        ClassInvite.class_id == class_id, ClassInvite.kind == "join", col(ClassInvite.revoked).is_(False))).all()
    for invite in codes:
        invite.revoked = True
        session.add(invite)
    return len(codes)


def new_join_code(*, session: Session, class_id: int, now: datetime, expires_at: datetime | None = None,
                  member_cap: int | None = None) -> str:
    """A fresh join code; the previous one stops working."""
    revoke_join_codes(session=session, class_id=class_id)
    invite = ClassInvite(code=_code(), class_id=class_id, kind="join", created_at=now, expires_at=expires_at,
                         max_uses=member_cap)
    session.add(invite)
    return invite.code


def _live_or_new_join_code(session: Session, class_id: int, now: datetime) -> ClassInvite:
    invite = _live_join_code(session, class_id)
    if invite is None:  # every code was revoked: the limit comes with a fresh one
        invite = ClassInvite(code=_code(), class_id=class_id, kind="join", created_at=now)
    return invite


def set_member_cap(*, session: Session, class_id: int, cap: int, now: datetime) -> None:
    """At most `cap` members through the live join code (the link already shared keeps working); a cap below the
    members the class already has is refused (LinkRefused "cap_below_members", value = the member count)."""
    members = len(active_member_ids(session=session, class_id=class_id))
    if cap < members:
        raise LinkRefused("cap_below_members", str(members))
    invite = _live_or_new_join_code(session, class_id, now)
    invite.max_uses = cap
    session.add(invite)


def set_code_expiry(*, session: Session, class_id: int, expires_at: datetime, now: datetime) -> None:
    """The live join code works until `expires_at` (the link already shared keeps working until then); a moment
    already past is refused (LinkRefused "expiry_past")."""
    if expires_at <= now:
        raise LinkRefused("expiry_past", expires_at.date().isoformat())
    invite = _live_or_new_join_code(session, class_id, now)
    invite.expires_at = expires_at
    session.add(invite)


def new_instructor_invite(*, session: Session, class_id: int, now: datetime) -> str:
    """A one-time link that makes whoever opens it a co-instructor of the class (valid INVITE_DAYS days)."""
    invite = ClassInvite(code=_code(), class_id=class_id, kind="instructor", created_at=now,
                         expires_at=now + timedelta(days=INVITE_DAYS), max_uses=1)
    session.add(invite)
    return invite.code


def _usable(session: Session, code: str, kind: str, now: datetime) -> ClassInvite:
    invite = session.exec(select(ClassInvite).where(ClassInvite.code == code)).first()
    if invite is None or invite.kind != kind:
        raise JoinRefused("unknown")
    klass = session.get(Classroom, invite.class_id)
    if klass is None:
        raise JoinRefused("unknown")
    if klass.deleted_at is not None:
        raise JoinRefused("deleted")
    if invite.revoked:
        raise JoinRefused("revoked")
    if invite.expires_at is not None and invite.expires_at <= now:
        raise JoinRefused("expired")
    return invite


def join(*, session: Session, catalog: Catalog, learner: Learner, code: str, now: datetime) -> Joined:
    """Join the class of a join code; the learner is enrolled in its course (earlier progress kept)."""
    invite = _usable(session, code.removeprefix(JOIN_PREFIX).strip(), "join", now)
    klass = session.get(Classroom, invite.class_id)
    assert klass is not None
    member = session.exec(select(ClassMember).where(
        ClassMember.class_id == invite.class_id, ClassMember.learner_id == stored_id(learner))).first()
    already = member is not None and member.left_at is None
    if not already:
        if invite.max_uses is not None and len(active_member_ids(session=session, class_id=invite.class_id)) \
                >= invite.max_uses:
            raise JoinRefused("full")
        if member is None:
            session.add(ClassMember(class_id=invite.class_id, learner_id=stored_id(learner), joined_at=now))
        else:
            member.left_at, member.joined_at = None, now
            session.add(member)
        invite.uses += 1
        session.add(invite)
    course = journey.enroll(session=session, catalog=catalog, learner=learner, course_id=klass.course_id, now=now)
    return Joined(class_id=invite.class_id, class_name=klass.name, course_title=course.title, already=already)


def accept_invite(*, session: Session, telegram_id: int, code: str, now: datetime) -> ClassInfo:
    """A co-instructor opens their one-time invite."""
    invite = _usable(session, code.removeprefix(INVITE_PREFIX).strip(), "instructor", now)
    if telegram_id not in instructor_ids_of(session=session, class_id=invite.class_id):
        if invite.max_uses is not None and invite.uses >= invite.max_uses:
            raise JoinRefused("used")
        session.add(ClassInstructor(class_id=invite.class_id, telegram_id=telegram_id, role="co", added_at=now,
                                    chosen_at=now))
        invite.uses += 1
        invite.revoked = True  # one time
        session.add(invite)
        session.flush()
    return class_info(session=session, class_id=invite.class_id)


def _live_memberships(session: Session, learner: Learner) -> Sequence[tuple[ClassMember, Classroom]]:
    return session.exec(select(ClassMember, Classroom).join(Classroom, col(Classroom.id) == col(ClassMember.class_id))
                        .where(ClassMember.learner_id == stored_id(learner), col(ClassMember.left_at).is_(None),
                               col(Classroom.deleted_at).is_(None))).all()


def member_of(*, session: Session, learner: Learner) -> list[str]:
    """The names of the (live) classes the learner is in, for /leave to confirm."""
    return [klass.name for _, klass in _live_memberships(session, learner)]


def leave(*, session: Session, learner: Learner, now: datetime) -> list[str]:
    """Leave every (live) class the learner is in; returns their names."""
    rows = _live_memberships(session, learner)
    for member, _ in rows:
        member.left_at = now
        session.add(member)
    return [klass.name for _, klass in rows]


def delete_class(*, session: Session, class_id: int, now: datetime,
                 notice: Callable[[str], str] | None = None) -> int:
    """Delete a class: its pending scheduled posts, unsent plan and what its announcements have not sent yet are
    cancelled; each member gets `notice(their language)` through the outbox, in the same transaction, and the
    members' class data goes (their memberships, past members' too: nobody's history in it is kept).
    Returns how many scheduled posts were cancelled."""
    klass = session.get(Classroom, class_id)
    if klass is None or klass.deleted_at is not None:
        raise ClassNotFound()
    if notice is not None:
        _tell_members(session, class_id, notice, now)
    for member in session.exec(select(ClassMember).where(ClassMember.class_id == class_id)).all():
        session.delete(member)
    klass.deleted_at = now
    session.add(klass)
    revoke_join_codes(session=session, class_id=class_id)
    posts = session.exec(select(ScheduledPost).where(
        ScheduledPost.class_id == class_id, ScheduledPost.status == "pending")).all()
    for post in posts:
        post.status = "cancelled"
        session.add(post)
    for entry in session.exec(select(PlanEntry).where(PlanEntry.class_id == class_id,
                                                      col(PlanEntry.sent_at).is_(None))).all():
        session.delete(entry)
    for announcement in session.exec(select(Announcement).where(Announcement.class_id == class_id)).all():
        if announcement.batch:
            outbox.cancel_batch(session=session, batch=announcement.batch)
        if announcement.status in ("draft", "scheduled"):
            announcement.status = "cancelled"
            session.add(announcement)
    return len(posts)


def _tell_members(session: Session, class_id: int, notice: Callable[[str], str], now: datetime) -> None:
    members = active_member_ids(session=session, class_id=class_id)
    rows = session.exec(select(Learner).where(col(Learner.id).in_(members))).all() if members else []
    outbox.enqueue(session=session, now=now, messages=[
        outbox.Outgoing(key=f"class-deleted:{class_id}:{stored_id(row)}", kind="text", chat_id=row.telegram_id,
                        payload={"text": notice(row.language)}, priority=outbox.PUSH) for row in rows])


def member_count(*, session: Session, class_id: int) -> int:
    return int(session.exec(select(func.count()).select_from(ClassMember)
                            .join(Classroom, col(Classroom.id) == col(ClassMember.class_id))
                            .where(ClassMember.class_id == class_id, col(ClassMember.left_at).is_(None),
                                   col(Classroom.deleted_at).is_(None))).one())


def in_any_class(*, session: Session, learner_id: int) -> bool:
    """Is the learner in a (live) class whose calendar still has lessons to send? That calendar then brings
    their daily bundle; a class with no calendar, or a finished one, leaves them their own daily lesson."""
    return session.exec(
        select(ClassMember.id)
        .join(Classroom, col(Classroom.id) == col(ClassMember.class_id))
        .join(PlanEntry, col(PlanEntry.class_id) == col(ClassMember.class_id))
        .where(ClassMember.learner_id == learner_id, col(ClassMember.left_at).is_(None),
               col(Classroom.deleted_at).is_(None), col(PlanEntry.sent_at).is_(None))
        .limit(1)).first() is not None
