"""Warnings that keep the quizzes honest and the words consistent.

- option-length bias: the correct option is the longest one in too many questions (or in too few);
- answer-position bias: the correct answer sits at one position too often;
- duplicate questions: two questions ask nearly the same thing;
- too few application questions (a scenario, an output to read, a diagnosis), overall and per module;
- too few questions with four options (three distractors are what makes guessing expensive);
- banned term variants (the course's `terminology` list) in lessons, quizzes, glossary and exercises.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from bot.content.course_files import CourseFiles
from bot.content.models import Question
from bot.content.problems import Problem

__all__ = ["QuizFigures", "quiz_figures", "quiz_problems", "terminology_problems"]

LONGEST_LIMIT = 0.30       # at most this share of questions may have the correct option as the longest
LONGEST_FLOOR = 0.15       # and at least this share, or "never the longest" becomes the trick
POSITION_TOLERANCE = 0.15  # a position may exceed its fair share (1/n) by this much
APPLICATION_SHARE = 0.60
APPLICATION_PER_MODULE = 2
FOUR_OPTIONS = 4
FOUR_OPTIONS_SHARE = 0.70
DUPLICATE_RATIO = 0.85
MIN_QUESTIONS = 20  # below this, shares are noise: the statistical warnings stay quiet
# Code is left alone: fenced blocks, `inline code`, «quoted commands» in quizzes, and option-like tokens.
_CODE = re.compile(r"```.*?```|`[^`\n]*`|«[^»]*»|\S*[=/]\S*", re.S)


@dataclass(frozen=True)
class QuizFigures:
    questions: int
    longest_correct: int
    application: int
    four_options: int  # questions with at least FOUR_OPTIONS options
    positions: dict[int, list[int]]  # number of options -> how often each position is correct

    @property
    def longest_share(self) -> float:
        return self.longest_correct / self.questions if self.questions else 0.0

    @property
    def application_share(self) -> float:
        return self.application / self.questions if self.questions else 0.0

    @property
    def four_options_share(self) -> float:
        return self.four_options / self.questions if self.questions else 0.0

    def lines(self) -> list[str]:
        out = [
            f"questions: {self.questions}",
            f"correct option is the strict longest: {self.longest_correct} ({self.longest_share:.0%})",
            f"application questions: {self.application} ({self.application_share:.0%})",
            f"questions with {FOUR_OPTIONS} options or more: {self.four_options} ({self.four_options_share:.0%})",
        ]
        for n, counts in sorted(self.positions.items()):
            total = sum(counts)
            shares = " ".join(f"{chr(65 + i)}={c} ({c / total:.0%})" for i, c in enumerate(counts))
            out.append(f"{n}-option questions: {total}; correct position {shares}")
        return out


def correct_is_longest(question: Question) -> bool:
    """True when the correct option is strictly longer than every other option."""
    right = len(question.options[question.answer])
    return all(len(option) < right for i, option in enumerate(question.options) if i != question.answer)


def quiz_figures(questions: Iterable[Question]) -> QuizFigures:
    questions = list(questions)
    positions: dict[int, list[int]] = {}
    for question in questions:
        positions.setdefault(len(question.options), [0] * len(question.options))[question.answer] += 1
    return QuizFigures(
        questions=len(questions),
        longest_correct=sum(correct_is_longest(q) for q in questions),
        application=sum(q.kind == "application" for q in questions),
        four_options=sum(len(q.options) >= FOUR_OPTIONS for q in questions),
        positions=positions,
    )


def quiz_problems(files: CourseFiles) -> list[Problem]:
    """Course-wide quiz warnings, each located at the course file or at the question concerned."""
    if files.course is None or files.course_source is None or not files.quizzes:
        return []
    where = files.course_source
    located = [(q, src, i) for quiz, src in files.quizzes for i, q in enumerate(quiz.questions)]
    figures = quiz_figures(q for q, _, _ in located)
    problems: list[Problem] = []
    for (first, _, _), (second, src, i) in _near_duplicates(located):
        problems.append(src.problem(("questions", i, "question"), (
            f"duplicate question: {second.id!r} asks nearly the same as {first.id!r}"
        ), warning=True))
    if figures.questions < MIN_QUESTIONS:
        return problems
    if figures.longest_share > LONGEST_LIMIT:
        problems.append(where.problem((), (
            f"option-length bias: the correct option is the longest in {figures.longest_correct} of "
            f"{figures.questions} questions ({figures.longest_share:.0%}, at most {LONGEST_LIMIT:.0%} allowed)"
        ), warning=True))
    elif figures.longest_share < LONGEST_FLOOR:
        problems.append(where.problem((), (
            f"option-length bias: the correct option is the longest in only {figures.longest_correct} of "
            f"{figures.questions} questions ({figures.longest_share:.0%}, at least {LONGEST_FLOOR:.0%} wanted: "
            "otherwise ruling out the longest option pays)"
        ), warning=True))
    for n, counts in sorted(figures.positions.items()):
        total = sum(counts)
        if total < 2 * n:
            continue
        for position, count in enumerate(counts):
            if count / total > 1 / n + POSITION_TOLERANCE:
                problems.append(where.problem((), (
                    f"answer-position bias: in {n}-option questions, {chr(65 + position)} is correct "
                    f"{count} times out of {total} ({count / total:.0%}, fair share {1 / n:.0%})"
                ), warning=True))
    if figures.application_share < APPLICATION_SHARE:
        problems.append(where.problem((), (
            f"too few application questions: {figures.application} of {figures.questions} "
            f"({figures.application_share:.0%}, at least {APPLICATION_SHARE:.0%} wanted)"
        ), warning=True))
    if figures.four_options_share < FOUR_OPTIONS_SHARE:
        problems.append(where.problem((), (
            f"too few questions with {FOUR_OPTIONS} options: {figures.four_options} of {figures.questions} "
            f"({figures.four_options_share:.0%}, at least {FOUR_OPTIONS_SHARE:.0%} wanted)"
        ), warning=True))
    quiz_src = {quiz.id: src for quiz, src in files.quizzes}
    quizzes = {quiz.id: quiz for quiz, _ in files.quizzes}
    for module in files.course.modules:
        if module.quiz in quizzes:
            applied = sum(q.kind == "application" for q in quizzes[module.quiz].questions)
            if applied < APPLICATION_PER_MODULE:
                problems.append(quiz_src[module.quiz].problem(("id",), (
                    f"module {module.id} has {applied} application question(s), "
                    f"at least {APPLICATION_PER_MODULE} wanted"
                ), warning=True))
    return problems


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _near_duplicates(located: list) -> Iterator[tuple]:
    """Pairs whose questions read nearly the same, or whose correct answers and options are the same."""
    keyed = [(_normal(q.question), frozenset(_normal(o) for o in q.options), item)
             for item in located for q in [item[0]]]
    for j, (text_b, options_b, b) in enumerate(keyed):
        for text_a, options_a, a in keyed[:j]:
            matcher = SequenceMatcher(None, text_a, text_b)  # the quick upper bounds first, then the ratio
            same_text = (matcher.real_quick_ratio() >= DUPLICATE_RATIO and matcher.quick_ratio() >= DUPLICATE_RATIO
                         and matcher.ratio() >= DUPLICATE_RATIO)
            same_options = options_a == options_b and _normal(a[0].options[a[0].answer]) == _normal(
                b[0].options[b[0].answer])
            if same_text or same_options:
                yield a, b
                break


def terminology_problems(files: CourseFiles) -> list[Problem]:
    """A banned variant in prose (code is left alone: `CONTAINER ID`, `my-app-container`)."""
    if files.course is None or not files.course.terminology:
        return []
    patterns = [(re.compile(rf"(?<![\w-]){re.escape(bad)}(?![\w-])"), bad, good)
                for bad, good in files.course.terminology.items()]
    problems: list[Problem] = []

    def scan(text: str, report) -> None:
        prose = _CODE.sub(" ", text)
        for pattern, bad, good in patterns:
            if pattern.search(prose):
                report(f"banned term variant {bad!r}: the course says {good!r}")

    for lesson, _ in files.lessons:
        if lesson.source is None:
            continue
        for number, line in _prose_lines(lesson.body):
            scan(line, lambda m, n=number, path=lesson.source: problems.append(
                Problem(path, None, f"{m} (body line {n})", warning=True)))
    for quiz, src in files.quizzes:
        for i, q in enumerate(quiz.questions):
            for field, text in (("question", q.question), ("explanation", q.explanation),
                                ("options", " | ".join(q.options))):
                scan(text, lambda m, loc=("questions", i, field), s=src: problems.append(
                    s.problem(loc, m, warning=True)))
    if files.glossary is not None:
        glossary, src = files.glossary
        for i, term in enumerate(glossary.terms):
            scan(term.definition, lambda m, loc=("terms", i, "definition"), s=src: problems.append(
                s.problem(loc, m, warning=True)))
    for exercise, src in files.exercises:
        texts = [("goal", exercise.goal), ("adaptation", exercise.adaptation or ""), ("title", exercise.title)]
        texts += [(("steps", i), t) for i, t in enumerate(exercise.steps)]
        texts += [(("hints", i), t) for i, t in enumerate(exercise.hints)]
        texts += [(("checks", i, "hint"), c.hint) for i, c in enumerate(exercise.checks)]
        for loc, text in texts:
            key = loc if isinstance(loc, tuple) else (loc,)
            scan(text, lambda m, k=key, s=src: problems.append(s.problem(k, m, warning=True)))
    return problems


def _prose_lines(body: str) -> Iterator[tuple[int, str]]:
    """Lines of a Markdown body outside fenced code blocks, numbered from 1."""
    fenced = False
    for number, line in enumerate(body.splitlines(), start=1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line
