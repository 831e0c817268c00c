"""Checks across files: ids unique within a course, and every reference pointing at something."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.content.course_files import CourseFiles
from bot.content.exercise import Exercise
from bot.content.feedback_topics import FEEDBACK_TOPICS
from bot.content.problems import Problem
from bot.content.sources import Parsed

__all__ = ["reference_problems"]

Loc = tuple[str | int, ...]


@dataclass
class _Known:
    """Ids defined in the course, and those something refers to."""

    lessons: set[str]
    quizzes: set[str]
    exercises: set[str]
    used: dict[str, set[str]] = field(default_factory=lambda: {"lesson": set(), "quiz": set(), "exercise": set()})


def reference_problems(files: CourseFiles) -> list[Problem]:
    """Problems between files. Ids of files that failed validation count as known, so one
    mistake is reported once rather than again at every reference to it."""
    problems: list[Problem] = []
    invalid = files.invalid_ids
    known = _Known(
        _unique_ids("lesson", ((x.id, src, ("id",)) for x, src in files.lessons), problems) | invalid["lesson"],
        _unique_ids("quiz", ((x.id, src, ("id",)) for x, src in files.quizzes), problems) | invalid["quiz"],
        _unique_ids("exercise", ((x.id, src, ("id",)) for x, src in files.exercises), problems) | invalid["exercise"],
    )
    _unique_ids("question", (
        (question.id, src, ("questions", i, "id"))
        for quiz, src in files.quizzes for i, question in enumerate(quiz.questions)
    ), problems)
    _file_names(files, problems)
    _modules(files, known, problems)
    for lesson, src in files.lessons:
        if lesson.exercise is not None:
            _expect(lesson.exercise, known.exercises, "exercise", src, ("exercise",), problems)
            known.used["exercise"].add(lesson.exercise)
    for quiz, src in files.quizzes:
        for i, question in enumerate(quiz.questions):
            if question.lesson is not None:
                _expect(question.lesson, known.lessons, "lesson", src, ("questions", i, "lesson"), problems)
    for exercise, src in files.exercises:
        problems += _exercise_problems(exercise, src, known.lessons)
    if files.glossary is not None:
        glossary, src = files.glossary
        for i, term in enumerate(glossary.terms):
            if term.lesson is not None:
                _expect(term.lesson, known.lessons, "lesson", src, ("terms", i, "lesson"), problems)
    if files.course is not None:
        _feedback_topics(files, known, problems)
        _unused(files, known, problems)
    return problems


def _feedback_topics(files: CourseFiles, known: _Known, problems: list[Problem]) -> None:
    """Each Dockerfile feedback topic must be one the feedback engine knows, and point at a lesson."""
    course, src = files.course, files.course_source
    if course is None or src is None:
        return
    for topic, lesson_id in course.feedback_topics.items():
        if topic not in FEEDBACK_TOPICS:
            problems.append(src.problem(("feedback_topics", topic), f"unknown feedback topic {topic!r}"))
        _expect(lesson_id, known.lessons, "lesson", src, ("feedback_topics", topic), problems)


def _modules(files: CourseFiles, known: _Known, problems: list[Problem]) -> None:
    course, src = files.course, files.course_source
    if course is None or src is None:
        return
    if course.id != files.folder.name:
        problems.append(src.problem(("id",), f"course id {course.id!r} must equal its folder name {files.folder.name!r}"))
    _unique_ids("module", ((m.id, src, ("modules", i, "id")) for i, m in enumerate(course.modules)), problems)
    for i, module in enumerate(course.modules):
        for j, lesson_id in enumerate(module.lessons):
            loc = ("modules", i, "lessons", j)
            _expect(lesson_id, known.lessons, "lesson", src, loc, problems)
            if lesson_id in known.used["lesson"]:
                problems.append(src.problem(loc, f"lesson {lesson_id!r} is listed more than once"))
            known.used["lesson"].add(lesson_id)
        if module.quiz is not None:
            _expect(module.quiz, known.quizzes, "quiz", src, ("modules", i, "quiz"), problems)
            known.used["quiz"].add(module.quiz)
        for j, exercise_id in enumerate(module.exercises):
            _expect(exercise_id, known.exercises, "exercise", src, ("modules", i, "exercises", j), problems)
            known.used["exercise"].add(exercise_id)


def _unused(files: CourseFiles, known: _Known, problems: list[Problem]) -> None:
    """Warnings: files nothing leads a learner to."""
    for kind, items, where in (("lesson", files.lessons, "is not listed in any module"),
                               ("quiz", files.quizzes, "is not used by any module"),
                               ("exercise", files.exercises, "is not offered by any module or lesson")):
        for item, src in items:
            if item.id not in known.used[kind]:
                problems.append(src.problem(("id",), f"{kind} {item.id!r} {where}", warning=True))


def _file_names(files: CourseFiles, problems: list[Problem]) -> None:
    for kind, items, folder, suffix in (("lesson", files.lessons, "lessons", ".md"),
                                        ("quiz", files.quizzes, "quizzes", ".yaml"),
                                        ("exercise", files.exercises, "exercises", ".yaml")):
        for item, src in items:
            if src.path.name != item.id + suffix:
                message = f"{kind} {item.id!r} should live in {folder}/{item.id}{suffix}"
                problems.append(src.problem(("id",), message, warning=True))


def _exercise_problems(exercise: Exercise, src: Parsed, lesson_ids: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    if exercise.lesson is not None:
        _expect(exercise.lesson, lesson_ids, "lesson", src, ("lesson",), problems)
    checks = ((check.id, src, ("checks", i, "id")) for i, check in enumerate(exercise.checks))
    check_ids = _unique_ids("check", checks, problems)
    for i, attempt in enumerate(exercise.wrong_attempts):
        _expect(attempt.fails, check_ids, "check", src, ("wrong_attempts", i, "fails"), problems)
    return problems


def _unique_ids(kind: str, items: Iterable[tuple[str, Parsed, Loc]], problems: list[Problem]) -> set[str]:
    """The ids seen; a repeated id is reported where it repeats, naming the first place."""
    first: dict[str, tuple[Parsed, Loc]] = {}
    for item_id, src, loc in items:
        if item_id in first:
            where, where_loc = first[item_id]
            message = f"duplicate {kind} id {item_id!r} (first defined at {where.path.name}:{where.line(*where_loc)})"
            problems.append(src.problem(loc, message))
        else:
            first[item_id] = (src, loc)
    return set(first)


def _expect(item_id: str, known: set[str], kind: str, src: Parsed, loc: Loc, problems: list[Problem]) -> None:
    if item_id not in known:
        problems.append(src.problem(loc, f"unknown {kind} {item_id!r}"))
