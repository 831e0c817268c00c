"""Progress per module, quiz accuracy and the streak of active days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.content import Course
from bot.services.game_totals import NO_GAMES, GameTotals, totals_of
from bot.services.review import ReviewStats, review_stats
from bot.storage import crud
from bot.storage.models import Learner, stored_id

__all__ = ["ModuleProgress", "ProgressReport", "progress_report", "streak_days"]


@dataclass(frozen=True)
class ModuleProgress:
    module_id: str
    title: str
    lessons_done: int
    lessons_total: int
    questions_answered: int
    questions_correct: int
    exercises_done: int
    exercises_total: int


@dataclass(frozen=True)
class ProgressReport:
    course_title: str
    modules: tuple[ModuleProgress, ...]
    streak_days: int
    review: ReviewStats = ReviewStats(cards=0, due=0, retention=None)
    games: GameTotals = NO_GAMES  # group quiz games, in every group

    @property
    def lessons_done(self) -> int:
        return sum(m.lessons_done for m in self.modules)

    @property
    def lessons_total(self) -> int:
        return sum(m.lessons_total for m in self.modules)


def progress_report(*, session: Session, course: Course, learner: Learner, now: datetime) -> ProgressReport:
    done = {c.lesson_id for c in crud.list_completed_lessons(session=session, learner_id=stored_id(learner), course_id=course.id)}
    first_answers: dict[str, bool] = {}
    for answer in crud.list_quiz_answers(session=session, learner_id=stored_id(learner), course_id=course.id):
        first_answers.setdefault(answer.question_id, answer.correct)
    exercises = {
        c.exercise_id for c in crud.list_exercise_completions(session=session, learner_id=stored_id(learner), course_id=course.id)
    }
    modules = []
    for module in course.modules:
        question_ids = [q.id for q in course.module_questions(module.id)]
        answered = [first_answers[q] for q in question_ids if q in first_answers]
        modules.append(
            ModuleProgress(
                module_id=module.id,
                title=module.title,
                lessons_done=sum(1 for lesson_id in module.lessons if lesson_id in done),
                lessons_total=len(module.lessons),
                questions_answered=len(answered),
                questions_correct=sum(answered),
                exercises_done=sum(1 for e in module.exercises if e in exercises),
                exercises_total=len(module.exercises),
            )
        )
    activity = crud.list_activity_times(session=session, learner_id=stored_id(learner))
    return ProgressReport(
        course_title=course.title,
        modules=tuple(modules),
        streak_days=streak_days(activity, today=_local_date(now, learner.timezone), zone=learner.timezone),
        review=review_stats(session=session, course=course, learner=learner, now=now),
        games=totals_of(session=session, telegram_id=learner.telegram_id),
    )


def streak_days(moments: list[datetime], *, today: date, zone: str) -> int:
    """Consecutive local days with activity, ending today (or yesterday, if today is still open)."""
    days = {_local_date(moment, zone) for moment in moments}
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def _local_date(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone)).date()
