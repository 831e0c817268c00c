"""Hands-on exercises: opening one, gathering the evidence, checking, recording completion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot.content import Course, Exercise
from bot.services.errors import StaleReference
from bot.services.exercise_checks import CheckOutcome, Evidence, evaluate_checks
from bot.storage import crud
from bot.storage.models import ExerciseAttempt, ExerciseCompletion, Learner

__all__ = ["CheckReport", "check_exercise", "close_exercise", "find_exercise", "gather_evidence", "open_exercise"]


@dataclass(frozen=True)
class CheckReport:
    exercise: Exercise
    outcomes: tuple[CheckOutcome, ...]
    newly_completed: bool

    @property
    def passed(self) -> int:
        return sum(o.passed for o in self.outcomes)

    @property
    def all_passed(self) -> bool:
        return all(o.passed for o in self.outcomes)

    @property
    def first_failure(self) -> CheckOutcome | None:
        return next((o for o in self.outcomes if not o.passed), None)


def find_exercise(course: Course, exercise_id: str) -> Exercise:
    exercise = course.exercise(exercise_id)
    if exercise is None:
        raise StaleReference(f"exercise {exercise_id}")
    return exercise


def open_exercise(*, session: Session, course: Course, learner: Learner, exercise_id: str) -> Exercise:
    exercise = find_exercise(course, exercise_id)
    learner.active_exercise = exercise.id
    session.add(learner)
    return exercise


def close_exercise(*, session: Session, learner: Learner) -> None:
    learner.active_exercise = None
    session.add(learner)


def gather_evidence(*, session: Session, learner: Learner, exercise_id: str) -> Evidence:
    """The learner's commands in this exercise, and the last Dockerfile they built."""
    commands = session.exec(
        select(ExerciseAttempt.input).where(
            ExerciseAttempt.learner_id == learner.id, ExerciseAttempt.exercise_id == exercise_id,
            ExerciseAttempt.kind == "command", col(ExerciseAttempt.status).in_(("ok", "failed", "timeout")),
        )
    ).all()
    dockerfile = session.exec(
        select(ExerciseAttempt.input)
        .where(ExerciseAttempt.learner_id == learner.id, ExerciseAttempt.kind == "build")
        .order_by(col(ExerciseAttempt.id).desc())
    ).first()
    return Evidence(commands=tuple(commands), last_dockerfile=dockerfile)


async def check_exercise(
    *, session: Session, course: Course, learner: Learner, exercise: Exercise, run, now: datetime  # noqa: ANN001
) -> CheckReport:
    """Evaluate the checks in the learner's workspace and record a first full pass."""
    evidence = gather_evidence(session=session, learner=learner, exercise_id=exercise.id)
    outcomes = await evaluate_checks(exercise.checks, run=run, evidence=evidence)
    newly = False
    if outcomes and all(o.passed for o in outcomes):
        newly = crud.insert_once(
            session=session,
            row=ExerciseCompletion(learner_id=learner.id, course_id=course.id, exercise_id=exercise.id, completed_at=now),
        )
    return CheckReport(exercise=exercise, outcomes=tuple(outcomes), newly_completed=newly)
