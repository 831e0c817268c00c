"""A class's calendar: which lesson goes out on which date, pushes, and scheduled posts.

Each plan entry stores its due instant: the class's lesson time on that date in the class's
zone (so 09:00 stays 09:00 across a DST change), in UTC, indexed. `deliver_due` reads only the
entries and posts whose instant has passed (O(due)), and turns each into outbox rows, one per
member. A member gets each lesson once (LessonSent), and one calendar bundle per local date
(the same outbox key as the personal daily bundle, which class members do not get).

Days are never planned in the past (PastDay: they would go out at once), and a sweep sends one
calendar day per class: after an outage the late days follow one a day, none is marked sent unsent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.content import Catalog, Course, Lesson, Question
from bot.services import announcements, classes, outbox
from bot.services.class_dates import earliest_start, read_when, starts_with_weekday
from bot.services.class_errors import InvalidWhen, NothingToPush, PastDay, UnknownLesson
from bot.services.delivery import BUNDLE_KIND, bundle_key
from bot.storage import crud
from bot.storage.models import (
    Classroom,
    Learner,
    LessonSent,
    PlanEntry,
    QuizAnswer,
    ScheduledPost,
    stored_id,
)

__all__ = [
    "EntrySet", "FiredAnnouncement", "PlanLine", "Pushed", "deliver_due", "due_instant", "pending_posts", "drop_entry", "generate_plan", "parse_date", "parse_when", "push_lesson",
    "schedule_post", "set_entry", "upcoming",
]

_CALENDAR_KEY = bundle_key(0, date(2000, 1, 1)).replace(":0:", ":{learner_id}:").replace("2000-01-01", "{local_date}")
"""The personal daily bundle's key: a member gets one bundle per local date, from whichever path is first."""


@dataclass(frozen=True)
class PlanLine:
    on_date: date
    lesson_id: str
    title: str
    due_at: datetime
    sent: bool


@dataclass(frozen=True)
class Pushed:
    lesson_id: str
    title: str
    queued: int  # members who get it now
    already: int  # members who had it already
    members: int


def _zone(klass: Classroom) -> ZoneInfo:
    return ZoneInfo(klass.timezone)


def due_instant(klass: Classroom, on_date: date) -> datetime:
    """The class's lesson time on `on_date`, in the class's zone, as UTC."""
    return datetime.combine(on_date, klass.lesson_time, tzinfo=_zone(klass)).astimezone(ZoneInfo("UTC"))


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidWhen(value, "unreadable") from None


def parse_when(value: str, *, zone: str, now: datetime) -> datetime:
    """"2026-03-04 14:30", "demain 9h", "vendredi 18h", "08/12 9:00", "tomorrow 6pm", "14h30" (today), in the
    class's zone -> UTC; refuses the past.

    Days and times are read by bot/services/class_dates.py, as for /class plan and /class new."""
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    day, at = read_when(value.strip(), today=today)
    moment = datetime.combine(day or today, at, tzinfo=tz).astimezone(ZoneInfo("UTC"))
    if moment <= now and day == today and starts_with_weekday(value):  # "lundi 9h" on a Monday at 10: next week
        moment = datetime.combine(today + timedelta(days=7), at, tzinfo=tz).astimezone(ZoneInfo("UTC"))
    if moment <= now:
        raise InvalidWhen(value, "past")
    return moment


def _refuse_past(klass: Classroom, day: date, now: datetime, *, weekdays_only: bool = False) -> None:
    """A calendar day whose class time has passed would go out at once (or be lost): refused."""
    if due_instant(klass, day) <= now:
        raise PastDay(day, earliest_start(zone=klass.timezone, at=klass.lesson_time, now=now,
                                          weekdays_only=weekdays_only), klass.lesson_time)


def _course(catalog: Catalog, klass: Classroom) -> Course:
    return catalog.courses[klass.course_id]


def _lesson(course: Course, lesson_id: str) -> Lesson:
    lesson = course.lessons.get(lesson_id)
    if lesson is None:
        raise UnknownLesson(lesson_id)
    return lesson


