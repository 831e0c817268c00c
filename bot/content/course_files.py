"""One course folder as it is read: each valid item with the file it came from (what the checks look at)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.content.exercise import Exercise
from bot.content.key_terms import KeyTerm
from bot.content.models import CourseFile, Glossary, Lesson, Quiz
from bot.content.sources import Parsed

__all__ = ["CourseFiles"]


@dataclass
class CourseFiles:
    """One course folder, parsed: each valid item with the file it came from."""

    folder: Path
    course: CourseFile | None = None
    course_source: Parsed | None = None
    lessons: list[tuple[Lesson, Parsed]] = field(default_factory=list)
    quizzes: list[tuple[Quiz, Parsed]] = field(default_factory=list)
    exercises: list[tuple[Exercise, Parsed]] = field(default_factory=list)
    glossary: tuple[Glossary, Parsed] | None = None
    glossary_unreadable: bool = False
    key_terms: list[KeyTerm] = field(default_factory=list)
    invalid_ids: dict[str, set[str]] = field(default_factory=lambda: {"lesson": set(), "quiz": set(), "exercise": set()})

    def remember_invalid(self, kind: str, parsed: Parsed | None) -> None:
        """Keep the id of a file that failed validation, so references to it are not reported too."""
        if parsed is not None and isinstance(parsed.data, dict) and isinstance(parsed.data.get("id"), str):
            self.invalid_ids[kind].add(parsed.data["id"])
