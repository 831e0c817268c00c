"""Loading the course folders: every file parsed and validated, then the course assembled."""

from __future__ import annotations

from pathlib import Path

from bot.content.course_files import CourseFiles
from bot.content.errors import ContentError
from bot.content.exercise import Exercise
from bot.content.key_terms import key_term_problems, key_terms
from bot.content.lesson_checks import lesson_problems, snippet_problems
from bot.content.models import (
    Catalog,
    Course,
    CourseFile,
    Glossary,
    Lesson,
    LessonFrontMatter,
    Quiz,
)
from bot.content.problems import Problem
from bot.content.quiz_checks import quiz_problems, terminology_problems
from bot.content.references import reference_problems
from bot.content.sources import split_front_matter, validate, yaml_file

__all__ = ["CourseFiles", "check_content", "load_catalog"]


def load_catalog(content_dir: Path) -> Catalog:
    """Every course under `content_dir`; raises ContentError when any file has a real problem."""
    problems, catalog = _load(content_dir, warnings=False)
    errors = [problem for problem in problems if not problem.warning]
    if errors:
        raise ContentError(errors)
    return catalog


def check_content(content_dir: Path) -> list[Problem]:
    """Every problem in the course files (warnings included); never raises for content problems."""
    problems, _ = _load(content_dir, warnings=True)
    return problems


def _load(content_dir: Path, *, warnings: bool) -> tuple[list[Problem], Catalog]:
    """The problems and the courses without errors; the course-wide quality checks, which only ever warn
    (and compare every quiz question with every other), run for `check_content` alone."""
    problems: list[Problem] = []
    courses: dict[str, Course] = {}
    if not content_dir.is_dir():
        return [Problem(content_dir, None, "no such content directory")], Catalog()
    for folder in sorted(p for p in content_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        found: list[Problem] = []
        files = _read_course(folder, found)
        found += reference_problems(files)
        if warnings:
            found += quiz_problems(files) + terminology_problems(files)
        if not files.glossary_unreadable:
            found += key_term_problems(files.key_terms, files.glossary[0].terms if files.glossary else ())
        if files.course is not None and not any(not p.warning for p in found):
            courses[files.course.id] = _assemble(files)
        problems += found
    base = content_dir.parent
    return [problem.relative_to(base) for problem in problems], Catalog(courses=courses)


def _read_course(folder: Path, problems: list[Problem]) -> CourseFiles:
    files = CourseFiles(folder)
    course_path = folder / "course.yaml"
    if not course_path.is_file():
        problems.append(Problem(course_path, None, "missing course.yaml"))
        return files
    if (parsed := yaml_file(course_path, _read(course_path, problems), problems)) is not None:
        files.course, files.course_source = validate(CourseFile, parsed, problems), parsed
    for path in sorted((folder / "lessons").glob("*.md")):
        _read_lesson(path, files, problems)
    for path in sorted((folder / "quizzes").glob("*.yaml")):
        parsed = yaml_file(path, _read(path, problems), problems)
        if parsed is not None and (quiz := validate(Quiz, parsed, problems)):
            files.quizzes.append((quiz, parsed))
        else:
            files.remember_invalid("quiz", parsed)
    for path in sorted((folder / "exercises").glob("*.yaml")):
        parsed = yaml_file(path, _read(path, problems), problems)
        if parsed is not None and (exercise := validate(Exercise, parsed, problems)):
            files.exercises.append((exercise, parsed))
            problems += snippet_problems(exercise, parsed)
        else:
            files.remember_invalid("exercise", parsed)
    glossary_path = folder / "glossary.yaml"
    if glossary_path.is_file():
        parsed = yaml_file(glossary_path, _read(glossary_path, problems), problems)
        if parsed is not None and (glossary := validate(Glossary, parsed, problems)):
            files.glossary = (glossary, parsed)
        else:
            files.glossary_unreadable = True  # its own problem is reported; every key term would be too
    return files


def _read_lesson(path: Path, files: CourseFiles, problems: list[Problem]) -> None:
    front, body, body_line = split_front_matter(path, _read(path, problems), problems)
    if front is None or (meta := validate(LessonFrontMatter, front, problems)) is None:
        files.remember_invalid("lesson", front)
        return
    lesson = Lesson(**meta.model_dump(), body=body, source=path)
    files.lessons.append((lesson, front))
    problems += lesson_problems(lesson, path, body_line)
    files.key_terms += key_terms(path, body, body_line)


def _read(path: Path, problems: list[Problem]) -> str:
    try:
        return path.read_text(encoding="utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        problems.append(Problem(path, None, f"not UTF-8 text: {exc.reason} at byte {exc.start}"))
        return ""


def _assemble(files: CourseFiles) -> Course:
    assert files.course is not None
    order = {lesson_id: i for i, lesson_id in enumerate(i for m in files.course.modules for i in m.lessons)}
    lessons = sorted((lesson for lesson, _ in files.lessons), key=lambda lesson: order.get(lesson.id, len(order)))
    return Course(
        **files.course.model_dump(),
        lessons={lesson.id: lesson for lesson in lessons},
        quizzes={quiz.id: quiz for quiz, _ in files.quizzes},
        exercises={exercise.id: exercise for exercise, _ in files.exercises},
        glossary=files.glossary[0].terms if files.glossary else (),
    )
