"""A learner on a phone never finds a heading, or a line introducing a list ("Deux écritures possibles :"), alone
at the bottom of a lesson page with its list on the next one."""

from __future__ import annotations

import re
from pathlib import Path

from bot.content import Lesson, load_catalog, render_lesson_pages
from bot.telegram_html import parse_telegram_html

COURSE_DIR = Path(__file__).resolve().parents[2] / "content"
SENTENCE = "Un conteneur est un processus isolé par les namespaces et limité par les cgroups. "


def last_line(page: str) -> str:
    return parse_telegram_html(page).text.rstrip().split("\n")[-1]


def leaves_something_hanging(page: str) -> bool:
    """The page ends on a line ending with ':' or on a heading (a line that is bold from end to end)."""
    return last_line(page).endswith(":") or bool(re.search(r"\n\n<b>[^<]*</b>$", page.rstrip()))


def test_a_line_introducing_a_list_goes_to_the_next_page_with_its_list() -> None:
    body = "\n\n".join([
        *(f"Paragraphe {i}. " + SENTENCE * 3 for i in range(5)),
        "Les commandes à retenir :",
        "- `docker ps` liste les conteneurs ;\n- `docker images` liste les images ;\n- `docker rm` supprime.",
        *(f"Suite {i}. " + SENTENCE * 3 for i in range(5)),
    ])
    pages = render_lesson_pages(Lesson(id="m1-x", title="Les commandes", body=body), soft_limit=1200)
    assert len(pages) >= 2
    holding = next(page for page in pages if "Les commandes à retenir :" in page)
    assert "• <code>docker ps</code>" in holding, "the introduction and its list share a page"
    assert not any(leaves_something_hanging(page) for page in pages[:-1])


def test_a_heading_then_an_introduction_stay_with_the_code_they_introduce() -> None:
    body = "\n\n".join([
        *(f"Paragraphe {i}. " + SENTENCE * 3 for i in range(5)),
        "## Construire",
        "Avec une seule commande :",
        "```bash\ndocker build -t essai .\n```",
        *(f"Suite {i}. " + SENTENCE * 3 for i in range(5)),
    ])
    pages = render_lesson_pages(Lesson(id="m1-y", title="Construire", body=body), soft_limit=1200)
    holding = next(page for page in pages if "<b>Construire</b>\n\nAvec une seule commande :" in page)
    assert "docker build -t essai ." in holding


def test_no_page_of_the_real_course_ends_on_a_heading_or_an_introducing_line() -> None:
    catalog = load_catalog(COURSE_DIR)
    lessons = [lesson for course in catalog.courses.values() for lesson in course.lessons_in_order()]
    hanging = [(lesson.id, number + 1, last_line(page)) for lesson in lessons
               for number, page in enumerate(render_lesson_pages(lesson)[:-1]) if leaves_something_hanging(page)]
    assert hanging == []
