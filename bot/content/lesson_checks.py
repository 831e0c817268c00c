"""Checks that lessons and exercise texts render to Telegram HTML the bot can send."""

from __future__ import annotations

from pathlib import Path

from bot.content.errors import MarkdownPagingError
from bot.content.exercise import Exercise
from bot.content.markdown import parse_blocks, render_markdown
from bot.content.models import Lesson
from bot.content.pages import render_lesson_pages
from bot.content.problems import Problem
from bot.content.sources import Parsed
from bot.telegram_html import TelegramHtmlError, parse_telegram_html

__all__ = ["lesson_problems", "snippet_problems"]


def lesson_problems(lesson: Lesson, path: Path, body_line: int) -> list[Problem]:
    """Unsupported Markdown in the body (with its line), an empty body, or pages Telegram would refuse."""
    blocks, issues = parse_blocks(lesson.body)
    problems = _unique([Problem(path, body_line + issue.line, issue.message) for issue in issues])
    if not blocks:
        problems.append(Problem(path, body_line, "the lesson has no text after its front matter"))
    try:
        render_lesson_pages(lesson)
    except MarkdownPagingError as exc:
        problems.append(Problem(path, body_line, str(exc)))
    return problems


def snippet_problems(exercise: Exercise, parsed: Parsed) -> list[Problem]:
    """The same Markdown rules for an exercise's goal, steps, hints and adaptation."""
    snippets: list[tuple[tuple[str | int, ...], str]] = [(("goal",), exercise.goal)]
    snippets += [(("steps", i), step) for i, step in enumerate(exercise.steps)]
    snippets += [(("hints", i), hint) for i, hint in enumerate(exercise.hints)]
    if exercise.adaptation:
        snippets.append((("adaptation",), exercise.adaptation))
    problems: list[Problem] = []
    for loc, text in snippets:
        _, issues = parse_blocks(text)
        problems += [parsed.problem(loc, issue.message) for issue in issues]
        try:
            parse_telegram_html(render_markdown(text))
        except TelegramHtmlError as exc:
            problems.append(parsed.problem(loc, f"does not render to valid Telegram HTML: {exc}"))
    return _unique(problems)


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
