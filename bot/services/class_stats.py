"""Class statistics for its instructors: per learner, who is behind the calendar, the hardest questions,
the class's progress along its calendar, and the whole table as CSV (UTF-8 with BOM, for spreadsheets).

Everything is read with a few bulk queries (not one per learner), so a class of 300 with 100
days of history is fast; the chart is drawn with matplotlib's Agg backend (no display).
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from bot.content import Catalog, Course
from bot.services import class_calendar, class_groups, classes
from bot.services.game_totals import NO_GAMES, GameTotals, totals_in_chats
from bot.services.progress import streak_days
from bot.services.shown_names import shown_name
from bot.storage.models import (
    Classroom,
    ExerciseCompletion,
    Learner,
    LessonCompletion,
    QuizAnswer,
    stored_id,
)

__all__ = ["ChartLabels", "ClassStats", "HardQuestion", "LearnerStats", "class_stats", "csv_safe", "has_chart",
           "render_chart", "render_csv"]

HARDEST = 5


@dataclass(frozen=True)
class _Answer:
    """A learner's first answer to a question."""

    question_id: str
    choice: int
    correct: bool


@dataclass(frozen=True)
class LearnerStats:
    learner_id: int
    telegram_id: int  # to find their group games; never exported (the CSV numbers members instead)
    name: str
    lessons_done: int
    first_try_accuracy: float | None  # None: no question answered yet
    questions_answered: int
    exercises_done: int
    streak: int
    last_activity: datetime | None
    behind: bool  # fewer lessons done than the calendar has sent
    games: GameTotals = NO_GAMES  # group games played in the class's linked groups
    member: int = 0  # 1 for the first to join among today's members, 2 for the next...: tells namesakes apart


@dataclass(frozen=True)
class HardQuestion:
    question_id: str
    question: str
    answered: int
    percent_correct: float
    top_wrong: str | None  # the wrong option chosen most often on a first try


@dataclass(frozen=True)
class ClassStats:
    class_id: int
    class_name: str
    course_id: str
    timezone: str
    planned_so_far: int
    rows: list[LearnerStats]
    hardest: list[HardQuestion]
    planned_by_day: list[tuple[date, int]]  # calendar: lessons sent so far, per date
    done_by_day: list[tuple[date, float]]  # average lessons done per member, per date


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def class_stats(*, session: Session, catalog: Catalog, klass: Classroom, now: datetime) -> ClassStats:
    class_id, course = stored_id(klass), catalog.courses[klass.course_id]
    zone = ZoneInfo(klass.timezone)
    today = now.astimezone(zone).date()
    member_ids = classes.active_member_ids(session=session, class_id=class_id)
    learners = {stored_id(row): row for row in session.exec(select(Learner).where(col(Learner.id).in_(member_ids)))}
    lessons: dict[int, list[datetime]] = defaultdict(list)
    for learner_id, done_at in session.exec(select(LessonCompletion.learner_id, LessonCompletion.completed_at).where(
            col(LessonCompletion.learner_id).in_(member_ids), LessonCompletion.course_id == course.id)):
        lessons[learner_id].append(done_at)
    answers = session.execute(sa_select(QuizAnswer.learner_id, QuizAnswer.question_id, QuizAnswer.choice,  # type: ignore[call-overload]
                                        QuizAnswer.correct, QuizAnswer.answered_at)
                              .where(col(QuizAnswer.learner_id).in_(member_ids), QuizAnswer.course_id == course.id)
                              .order_by(col(QuizAnswer.answered_at), col(QuizAnswer.id))).all()
    exercises: dict[int, list[datetime]] = defaultdict(list)
    for learner_id, done_at in session.exec(select(ExerciseCompletion.learner_id, ExerciseCompletion.completed_at)
                                            .where(col(ExerciseCompletion.learner_id).in_(member_ids),
                                                   ExerciseCompletion.course_id == course.id)):
        exercises[learner_id].append(done_at)
    sent_dates = sorted(class_calendar.lessons_sent(session=session, klass=klass).values())  # calendar and pushes
    planned_so_far = len(sent_dates)

    first: dict[tuple[int, str], _Answer] = {}
    mine_by_learner: dict[int, list[_Answer]] = defaultdict(list)
    activity: dict[int, list[datetime]] = defaultdict(list)
    for learner_id, question_id, choice, correct, answered_at in answers:
        key = (learner_id, question_id)
        if key not in first:
            first[key] = _Answer(question_id, choice, correct)
            mine_by_learner[learner_id].append(first[key])
        activity[learner_id].append(answered_at)
    games = totals_in_chats(session=session, telegram_ids=[row.telegram_id for row in learners.values()],
                            windows=class_groups.linked_chats(session=session, class_id=class_id))
    rows = []
    for number, learner_id in enumerate(member_ids, start=1):
        learner = learners.get(learner_id)
        if learner is None:
            continue
        mine = mine_by_learner[learner_id]
        moments = lessons[learner_id] + activity[learner_id]
        rows.append(LearnerStats(
            learner_id=learner_id, telegram_id=learner.telegram_id, name=shown_name(learner.first_name),
            lessons_done=len(lessons[learner_id]),
            first_try_accuracy=(sum(a.correct for a in mine) / len(mine)) if mine else None,
            questions_answered=len(mine), exercises_done=len(exercises[learner_id]),
            streak=streak_days(moments, today=today, zone=klass.timezone),
            last_activity=max(_utc(m) for m in [*moments, *exercises[learner_id], learner.last_seen_at]),  # any use
            behind=len(lessons[learner_id]) < planned_so_far,
            games=games.get(learner.telegram_id, NO_GAMES), member=number,
        ))
    rows.sort(key=lambda row: (not row.behind, row.lessons_done, row.name))
    return ClassStats(
        class_id=class_id, class_name=klass.name, course_id=course.id, timezone=klass.timezone,
        planned_so_far=planned_so_far, rows=rows, hardest=_hardest(course=course, first=first),
        planned_by_day=_cumulative_dates(sent_dates),
        done_by_day=_done_by_day(lessons, zone, len(rows), start=sent_dates[0] if sent_dates else None, today=today),
    )


