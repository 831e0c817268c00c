"""An instructor's class as the Mini App shows it: who may open it, its calendar, its learners and its charts.

The actions (move, skip, push, announce) call the very service functions the chat commands call
(class_calendar.set_entry / drop_entry / push_lesson / schedule_post, announcements.prepare / create_draft / queue),
so a tap in the page and a command in the chat do the same thing.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.content import Catalog
from bot.services import announcements, class_calendar, class_stats, classes
from bot.services.class_errors import ClassNotFound, InvalidWhen, NotInstructor
from bot.services.shown_names import shown_name
from bot.storage import crud
from bot.storage.models import Announcement, Classroom, Learner, ScheduledPost, stored_id

__all__ = ["LearnerLine", "Moved", "PendingPost", "TodayView", "announce", "author_name", "caller_language", "cancel_post",
           "chart_data", "learner_lines", "move_lesson", "taught_class", "today_view"]


def caller_language(*, session: Session, telegram_id: int) -> str | None:
    """The language the caller chose in the bot (None: the bot never met them)."""
    learner = crud.get_learner(session=session, telegram_id=telegram_id)
    return learner.language if learner is not None else None


def taught_class(*, session: Session, telegram_id: int, class_id: int, first_instructors: Collection[int]) -> Classroom:
    """The class `class_id` if the caller teaches it. NotInstructor: the caller teaches no class at all;
    ClassNotFound: not one of theirs (the same answer whether it exists or not: ids are not to be probed)."""
    if not classes.is_instructor(session=session, telegram_id=telegram_id, first_instructors=first_instructors):
        raise NotInstructor(telegram_id, class_id)
    try:
        return classes.require_class(session=session, telegram_id=telegram_id, ref=f"#{class_id}")
    except NotInstructor:
        raise ClassNotFound() from None


# --- Today ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PendingPost:
    id: int
    kind: str  # lesson | announcement
    due_at: datetime
    lesson_id: str | None
    title: str  # the lesson's title, or the announcement's first words


@dataclass(frozen=True)
class TodayView:
    class_id: int
    name: str
    timezone: str
    lesson_time: time
    today: date
    members: int
    calendar: list[class_calendar.PlanLine]
    posts: list[PendingPost]
    next_unsent: list[tuple[str, str]]  # (lesson id, title): what a push sends when the calendar is empty


_PREVIEW_WORDS = 60


def today_view(*, session: Session, catalog: Catalog, klass: Classroom, now: datetime) -> TodayView:
    class_id = stored_id(klass)
    course = catalog.courses[klass.course_id]
    lines = class_calendar.upcoming(session=session, catalog=catalog, klass=klass, limit=len(course.lessons) + 50)
    posts = []
    for post, parts in session.exec(
            select(ScheduledPost, Announcement.parts)
            .join(Announcement, col(Announcement.id) == col(ScheduledPost.announcement_id), isouter=True)
            .where(ScheduledPost.class_id == class_id, ScheduledPost.status == "pending")
            .order_by(col(ScheduledPost.due_at))).all():
        if post.kind == "lesson" and post.lesson_id:
            lesson = course.lessons.get(post.lesson_id)
            title = lesson.title if lesson is not None else post.lesson_id
        else:
            title = _first_words(parts)
        posts.append(PendingPost(stored_id(post), post.kind, post.due_at, post.lesson_id, title))
    unsent = class_calendar.next_unsent_lessons(session=session, catalog=catalog, klass=klass)
    return TodayView(class_id=class_id, name=klass.name, timezone=klass.timezone, lesson_time=klass.lesson_time,
                     today=now.astimezone(ZoneInfo(klass.timezone)).date(),
                     members=classes.member_count(session=session, class_id=class_id), calendar=lines, posts=posts,
                     next_unsent=[(lesson.id, lesson.title) for lesson in unsent])


def _first_words(parts: str | None) -> str:
    text = " ".join(json.loads(parts)) if parts else ""
    plain = html.unescape(re.sub(r"<[^>]+>", " ", text))
    plain = " ".join(plain.split())
    return plain if len(plain) <= _PREVIEW_WORDS else plain[:_PREVIEW_WORDS - 1] + "…"


@dataclass(frozen=True)
class Moved:
    entry: class_calendar.EntrySet | None  # moved on the calendar (at the class's time)
    post_id: int | None  # or planned at its own time, as /schedule <when> lesson <id> does
    due_at: datetime


def move_lesson(*, session: Session, catalog: Catalog, klass: Classroom, lesson_id: str, on_date: date,
                at: time | None, now: datetime, by: int) -> Moved:
    """Move `lesson_id` to `on_date`: at the class's time, as `/class plan set DAY LESSON`; at another time `at`,
    the calendar's entry goes (`/class plan drop`) and a lesson post is planned then (`/schedule <when> lesson`)."""
    if at is None or at == klass.lesson_time:
        entry = class_calendar.set_entry(session=session, catalog=catalog, klass=klass, on_date=on_date,
                                         lesson_id=lesson_id, now=now)
        return Moved(entry, None, class_calendar.due_instant(klass, on_date))
    due = datetime.combine(on_date, at, tzinfo=ZoneInfo(klass.timezone)).astimezone(ZoneInfo("UTC"))
    if due <= now:
        raise InvalidWhen(f"{on_date.isoformat()} {at.strftime('%H:%M')}", "past")
    post_id = class_calendar.schedule_post(session=session, catalog=catalog, klass=klass, due_at=due, by=by, now=now,
                                           lesson_id=lesson_id)
    for line in class_calendar.upcoming(session=session, catalog=catalog, klass=klass, limit=10_000,
                                        include_sent=False):
        if line.lesson_id == lesson_id:
            class_calendar.drop_entry(session=session, klass=klass, on_date=line.on_date)
    return Moved(None, post_id, due)


