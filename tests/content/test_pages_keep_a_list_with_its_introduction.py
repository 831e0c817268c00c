"""A learner on a phone never finds a heading, or a line introducing a list ("Deux écritures possibles :"), alone
at the bottom of a lesson page with its list on the next one."""

from __future__ import annotations

import re
from pathlib import Path

from bot.content import load_catalog, render_lesson_pages
from bot.content.markdown import parse_blocks
from bot.content.pages import paginate
from bot.telegram_html import parse_telegram_html

COURSE_DIR = Path(__file__).resolve().parents[2] / "content"


def last_line(page: str) -> str:
    return parse_telegram_html(page).text.rstrip().split("\n")[-1]


def leaves_something_hanging(page: str) -> bool:
    """The page ends on a line ending with ':' or on a heading (a line that is bold from end to end)."""
    return last_line(page).endswith(":") or bool(re.search(r"\n\n<b>[^<]*</b>$", page.rstrip()))


def pages_of(*blocks: str) -> list[str]:
    """Small screens (100 units), so the short blocks below fill two of them."""
    parsed, _ = parse_blocks("\n\n".join(blocks))
    return paginate(parsed, limit=4096, soft_limit=100)


def test_a_line_introducing_a_list_goes_to_the_next_page_with_its_list() -> None:
    pages = pages_of("Un conteneur " * 5, "Les commandes à retenir :", "- `docker ps`\n- `docker images`",
                     "Une image " * 6)
    holding = next(page for page in pages if "Les commandes à retenir :" in page)
    assert "• <code>docker ps</code>" in holding, "the introduction and its list share a page"
    assert not any(leaves_something_hanging(page) for page in pages[:-1])
    assert "".join(pages).count("Un conteneur") == 5 and "".join(pages).count("Une image") == 6


def test_a_heading_then_an_introduction_stay_with_the_code_they_introduce() -> None:
    pages = pages_of("Un conteneur " * 5, "## Construire", "Avec une commande :", "```bash\ndocker build .\n```",
                     "Une image " * 6)
    holding = next(page for page in pages if "<b>Construire</b>\n\nAvec une commande :" in page)
    assert "docker build ." in holding
    assert not any(leaves_something_hanging(page) for page in pages[:-1])


def test_no_page_of_the_real_course_ends_on_a_heading_or_an_introducing_line() -> None:
    catalog = load_catalog(COURSE_DIR)
    lessons = [lesson for course in catalog.courses.values() for lesson in course.lessons_in_order()]
    hanging = [(lesson.id, number + 1, last_line(page)) for lesson in lessons
               for number, page in enumerate(render_lesson_pages(lesson)[:-1]) if leaves_something_hanging(page)]
    assert hanging == []
