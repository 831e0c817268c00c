"""Course content: the files instructors write, validated with `file:line` problems, and
lessons rendered to phone-sized Telegram HTML pages (see docs/CONTENT_FORMAT.md)."""

from bot.content.checks import (
    Check,
    CommandCheck,
    ContainerCheck,
    DockerfileCheck,
    HistoryCheck,
    HttpCheck,
    ImageCheck,
    MountCheck,
    NetworkCheck,
    ServiceCheck,
    VolumeCheck,
)
from bot.content.errors import ContentError, MarkdownPagingError
from bot.content.exercise import Exercise, Setup, Solution, WrongAttempt
from bot.content.loader import check_content, load_catalog
from bot.content.markdown import render_markdown
from bot.content.models import Catalog, Course, GlossaryTerm, Lesson, Module, Question, Quiz
from bot.content.pages import TELEGRAM_TEXT_LIMIT, render_lesson_pages
from bot.content.problems import Problem

__all__ = [
    "TELEGRAM_TEXT_LIMIT", "Catalog", "Check", "CommandCheck", "ContainerCheck", "ContentError", "Course",
    "DockerfileCheck", "Exercise", "GlossaryTerm", "HistoryCheck", "HttpCheck", "ImageCheck", "Lesson",
    "MarkdownPagingError", "Module", "MountCheck", "NetworkCheck", "Problem", "Question", "Quiz",
    "ServiceCheck", "Setup", "Solution", "VolumeCheck", "WrongAttempt", "check_content", "load_catalog",
    "render_lesson_pages", "render_markdown",
]