def _hardest(*, course: Course, first: dict[tuple[int, str], _Answer]) -> list[HardQuestion]:
    by_question: dict[str, list[_Answer]] = defaultdict(list)
    for (_, question_id), answer in first.items():
        by_question[question_id].append(answer)
    hard = []
    for question_id, given in by_question.items():
        question = course.question(question_id)
        if question is None:
            continue
        wrong = Counter(a.choice for a in given if not a.correct)
        top = wrong.most_common(1)[0][0] if wrong else None
        hard.append(HardQuestion(
            question_id=question_id, question=question.question, answered=len(given),
            percent_correct=100.0 * sum(a.correct for a in given) / len(given),
            top_wrong=question.options[top] if top is not None and 0 <= top < len(question.options) else None))
    hard.sort(key=lambda q: (q.percent_correct, -q.answered))
    return hard[:HARDEST]


def _cumulative_dates(dates: list[date]) -> list[tuple[date, int]]:
    return [(day, index + 1) for index, day in enumerate(dates)]


def _done_by_day(lessons: dict[int, list[datetime]], zone: ZoneInfo, members: int, *, start: date | None,
                 today: date) -> list[tuple[date, float]]:
    if start is None or members == 0:
        return []
    per_day = Counter(moment.astimezone(zone).date() for moments in lessons.values() for moment in moments)
    series, total, day = [], 0, start
    total += sum(count for d, count in per_day.items() if d < start)
    while day <= today:
        total += per_day.get(day, 0)
        series.append((day, total / members))
        day += timedelta(days=1)
    return series


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs: one starting like a formula gets a `'` (OWASP's advice)."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def render_csv(stats: ClassStats) -> bytes:
    """The table as CSV: UTF-8 with a BOM (so spreadsheets read accents), one row per learner; the names, typed by
    the learners, are made safe (csv_safe). What an instructor needs: names and progress, and a member number (join
    order) to tell namesakes apart; no Telegram ids, which nothing an instructor does needs."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["learner", "member", "lessons_done", "first_try_accuracy_percent", "questions_answered",
                     "exercises_done", "streak_days", "last_activity_utc", "behind_plan", "group_games",
                     "group_points", "group_best_rank"])
    for row in stats.rows:
        writer.writerow([
            csv_safe(row.name), row.member, row.lessons_done,
            "" if row.first_try_accuracy is None else round(100 * row.first_try_accuracy, 1),
            row.questions_answered, row.exercises_done, row.streak,
            row.last_activity.isoformat(timespec="seconds") if row.last_activity else "", "yes" if row.behind else "no",
            row.games.games, row.games.points, "" if row.games.best_rank is None else row.games.best_rank,
        ])
    return out.getvalue().encode("utf-8-sig")


@dataclass(frozen=True)
class ChartLabels:
    """The chart's words, in the instructor's language (the views word them)."""

    planned: str
    done: str
    axis: str


def has_chart(stats: ClassStats) -> bool:
    """Is there anything to draw: a lesson sent by the calendar, or lessons done along it?"""
    return bool(stats.planned_by_day or stats.done_by_day)


def render_chart(stats: ClassStats, labels: ChartLabels) -> bytes:
    """A PNG: lessons sent by the calendar, and lessons done on average, day by day (`has_chart` first: with
    nothing to draw, the chart is an empty frame). Its title and labels are also the PNG's description."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.dates import date2num
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 4), dpi=100)
    axes = figure.add_subplot()
    if stats.planned_by_day:
        days = date2num([d for d, _ in stats.planned_by_day])  # type: ignore[no-untyped-call]
        axes.step(days, [n for _, n in stats.planned_by_day], where="post", label=labels.planned)
    if stats.done_by_day:
        days = date2num([d for d, _ in stats.done_by_day])  # type: ignore[no-untyped-call]
        axes.plot(days, [n for _, n in stats.done_by_day], label=labels.done)
    if has_chart(stats):
        axes.xaxis_date()
        axes.legend(loc="upper left")
        figure.autofmt_xdate()
    axes.set_title(stats.class_name)
    axes.set_ylabel(labels.axis)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={
        "Title": stats.class_name, "Description": f"{labels.planned}; {labels.done}; {labels.axis}"})
    return buffer.getvalue()