def cancel_post(*, session: Session, klass: Classroom, post_id: int) -> bool:
    """Cancel a post of this class still waiting for its time (False: none such)."""
    post = session.get(ScheduledPost, post_id)
    if post is None or post.class_id != stored_id(klass) or post.status != "pending":
        return False
    post.status = "cancelled"
    session.add(post)
    if post.announcement_id is not None:
        announcements.cancel(session=session, announcement_id=post.announcement_id)
    return True


# --- Announce ---------------------------------------------------------------------------------------------------

def author_name(*, session: Session, telegram_id: int) -> str:
    """The name members see as the announcement's author ("" if the bot never met them)."""
    return shown_name(session.exec(select(Learner.first_name).where(Learner.telegram_id == telegram_id)).first(),
                      fallback="")


def announce(*, session: Session, klass: Classroom, author: int, text: str, now: datetime, catalog: Catalog,
             due_at: datetime | None = None, header: announcements.Header | None = None
             ) -> tuple[announcements.Draft, announcements.Queued | None]:
    """Check `text` as /announce does, store the draft, then queue it now (`header` opens it, in each member's
    language) or plan it for `due_at` as /schedule does. ContentProblems when the Markdown has errors."""
    parts = announcements.prepare(text)
    draft = announcements.create_draft(session=session, klass=klass, author=author, parts=parts, now=now)
    if due_at is not None:
        if due_at <= now:
            raise InvalidWhen(due_at.isoformat(), "past")
        class_calendar.schedule_post(session=session, catalog=catalog, klass=klass, due_at=due_at, by=author,
                                     now=now, announcement_id=draft.id)
        return draft, None
    return draft, announcements.queue(session=session, announcement_id=draft.id, now=now, header=header)


# --- Learners and charts ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LearnerLine:
    member: int  # join order: tells namesakes apart (no Telegram id leaves the server)
    name: str
    lessons_done: int
    lessons_total: int
    behind_by: int  # lessons the calendar sent that they have not done
    first_try_accuracy: float | None
    questions_answered: int
    exercises_done: int
    streak: int
    last_activity: datetime | None


def learner_lines(*, session: Session, stats: class_stats.ClassStats, lessons_total: int) -> list[LearnerLine]:
    """One line per member, the furthest behind first (then the longest silent). Last activity counts any use of
    the bot, not only lessons, quizzes and exercises."""
    seen = dict(session.exec(select(Learner.id, Learner.last_seen_at).where(
        col(Learner.id).in_([row.learner_id for row in stats.rows]))).all())
    lines = []
    for row in stats.rows:
        moments = [moment for moment in (row.last_activity, seen.get(row.learner_id)) if moment is not None]
        lines.append(LearnerLine(
            member=row.member, name=row.name, lessons_done=row.lessons_done, lessons_total=lessons_total,
            behind_by=max(0, stats.planned_so_far - row.lessons_done), first_try_accuracy=row.first_try_accuracy,
            questions_answered=row.questions_answered, exercises_done=row.exercises_done, streak=row.streak,
            last_activity=max(moments) if moments else None))
    never = datetime.min.replace(tzinfo=ZoneInfo("UTC"))
    lines.sort(key=lambda line: (-line.behind_by, line.lessons_done, _aware(line.last_activity) or never, line.name))
    return lines


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite gives naive UTC datetimes back: compare them as UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment


def chart_data(stats: class_stats.ClassStats) -> dict[str, object]:
    """What /class stats draws, as series the page draws: lessons sent by the calendar and done on average per
    day, how many learners have done how many lessons, and the hardest questions."""
    spread = Counter(row.lessons_done for row in stats.rows)
    return {
        "planned_by_day": [[day.isoformat(), count] for day, count in stats.planned_by_day],
        "done_by_day": [[day.isoformat(), round(average, 2)] for day, average in stats.done_by_day],
        "lessons_done_spread": [[done, spread[done]] for done in sorted(spread)],
        "hardest": [{"question": q.question, "answered": q.answered, "percent_correct": round(q.percent_correct, 1),
                     "top_wrong": q.top_wrong} for q in stats.hardest],
        "planned_so_far": stats.planned_so_far,
        "members": len(stats.rows),
    }