def generate_plan(*, session: Session, catalog: Catalog, klass: Classroom, start: date, now: datetime,
                  at: time | None = None, skip: set[date] | None = None, weekdays_only: bool = True) -> list[PlanLine]:
    """One lesson per (week)day from `start` at `at` (class time), skipping `skip`; replaces the unsent plan.

    A start whose class time has passed is refused (PastDay), before anything changes."""
    if at is not None:
        klass.lesson_time = at
    _refuse_past(klass, start, now, weekdays_only=weekdays_only)
    session.add(klass)
    class_id = stored_id(klass)
    for entry in session.exec(select(PlanEntry).where(PlanEntry.class_id == class_id,
                                                      col(PlanEntry.sent_at).is_(None))).all():
        session.delete(entry)
    session.flush()
    sent = set(session.exec(select(PlanEntry.lesson_id).where(PlanEntry.class_id == class_id)).all())
    taken = {entry.on_date for entry in session.exec(select(PlanEntry).where(PlanEntry.class_id == class_id)).all()}
    lessons = [lesson for lesson in _course(catalog, klass).lessons_in_order() if lesson.id not in sent]
    day, skip = start, skip or set()
    for lesson in lessons:
        while (weekdays_only and day.weekday() >= 5) or day in skip or day in taken:
            day += timedelta(days=1)
        session.add(PlanEntry(class_id=class_id, on_date=day, lesson_id=lesson.id, due_at=due_instant(klass, day)))
        day += timedelta(days=1)
    session.flush()
    return upcoming(session=session, catalog=catalog, klass=klass, limit=len(lessons) + len(sent))


@dataclass(frozen=True)
class EntrySet:
    moved_from: date | None  # the lesson was planned on another day: it moved here
    replaced: str | None  # the lesson that was planned on this day (now no longer planned)
    sent_on: date | None = None  # the calendar already sent it that day: members who had it do not get it again


def set_entry(*, session: Session, catalog: Catalog, klass: Classroom, on_date: date, lesson_id: str,
              now: datetime) -> EntrySet:
    """Put `lesson_id` on `on_date`, replacing that day's lesson; a lesson planned on another day moves here.

    A day whose class time has passed is refused (PastDay)."""
    _lesson(_course(catalog, klass), lesson_id)
    _refuse_past(klass, on_date, now)
    class_id = stored_id(klass)
    elsewhere = session.exec(select(PlanEntry).where(
        PlanEntry.class_id == class_id, PlanEntry.lesson_id == lesson_id, PlanEntry.on_date != on_date,
        col(PlanEntry.sent_at).is_(None))).first()
    moved_from = None
    if elsewhere is not None:
        moved_from = elsewhere.on_date
        session.delete(elsewhere)
        session.flush()
    entry = session.exec(select(PlanEntry).where(PlanEntry.class_id == class_id,
                                                 PlanEntry.on_date == on_date)).first()
    replaced = entry.lesson_id if entry is not None and entry.lesson_id != lesson_id else None
    if entry is None:
        entry = PlanEntry(class_id=class_id, on_date=on_date, lesson_id=lesson_id,
                          due_at=due_instant(klass, on_date))
    entry.lesson_id, entry.sent_at, entry.due_at = lesson_id, None, due_instant(klass, on_date)
    session.add(entry)
    sent = session.exec(select(PlanEntry).where(
        PlanEntry.class_id == class_id, PlanEntry.lesson_id == lesson_id,
        col(PlanEntry.sent_at).is_not(None))).first()
    return EntrySet(moved_from, replaced, sent.on_date if sent is not None else None)


def drop_entry(*, session: Session, klass: Classroom, on_date: date) -> str | None:
    """Take `on_date`'s lesson off the calendar; returns its id (None: nothing was planned that day)."""
    entry = session.exec(select(PlanEntry).where(PlanEntry.class_id == stored_id(klass),
                                                 PlanEntry.on_date == on_date)).first()
    if entry is None:
        return None
    session.delete(entry)
    return entry.lesson_id


def upcoming(*, session: Session, catalog: Catalog, klass: Classroom, limit: int = 10,
             include_sent: bool = True) -> list[PlanLine]:
    course = _course(catalog, klass)
    query = select(PlanEntry).where(PlanEntry.class_id == stored_id(klass))
    if not include_sent:
        query = query.where(col(PlanEntry.sent_at).is_(None))
    entries = session.exec(query.order_by(col(PlanEntry.on_date)).limit(limit)).all()
    return [PlanLine(e.on_date, e.lesson_id, course.lessons[e.lesson_id].title if e.lesson_id in course.lessons
                     else e.lesson_id, e.due_at, e.sent_at is not None) for e in entries]


def _question_for(session: Session, course: Course, lesson: Lesson, learner: Learner) -> Question | None:
    """The first question of the lesson's module the learner has not answered correctly yet."""
    module = course.module_of(lesson.id)
    if module is None:
        return None
    right = set(session.exec(select(QuizAnswer.question_id).where(
        QuizAnswer.learner_id == stored_id(learner), QuizAnswer.course_id == course.id,
        col(QuizAnswer.correct).is_(True))).all())
    return next((q for q in course.module_questions(module.id) if q.id not in right), None)


