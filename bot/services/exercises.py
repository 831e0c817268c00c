"""Hands-on exercises: opening one, gathering the evidence, checking, recording completion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from bot.content import Catalog, Course, Exercise
from bot.content.checks import ImageCheck
from bot.services import journey
from bot.services.errors import NotEnrolled, StaleReference
from bot.services.exercise_checks import CheckOutcome, Evidence, Exec, evaluate_checks
from bot.services.lab import LabRefusal
from bot.storage import crud
from bot.storage.models import ExerciseAttempt, ExerciseCompletion, Learner

if TYPE_CHECKING:
    from bot.services.unit_of_work import Database
    from sandbox.service import SandboxService

__all__ = ["CheckReport", "LastAttempt", "check_open_exercise", "completed_exercises", "last_attempt", "close_exercise", "exercise_image", "find_exercise", "gather_evidence",
           "open_exercise", "prepare_workspace", "workspace_runner"]

CHECK_TIMEOUT = 20
SETUP_TIMEOUT = 120


@dataclass(frozen=True)
class LastAttempt:
    """The learner's latest command or build in this exercise, and whether it failed."""

    text: str
    failed: bool


@dataclass(frozen=True)
class CheckReport:
    """The checks as they stand now: the next step is the first that fails, and its hint (or the exercise's)."""

    exercise: Exercise
    outcomes: tuple[CheckOutcome, ...]
    newly_completed: bool
    last_attempt: LastAttempt | None = None

    @property
    def next_hint(self) -> str | None:
        """The hint of the first failing check, else the exercise's first hint; None when every check passes."""
        failure = self.first_failure
        if failure is None:
            return None
        return failure.hint or next(iter(self.exercise.hints), None)

    @property
    def repeats_a_failure(self) -> bool:
        """The next step is the command the learner just ran, and it failed: repeating it would not help."""
        hint, last = self.next_hint, self.last_attempt
        return bool(hint and last and last.failed and _normalised(last.text) in _normalised(hint))

    @property
    def passed(self) -> int:
        return sum(o.passed for o in self.outcomes)

    @property
    def all_passed(self) -> bool:
        return all(o.passed for o in self.outcomes)

    @property
    def first_failure(self) -> CheckOutcome | None:
        return next((o for o in self.outcomes if not o.passed), None)


def _normalised(text: str) -> str:
    return " ".join(text.replace("/run ", "").split())


def last_attempt(*, session: Session, learner_id: int, exercise_id: str) -> LastAttempt | None:
    """The learner's latest command or build in this exercise."""
    row = session.exec(
        select(ExerciseAttempt.input, ExerciseAttempt.status)
        .where(ExerciseAttempt.learner_id == learner_id, ExerciseAttempt.exercise_id == exercise_id)
        .order_by(col(ExerciseAttempt.id).desc())
    ).first()
    if row is None:
        return None
    text, status = row
    return LastAttempt(text=text, failed=status != "ok")


def completed_exercises(*, session: Session, learner_id: int, course_id: str) -> frozenset[str]:
    """The exercises of the course the learner has completed."""
    return frozenset(c.exercise_id for c in crud.list_exercise_completions(
        session=session, learner_id=learner_id, course_id=course_id))


def exercise_image(catalog: Catalog, course_id: str | None, exercise_id: str | None) -> str | None:
    """The image name the open exercise checks (a build during it is named so); None without one."""
    course = catalog.courses.get(course_id or "")
    exercise = course.exercise(exercise_id) if course is not None and exercise_id else None
    if exercise is None:
        return None
    return next((check.name for check in exercise.checks if isinstance(check, ImageCheck)), None)


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


def workspace_runner(sandbox: SandboxService, learner_id: int) -> Exec:
    """Run a check's read-only command in the learner's workspace."""

    async def run(command: str) -> tuple[int, str]:
        result = await sandbox.run_internal(learner_id=learner_id, command=command, timeout=CHECK_TIMEOUT)
        return result.exit_code, result.output

    return run


async def prepare_workspace(*, sandbox: SandboxService, learner_id: int, exercise: Exercise) -> LabRefusal | None:
    """Write the exercise's files and run its setup commands; None when done."""
    from sandbox.errors import SandboxError

    if exercise.setup is None:
        return None
    try:
        if exercise.setup.files:
            await sandbox.write_files(learner_id=learner_id,
                                      files={name: body.encode() for name, body in exercise.setup.files.items()})
        for command in exercise.setup.commands:
            await sandbox.run_internal(learner_id=learner_id, command=command, timeout=SETUP_TIMEOUT)
    except SandboxError as exc:
        return LabRefusal.of(exc)
    return None


async def check_open_exercise(
    *, db: Database, catalog: Catalog, sandbox: SandboxService, learner_id: int, now: datetime,
) -> CheckReport | LabRefusal | None:
    """Check the learner's open exercise in their workspace; None when none is open (any more).

    The database is read, then the workspace is queried with no transaction open, then the
    result is written: a slow check never holds SQLite.
    """
    from sandbox.errors import SandboxError

    def read(session: Session, learner: Learner) -> tuple[Course, Exercise, Evidence, LastAttempt | None] | None:
        if learner.active_exercise is None:
            return None
        try:
            course = journey.active_course(catalog=catalog, learner=learner)
            exercise = find_exercise(course, learner.active_exercise)
        except (NotEnrolled, StaleReference):
            close_exercise(session=session, learner=learner)
            return None
        return (course, exercise, gather_evidence(session=session, learner=learner, exercise_id=exercise.id),
                last_attempt(session=session, learner_id=learner_id, exercise_id=exercise.id))

    found = await db.as_learner(learner_id, read)
    if found is None:
        return None
    course, exercise, evidence, last = found
    try:
        outcomes = await evaluate_checks(exercise.checks, run=workspace_runner(sandbox, learner_id), evidence=evidence)
    except SandboxError as exc:
        return LabRefusal.of(exc)

    def record(session: Session, learner: Learner) -> bool:
        newly = crud.insert_once(session=session, row=ExerciseCompletion(
            learner_id=learner_id, course_id=course.id, exercise_id=exercise.id, completed_at=now))
        if learner.active_exercise == exercise.id:
            close_exercise(session=session, learner=learner)
        return newly

    passed = bool(outcomes) and all(o.passed for o in outcomes)
    newly = await db.as_learner(learner_id, record) if passed else False
    return CheckReport(exercise=exercise, outcomes=tuple(outcomes), newly_completed=newly, last_attempt=last)
