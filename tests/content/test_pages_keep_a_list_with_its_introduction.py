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
    """The page ends on a line ending with ':' (not the last line of a code block: `volumes:` in YAML) or on a
    heading (a line that is bold from end to end)."""
    return ((last_line(page).endswith(":") and not page.rstrip().endswith("</pre>"))
            or bool(re.search(r"\n\n<b>[^<]*</b>$", page.rstrip())))


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


def breaks_a_list_from_its_lead(before: str, after: str) -> bool:
    """The page starts with a list item explaining what the page before ends on: a code block or diagram (or a
    heading, or an introducing line)."""
    first_block = parse_telegram_html(after.split("\n\n", 1)[0]).text.rstrip()
    introduces_its_own = first_block.endswith(":")  # "5. Lance ton image :" is the next step, not an explanation
    return (bool(re.match(r"(?:•|\d+\.) ", after)) and not introduces_its_own
            and (before.rstrip().endswith("</pre>") or leaves_something_hanging(before)))


def test_a_code_block_stays_with_the_list_explaining_it() -> None:
    pages = pages_of("Un conteneur " * 3, "```bash\ndocker service create --name web nginx\n```",
                     "- `--name web` : le nom\n- `nginx` : l'image", "Une image " * 6)
    holding = next(page for page in pages if "docker service create" in page)
    assert "• <code>--name web</code>" in holding
    assert not any(breaks_a_list_from_its_lead(a, b) for a, b in zip(pages, pages[1:], strict=False))


def test_a_heading_stays_with_its_block_its_diagram_and_the_list_after_it() -> None:
    pages = pages_of("Un conteneur " * 3, "## Le conteneur", "Il partage le noyau.", "```text\n[app]\n[noyau]\n```",
                     "- ✅ Léger\n- ❌ Moins isolé", "Une image " * 6)
    holding = next(page for page in pages if "<b>Le conteneur</b>" in page)
    assert "Il partage le noyau." in holding and "[noyau]" in holding and "• ✅ Léger" in holding


def test_no_page_of_the_real_course_starts_with_a_list_cut_from_its_lead() -> None:
    catalog = load_catalog(COURSE_DIR)
    lessons = [lesson for course in catalog.courses.values() for lesson in course.lessons_in_order()]
    paged = [(lesson.id, render_lesson_pages(lesson)) for lesson in lessons]
    cut = [(lesson_id, number + 2) for lesson_id, pages in paged
           for number, (before, after) in enumerate(zip(pages, pages[1:], strict=False))
           if breaks_a_list_from_its_lead(before, after)]
    assert cut == []
