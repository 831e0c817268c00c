"""Long lessons become several short phone screens, each one a message Telegram accepts."""

from __future__ import annotations

import re

from bot.content import Lesson, render_lesson_pages
from bot.telegram_html import parse_telegram_html, utf16_len

SENTENCE = "Un conteneur est un processus isolé par les namespaces et limité par les cgroups. "


def lesson(body: str, title: str = "Les conteneurs") -> Lesson:
    return Lesson(id="m1-conteneurs", title=title, body=body)


def visible(page: str) -> str:
    return parse_telegram_html(page).text


def test_a_short_lesson_is_one_page_that_starts_with_its_title() -> None:
    pages = render_lesson_pages(lesson("Un **conteneur** tourne.", title="Tom & Jerry"))
    assert pages == ["<b>Tom &amp; Jerry</b>\n\nUn <b>conteneur</b> tourne."]


def test_a_ten_thousand_character_lesson_splits_between_blocks_never_inside_code() -> None:
    code = "```sh\n" + "\n".join(f"docker run --name web{i} -d nginx" for i in range(12)) + "\n```"
    blocks = []
    for i in range(48):
        blocks.append(f"Paragraphe {i}. " + SENTENCE * 2)
        if i % 8 == 3:
            blocks.append(code)
        if i % 10 == 0:
            blocks.append(f"## Partie {i}")
    body = "\n\n".join(blocks)
    assert len(body) >= 10_000
    pages = render_lesson_pages(lesson(body))
    assert len(pages) > 3
    for page in pages:
        assert utf16_len(visible(page)) <= 4096
        assert page.count("<pre>") == page.count("</pre>")
        assert not re.search(r"<b>Partie \d+</b>$", page), "a page never ends on a heading"
    assert sum(page.count("<pre>") for page in pages) == 6, "each code block stays whole on one page"
    text = "\n\n".join(visible(page) for page in pages)
    assert all(f"Paragraphe {i}." in text for i in range(48))


def test_pages_aim_at_a_phone_sized_screen() -> None:
    body = "\n\n".join(f"Paragraphe {i}. " + SENTENCE for i in range(40))
    pages = render_lesson_pages(lesson(body), soft_limit=1000)
    assert all(utf16_len(visible(page)) <= 1000 for page in pages)
    assert len(pages) >= 4


def test_a_6000_character_code_block_becomes_several_complete_pre_blocks() -> None:
    lines = [f"RUN echo 'ligne {i:03d}' >> /tmp/journal.txt" for i in range(150)]
    body = "Voici un long Dockerfile :\n\n```dockerfile\n" + "\n".join(lines) + "\n```"
    assert len("\n".join(lines)) >= 6000
    pages = render_lesson_pages(lesson(body))
    code_pages = [page for page in pages if "<pre>" in page]
    assert len(code_pages) >= 2
    for page in pages:
        assert utf16_len(visible(page)) <= 4096
    shown_lines = [line for page in code_pages for line in visible(page).split("\n") if line.startswith("RUN")]
    assert shown_lines == lines, "every line once, in order, none cut in half"
    for page in code_pages:
        assert re.fullmatch(r'(?s).*<pre><code class="language-dockerfile">[^<]*</code></pre>', page)


def test_one_huge_paragraph_is_cut_at_sentences_with_tags_closed_and_reopened() -> None:
    body = "**" + (SENTENCE * 120).strip() + "**"
    pages = render_lesson_pages(lesson(body))
    assert len(pages) >= 3
    for page in pages[1:]:
        assert page.startswith("<b>") and page.endswith("</b>")
        assert visible(page).rstrip().endswith("cgroups.")
        assert utf16_len(visible(page)) <= 4096
    assert "".join(visible(page).removeprefix("Les conteneurs\n\n") for page in pages).count("cgroups.") == 120


def test_emoji_count_as_two_utf16_units_against_the_limit() -> None:
    body = "\n\n".join("🐳" * 300 for _ in range(10))
    pages = render_lesson_pages(lesson(body), limit=1000, soft_limit=1000)
    assert all(utf16_len(visible(page)) <= 1000 for page in pages)
    assert sum(visible(page).count("🐳") for page in pages) == 3000