def _send_lesson(session: Session, catalog: Catalog, klass: Classroom, lesson: Lesson, now: datetime, *,
                 key: str, priority: int, greeting: str = "class_hello") -> tuple[int, int, int]:
    """Queue `lesson` for each member who has not had it; returns (queued, already, members).

    `key` is formatted with learner_id and local_date (the class's date today).
    """
    course = _course(catalog, klass)
    local_date = now.astimezone(_zone(klass)).date()
    members = classes.active_member_ids(session=session, class_id=stored_id(klass))
    queued = already = 0
    for learner_id in members:
        learner = crud.get_learner_by_id(session=session, learner_id=learner_id)
        if learner is None:
            continue
        if session.exec(select(LessonSent.id).where(
                LessonSent.learner_id == learner_id, LessonSent.course_id == course.id,
                LessonSent.lesson_id == lesson.id)).first() is not None:
            already += 1
            continue
        question = _question_for(session, course, lesson, learner)
        payload = {"learner_id": learner_id, "lang": learner.language, "first_name": learner.first_name,
                   "course": course.id, "lesson": lesson.id, "question": question.id if question else None,
                   "greeting": greeting, "class_name": klass.name}
        if outbox.enqueue(session=session, now=now, messages=[outbox.Outgoing(
                key=key.format(learner_id=learner_id, local_date=local_date.isoformat()), kind=BUNDLE_KIND,
                chat_id=learner.telegram_id, payload=payload, priority=priority)]):
            crud.insert_once(session=session, row=LessonSent(learner_id=learner_id, course_id=course.id,
                                                             lesson_id=lesson.id, sent_at=now))
            queued += 1
        else:
            already += 1
    return queued, already, len(members)


def lessons_sent(*, session: Session, klass: Classroom) -> dict[str, date]:
    """The lessons the class was sent (calendar days, pushes, scheduled lessons) and the class's local date each was
    first sent on."""
    zone = _zone(klass)
    sent: dict[str, date] = {}
    rows = [*session.exec(select(PlanEntry.lesson_id, PlanEntry.sent_at).where(
        PlanEntry.class_id == stored_id(klass), col(PlanEntry.sent_at).is_not(None))),
        *session.exec(select(ScheduledPost.lesson_id, ScheduledPost.due_at).where(
            ScheduledPost.class_id == stored_id(klass), ScheduledPost.kind == "lesson",
            ScheduledPost.status == "sent"))]
    for lesson_id, at in rows:
        if lesson_id and at is not None:
            day = at.astimezone(zone).date()
            sent[lesson_id] = min(day, sent.get(lesson_id, day))
    return sent


def next_unsent_lessons(*, session: Session, catalog: Catalog, klass: Classroom, limit: int = 3) -> list[Lesson]:
    """The first `limit` lessons of the course, in order, that the class has not been sent."""
    sent = lessons_sent(session=session, klass=klass)
    return [lesson for lesson in _course(catalog, klass).lessons_in_order() if lesson.id not in sent][:limit]


def push_lesson(*, session: Session, catalog: Catalog, klass: Classroom, now: datetime,
                lesson_id: str | None = None, by: int = 0) -> Pushed:
    """Send the plan's next lesson (or `lesson_id`) to the class now; its plan entry counts as sent, or, outside the
    calendar, the push is kept as a sent lesson post (the class's statistics count it). With no lesson named and
    none left on the calendar: NothingToPush, with the next lessons the class has not had."""
    course = _course(catalog, klass)
    entry_query = select(PlanEntry).where(PlanEntry.class_id == stored_id(klass), col(PlanEntry.sent_at).is_(None))
    if lesson_id is None:
        # two instructors pushing at once take two different lessons: on PostgreSQL the first holds its row and
        # the second takes the next one (SQLite has one writer at a time anyway)
        entry = session.exec(entry_query.order_by(col(PlanEntry.on_date))
                             .with_for_update(skip_locked=True)).first()
        if entry is None:
            had_plan = session.exec(select(PlanEntry.id).where(PlanEntry.class_id == stored_id(klass))
                                    .limit(1)).first() is not None
            raise NothingToPush(klass.name, had_plan=had_plan, next_lessons=tuple(
                (lesson.id, lesson.title) for lesson in next_unsent_lessons(session=session, catalog=catalog,
                                                                            klass=klass)))
        lesson_id = entry.lesson_id
    else:
        entry = session.exec(entry_query.where(PlanEntry.lesson_id == lesson_id).with_for_update()).first()
    lesson = _lesson(course, lesson_id)
    if entry is not None:
        entry.sent_at = now
        session.add(entry)
    else:
        session.add(ScheduledPost(class_id=stored_id(klass), kind="lesson", lesson_id=lesson.id, due_at=now,
                                  status="sent", created_by=by, created_at=now))
    queued, already, members = _send_lesson(session, catalog, klass, lesson, now, priority=outbox.PUSH,
                                            greeting="class_push_hello",
                                            key=f"push:{stored_id(klass)}:{lesson.id}:{{learner_id}}")
    return Pushed(lesson.id, lesson.title, queued, already, members)


