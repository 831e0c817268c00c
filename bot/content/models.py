"""The course as frozen values: modules, lessons, quizzes, glossary, and the lookups the bot needs."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from bot.content.checks import Id, Text
from bot.content.exercise import Exercise

__all__ = [
    "Catalog", "Course", "CourseFile", "Exam", "Glossary", "GlossaryTerm", "Lesson", "LessonFrontMatter",
    "Module", "Question", "Quiz",
]

PollOption = Annotated[str, StringConstraints(min_length=1, max_length=100)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LessonFrontMatter(_Frozen):
    """The YAML between the `---` lines at the top of a lesson file."""

    id: Id
    title: Text
    exercise: Id | None = None


class Lesson(LessonFrontMatter):
    body: str
    source: Path | None = None


class Module(_Frozen):
    id: Id
    title: Text
    summary: str = ""
    lessons: tuple[Id, ...] = Field(min_length=1)
    quiz: Id | None = None
    exercises: tuple[Id, ...] = ()
    # The module's cheat sheet for /memo: command -> what it does, one line each, in teaching order.
    memo: dict[str, str] = Field(default_factory=dict)


class Question(_Frozen):
    """A multiple-choice question; limits are Telegram's quiz-poll limits."""

    id: Id
    question: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    options: tuple[PollOption, ...] = Field(min_length=2, max_length=10)
    answer: int
    explanation: Annotated[str, StringConstraints(max_length=200)] = ""
    # Why one wrong option is wrong, by its index in the file ({1: "Piège : ..."}), shown only to a learner
    # who chose it: the explanation is shown whatever the choice, so it must not speak of one wrong option.
    traps: tuple[tuple[int, Annotated[str, StringConstraints(min_length=1, max_length=300)]], ...] = ()
    lesson: Id | None = None
    # "application": predict an output, choose the command, find the bug; "recall": know a fact.
    kind: Literal["recall", "application"] = "recall"

    @field_validator("traps", mode="before")
    @classmethod
    def _traps_by_option(cls, traps: object) -> object:
        return tuple(sorted(traps.items())) if isinstance(traps, dict) else traps

    @field_validator("traps")
    @classmethod
    def _traps_are_wrong_options(cls, traps: tuple[tuple[int, str], ...],
                                 info: ValidationInfo) -> tuple[tuple[int, str], ...]:
        options, answer = info.data.get("options"), info.data.get("answer")
        for index, _ in traps:
            if options is not None and not 0 <= index < len(options):
                raise ValueError(f"trap for option {index}, but options go from 0 to {len(options) - 1}")
            if index == answer:
                raise ValueError(f"trap for option {index}, the right answer")
        return traps

    def trap(self, choice: int) -> str | None:
        """Why the option `choice` (its index in the file) is wrong, when the course says it."""
        return next((text for index, text in self.traps if index == choice), None)

    @field_validator("answer")
    @classmethod
    def _answer_is_an_option(cls, answer: int, info: ValidationInfo) -> int:
        options = info.data.get("options")
        if options is not None and not 0 <= answer < len(options):
            raise ValueError(f"answer must be an option index from 0 to {len(options) - 1}")
        return answer


class Quiz(_Frozen):
    id: Id
    title: Text
    questions: tuple[Question, ...] = Field(min_length=1)


class GlossaryTerm(_Frozen):
    term: Text
    definition: Text
    lesson: Id | None = None
    english: tuple[Text, ...] = ()
    """The term's English names: /def finds the term by them, and shows them to learners using English."""


class Glossary(_Frozen):
    terms: tuple[GlossaryTerm, ...] = ()


class Exam(_Frozen):
    """The end-of-course exam: questions drawn from every module, plus fixed synthesis questions."""

    size: int = Field(default=20, ge=1, le=60)
    pass_mark: float = Field(default=0.7, gt=0, le=1)
    synthesis: tuple[Id, ...] = ()  # question ids always asked


class CourseFile(_Frozen):
    """What `course.yaml` holds; the loader adds lessons, quizzes, exercises and glossary."""

    id: Id
    title: Text
    language: Literal["fr", "en"]
    description: Text
    modules: tuple[Module, ...] = Field(min_length=1)
    feedback_topics: dict[str, Id] = Field(default_factory=dict)  # Dockerfile feedback topic -> lesson id
    # Banned word variants -> the word the course uses ("container" -> "conteneur"); `content check` warns.
    terminology: dict[str, str] = Field(default_factory=dict)
    exam: Exam | None = None


class Course(CourseFile):
    model_config = ConfigDict(frozen=True, extra="forbid", ignored_types=(cached_property,))

    lessons: dict[str, Lesson]
    quizzes: dict[str, Quiz] = Field(default_factory=dict)
    exercises: dict[str, Exercise] = Field(default_factory=dict)
    glossary: tuple[GlossaryTerm, ...] = ()

    @cached_property
    def _lesson_order(self) -> tuple[Lesson, ...]:
        return tuple(self.lessons[i] for module in self.modules for i in module.lessons if i in self.lessons)

    @cached_property
    def _question_order(self) -> tuple[tuple[Module, Question], ...]:
        return tuple(
            (module, question)
            for module in self.modules if module.quiz in self.quizzes
            for question in self.quizzes[module.quiz].questions
        )

    def lessons_in_order(self) -> list[Lesson]:
        """Every lesson a module lists, in reading order across modules."""
        return list(self._lesson_order)

    def lesson(self, lesson_id: str) -> Lesson | None:
        return self.lessons.get(lesson_id)

    def lesson_title(self, lesson_id: str) -> str:
        """The lesson's title, or its id when the course no longer has it (a calendar made before an edit)."""
        lesson = self.lessons.get(lesson_id)
        return lesson.title if lesson is not None else lesson_id

    def module(self, module_id: str) -> Module | None:
        return next((m for m in self.modules if m.id == module_id), None)

    def module_of(self, lesson_id: str) -> Module | None:
        return next((m for m in self.modules if lesson_id in m.lessons), None)

    def next_lesson(self, after_id: str) -> Lesson | None:
        order = [lesson.id for lesson in self._lesson_order]
        if after_id not in order or order.index(after_id) + 1 == len(order):
            return None
        return self._lesson_order[order.index(after_id) + 1]

    def questions_with_modules(self) -> list[tuple[Module, Question]]:
        """Each module's quiz questions, in course order, with the module that asks them."""
        return list(self._question_order)

    def questions_in_order(self) -> list[Question]:
        return [question for _, question in self._question_order]

    def question(self, question_id: str) -> Question | None:
        return next((q for _, q in self._question_order if q.id == question_id), None)

    def module_of_question(self, question_id: str) -> Module | None:
        return next((m for m, q in self._question_order if q.id == question_id), None)

    def module_questions(self, module_id: str) -> list[Question]:
        return [q for m, q in self._question_order if m.id == module_id]

    def exercise(self, exercise_id: str) -> Exercise | None:
        return self.exercises.get(exercise_id)


class Catalog(_Frozen):
    """Every course the bot can teach, by id."""

    courses: dict[str, Course] = Field(default_factory=dict)

    def course(self, course_id: str) -> Course | None:
        return self.courses.get(course_id)
