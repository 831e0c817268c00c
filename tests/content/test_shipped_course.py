"""The guard on the course the bot ships: every file in the repository's content/ is valid."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import check_content, load_catalog, render_lesson_pages
from bot.telegram_html import parse_telegram_html, utf16_len

REPO_CONTENT = Path(__file__).resolve().parents[2] / "content"
SHIPPED = sorted(path.parent.name for path in REPO_CONTENT.glob("*/course.yaml"))


@pytest.mark.parametrize("course_id", SHIPPED)
def test_the_shipped_course_has_no_problem_at_all(course_id: str) -> None:
    problems = [str(p) for p in check_content(REPO_CONTENT) if p.file.parts[1:2] == (course_id,)]
    assert problems == []


@pytest.mark.parametrize("course_id", SHIPPED)
def test_every_shipped_lesson_page_is_a_message_telegram_accepts(course_id: str) -> None:
    course = load_catalog(REPO_CONTENT).course(course_id)
    for lesson in course.lessons_in_order():
        for page in render_lesson_pages(lesson):
            assert utf16_len(parse_telegram_html(page).text) <= 4096