def schedule_post(*, session: Session, catalog: Catalog, klass: Classroom, due_at: datetime, by: int, now: datetime,
                  lesson_id: str | None = None, announcement_id: int | None = None) -> int:
    """Plan a lesson or an announcement for `due_at`; returns the post's id."""
    if lesson_id is not None:
        _lesson(_course(catalog, klass), lesson_id)
    post = ScheduledPost(class_id=stored_id(klass), kind="lesson" if lesson_id else "announcement",
                         lesson_id=lesson_id, announcement_id=announcement_id, due_at=due_at, created_by=by,
                         created_at=now)
    return stored_id(crud.add(session=session, row=post))


@dataclass(frozen=True)
class FiredAnnouncement:
    """A scheduled announcement just queued: its author gets a live status, as for one sent at once."""

    announcement_id: int
    class_name: str
    batch: str
    author: int  # telegram id
    author_lang: str


def deliver_due(*, session: Session, catalog: Catalog, now: datetime,
                fired: list[FiredAnnouncement] | None = None, header: announcements.Header | None = None) -> int:
    """Queue every plan entry and scheduled post whose instant has passed; returns the rows queued.

    A class gets one calendar lesson per sweep (its members get one calendar bundle a day): when several days
    are due at once (after an outage), the oldest goes now and each other one waits for the next class time,
    still unsent and shown late in the plan. Nothing is marked sent that was not queued.

    The scheduled announcements queued are added to `fired` (when given); `header` opens each one (see
    announcements.queue)."""
    queued = 0
    entries = session.exec(select(PlanEntry, Classroom).join(Classroom, col(Classroom.id) == col(PlanEntry.class_id))
                           .where(col(PlanEntry.sent_at).is_(None), col(PlanEntry.due_at) <= now,
                                  col(Classroom.deleted_at).is_(None))
                           .order_by(col(PlanEntry.on_date), col(PlanEntry.due_at)).limit(500)).all()
    sent_to: set[int] = set()
    for entry, klass in entries:
        if stored_id(klass) in sent_to:  # one calendar lesson per class and sweep: the others wait a day
            entry.due_at = due_instant(klass, now.astimezone(_zone(klass)).date() + timedelta(days=1))
            session.add(entry)
            continue
        sent_to.add(stored_id(klass))
        entry.sent_at = now
        session.add(entry)
        lesson = _course(catalog, klass).lessons.get(entry.lesson_id)
        if lesson is None:
            continue
        queued += _send_lesson(session, catalog, klass, lesson, now, priority=outbox.BUNDLE,
                               key=_CALENDAR_KEY)[0]
    posts = session.exec(select(ScheduledPost, Classroom).join(Classroom, col(Classroom.id) == col(ScheduledPost.class_id))
                         .where(ScheduledPost.status == "pending", col(ScheduledPost.due_at) <= now,
                                col(Classroom.deleted_at).is_(None)).limit(100)).all()
    for post, klass in posts:
        post.status = "sent"
        session.add(post)
        if post.kind == "lesson" and post.lesson_id:
            lesson = _course(catalog, klass).lessons.get(post.lesson_id)
            if lesson is not None:
                queued += _send_lesson(session, catalog, klass, lesson, now, priority=outbox.PUSH,
                                       key=f"post:{stored_id(post)}:{{learner_id}}", greeting="class_push_hello")[0]
        elif post.announcement_id is not None:
            done = announcements.queue(session=session, announcement_id=post.announcement_id, now=now,
                                       header=header)
            queued += done.queued
            if fired is not None and done.members:
                author = crud.get_learner(session=session, telegram_id=post.created_by)
                fired.append(FiredAnnouncement(post.announcement_id, klass.name, done.batch, post.created_by,
                                               author.language if author is not None else "fr"))
    return queued


def pending_posts(*, session: Session, class_id: int) -> int:
    return len(session.exec(select(ScheduledPost.id).where(ScheduledPost.class_id == class_id,
                                                           ScheduledPost.status == "pending")).all())

