"""The final exam: about twenty questions drawn from every module (the course's synthesis questions
always among them), a pass mark, and a certificate once the exam and every exercise are passed."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session, col, select

from bot.content import Course, Question
from bot.services.errors import StaleReference
from bot.services.shown_names import shown_name
from bot.storage import crud
from bot.storage.models import Certificate, ExamAttempt, Learner, stored_id
from bot.storage.privacy_models import WithdrawnCertificate as WithdrawnRow

__all__ = [
    "CODE_ALPHABET", "ExamInProgress", "ExamNotReady", "ExamQuestion", "ExamResult", "IssuedCertificate", "answer_exam",
    "best_passed", "certificate_of", "current_exam", "exam_questions", "missing_exercises", "normalize_code",
    "not_ready", "pass_threshold", "restart_exam", "resume_exam", "start_exam", "verify_certificate", "WithdrawnCertificate",
]

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a certificate without doubt
CODE_LENGTH = 10


@dataclass(frozen=True)
class IssuedCertificate:
    code: str
    name: str
    course_title: str
    score: int
    total: int
    issued_at: datetime

    @classmethod
    def of(cls, row: Certificate) -> IssuedCertificate:
        return cls(code=row.code, name=row.name, course_title=row.course_title, score=row.score, total=row.total,
                   issued_at=row.issued_at)


@dataclass(frozen=True)
class WithdrawnCertificate:
    """A certificate its holder had withdrawn (/forget): no name, no score."""

    code: str
    course_title: str
    withdrawn_at: datetime


@dataclass(frozen=True)
class ExamQuestion:
    attempt_id: int
    position: int  # 0-based place in the exam
    count: int
    question: Question
    order: tuple[int, ...]


@dataclass(frozen=True)
class ExamResult:
    score: int
    count: int
    needed: int
    passed: bool
    missing: tuple[str, ...]  # titles of the exercises still to do
    certificate: IssuedCertificate | None
    weakest: tuple[str, ...] = ()  # a failed exam: the ids of the modules with the most misses, most first


@dataclass(frozen=True)
class ExamNotReady:
    """A learner about to sit the exam without having read every lesson: what they read, what it covers."""

    lessons_read: int
    lessons_total: int
    modules: int
    questions: int


@dataclass(frozen=True)
class ExamInProgress:
    """/exam while an exam is unfinished: where the learner is in it (resume it, or start over)."""

    question: ExamQuestion


def not_ready(*, session: Session, course: Course, learner: Learner) -> ExamNotReady | None:
    """None when every lesson of the course was read; otherwise how far the learner got."""
    lesson_ids = {lesson.id for lesson in course.lessons_in_order()}
    read = crud.list_completed_lesson_ids(session=session, learner_id=stored_id(learner), course_id=course.id)
    done = len(lesson_ids & read)
    if done >= len(lesson_ids):
        return None
    return ExamNotReady(lessons_read=done, lessons_total=len(lesson_ids),
                        modules=sum(1 for module in course.modules if course.module_questions(module.id)),
                        questions=len(exam_questions(course, seed="size")))


def pass_threshold(course: Course, count: int) -> int:
    """Right answers needed: the course's pass mark of the questions asked, rounded up."""
    mark = course.exam.pass_mark if course.exam else 0.7
    return -(-round(mark * count * 1000) // 1000)


def exam_questions(course: Course, seed: str) -> list[Question]:
    """The synthesis questions, then questions spread over every module in turn, in a shuffled order."""
    size = course.exam.size if course.exam else 20
    rng = random.Random(seed)
    chosen = [q for qid in (course.exam.synthesis if course.exam else ()) if (q := course.question(qid))]
    pools = []
    for module in course.modules:
        pool = [q for q in course.module_questions(module.id) if q not in chosen]
        rng.shuffle(pool)
        if pool:
            pools.append(pool)
    rng.shuffle(pools)
    while len(chosen) < size and any(pools):
        for pool in pools:
            if pool and len(chosen) < size:
                chosen.append(pool.pop())
    rng.shuffle(chosen)
    return chosen


def _order(question: Question, rng: random.Random) -> tuple[int, ...]:
    order = list(range(len(question.options)))
    rng.shuffle(order)
    return tuple(order)


def _at(course: Course, attempt: ExamAttempt) -> ExamQuestion:
    ids = attempt.question_ids.split(",")
    position = len([a for a in attempt.answers.split(",") if a])
    question = course.question(ids[position])
    if question is None:
        raise StaleReference(f"exam question {ids[position]}")
    assert attempt.id is not None
    rng = random.Random(f"{attempt.id}:{position}")
    return ExamQuestion(attempt.id, position, len(ids), question, _order(question, rng))


def _unfinished(*, session: Session, course: Course, learner_id: int) -> list[ExamAttempt]:
    return list(session.exec(select(ExamAttempt).where(
        ExamAttempt.learner_id == learner_id, ExamAttempt.course_id == course.id,
        col(ExamAttempt.finished_at).is_(None)).order_by(col(ExamAttempt.started_at).desc())).all())


def current_exam(*, session: Session, course: Course, learner: Learner) -> ExamQuestion | None:
    """The unfinished exam's next question (the one still to answer), or None when no exam is running."""
    for attempt in _unfinished(session=session, course=course, learner_id=stored_id(learner)):
        try:
            return _at(course, attempt)
        except (StaleReference, IndexError):  # the course changed under an old attempt: it cannot go on
            continue
    return None


def start_exam(*, session: Session, course: Course, learner: Learner, now: datetime) -> ExamQuestion:
    """A new sitting (an unfinished one is dropped): its questions are fixed now."""
    learner_id = stored_id(learner)
    for old in _unfinished(session=session, course=course, learner_id=learner_id):
        session.delete(old)
    questions = exam_questions(course, seed=f"{learner_id}:{now.isoformat()}")
    attempt = ExamAttempt(learner_id=learner_id, course_id=course.id,
                          question_ids=",".join(q.id for q in questions), answers="", started_at=now)
    crud.add(session=session, row=attempt)
    return _at(course, attempt)


def resume_exam(*, session: Session, course: Course, learner: Learner, attempt_id: int) -> ExamQuestion:
    """The question to answer next in this unfinished exam; StaleReference when it is no longer running."""
    current = current_exam(session=session, course=course, learner=learner)
    if current is None or current.attempt_id != attempt_id:
        raise StaleReference(f"exam attempt {attempt_id}")
    return current


def restart_exam(*, session: Session, course: Course, learner: Learner, attempt_id: int,
                 now: datetime) -> ExamQuestion:
    """Drop this unfinished exam and start a new one; StaleReference when it is no longer running
    (an old button, or pressed twice: the exam started by the first press is kept)."""
    resume_exam(session=session, course=course, learner=learner, attempt_id=attempt_id)
    return start_exam(session=session, course=course, learner=learner, now=now)


def answer_exam(*, session: Session, course: Course, learner: Learner, attempt_id: int, position: int,
                choice: int, now: datetime, exercises_required: bool = True) -> ExamQuestion | ExamResult:
    """Record one answer; the next question, or the result once the last one is answered.
    StaleReference for another learner's attempt, a finished one, or a question already answered."""
    attempt = session.get(ExamAttempt, attempt_id)
    if attempt is None or attempt.learner_id != stored_id(learner) or attempt.finished_at is not None:
        raise StaleReference(f"exam attempt {attempt_id}")
    current = _at(course, attempt)
    if position != current.position or not 0 <= choice < len(current.question.options):
        raise StaleReference(f"exam answer {attempt_id}:{position}")
    answers = [a for a in attempt.answers.split(",") if a]
    answers.append("1" if choice == current.question.answer else "0")
    attempt.answers = ",".join(answers)
    if len(answers) < current.count:
        session.add(attempt)
        session.flush()
        return _at(course, attempt)
    score = answers.count("1")
    needed = pass_threshold(course, current.count)
    attempt.finished_at, attempt.score, attempt.passed = now, score, score >= needed
    session.add(attempt)
    session.flush()
    result = _result(session=session, course=course, learner=learner, score=score, count=current.count,
                     passed=score >= needed, now=now, exercises_required=exercises_required)
    if result.passed:
        return result
    return replace(result, weakest=weakest_modules(course, attempt.question_ids.split(","), answers))


def weakest_modules(course: Course, question_ids: list[str], answers: list[str], *, limit: int = 3) -> tuple[str, ...]:
    """The modules with the most missed questions (most first, then in course order), at most `limit`."""
    misses: dict[str, int] = {}
    for question_id, answer in zip(question_ids, answers, strict=False):
        module = course.module_of_question(question_id)
        if answer == "0" and module is not None:
            misses[module.id] = misses.get(module.id, 0) + 1
    order = [module.id for module in course.modules]
    ranked = sorted(misses, key=lambda module_id: (-misses[module_id], order.index(module_id)))
    return tuple(ranked[:limit])


def _result(*, session: Session, course: Course, learner: Learner, score: int, count: int, passed: bool,
            now: datetime, exercises_required: bool = True) -> ExamResult:
    """The exam's result, with a certificate when it is passed and every exercise is done (a bot without a lab,
    `exercises_required` False, certifies the exam alone)."""
    missing = missing_exercises(session=session, course=course, learner=learner) if exercises_required else ()
    certificate = None
    if passed and not missing:
        row = certificate_of(session=session, course=course, learner=learner) or _issue(
            session=session, course=course, learner=learner, score=score, total=count, now=now)
        certificate = IssuedCertificate.of(row)
    return ExamResult(score=score, count=count, needed=pass_threshold(course, count), passed=passed,
                      missing=missing, certificate=certificate)


def best_passed(*, session: Session, course: Course, learner: Learner, now: datetime,
                exercises_required: bool = True) -> ExamResult | None:
    """For a learner who passed an exam before: the result again (a certificate if the exercises are now done)."""
    attempt = session.exec(select(ExamAttempt).where(
        ExamAttempt.learner_id == stored_id(learner), ExamAttempt.course_id == course.id,
        col(ExamAttempt.passed).is_(True)).order_by(col(ExamAttempt.score).desc())).first()
    if attempt is None or attempt.score is None:
        return None
    count = len(attempt.question_ids.split(","))
    return _result(session=session, course=course, learner=learner, score=attempt.score, count=count,
                   passed=True, now=now, exercises_required=exercises_required)


def missing_exercises(*, session: Session, course: Course, learner: Learner) -> tuple[str, ...]:
    done = {c.exercise_id for c in crud.list_exercise_completions(
        session=session, learner_id=stored_id(learner), course_id=course.id)}
    return tuple(exercise.title for module in course.modules for exercise_id in module.exercises
                 if exercise_id not in done and (exercise := course.exercise(exercise_id)) is not None)


def certificate_of(*, session: Session, course: Course, learner: Learner) -> Certificate | None:
    return session.exec(select(Certificate).where(
        Certificate.learner_id == stored_id(learner), Certificate.course_id == course.id)).first()


def _issue(*, session: Session, course: Course, learner: Learner, score: int, total: int,
           now: datetime) -> Certificate:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if session.get(Certificate, code) is None and session.get(WithdrawnRow, code) is None:
            break
    certificate = Certificate(code=code, learner_id=stored_id(learner), course_id=course.id,
                              name=shown_name(learner.first_name), course_title=course.title[:200], score=score,
                              total=total, issued_at=now)
    crud.add(session=session, row=certificate)
    return certificate


def normalize_code(text: str) -> str:
    """What a learner types, as a code: case, spaces and dashes forgiven."""
    return "".join(c for c in text.upper() if c.isalnum())


def verify_certificate(*, session: Session, code: str) -> IssuedCertificate | WithdrawnCertificate | None:
    """The certificate with this code, one withdrawn at its holder's request, or None."""
    wanted = normalize_code(code)
    if not wanted or len(wanted) > 32:
        return None
    row = session.get(Certificate, wanted)
    if row is not None:
        return IssuedCertificate.of(row)
    withdrawn = session.get(WithdrawnRow, wanted)
    if withdrawn is None:
        return None
    return WithdrawnCertificate(code=withdrawn.code, course_title=withdrawn.course_title,
                                withdrawn_at=withdrawn.withdrawn_at)
