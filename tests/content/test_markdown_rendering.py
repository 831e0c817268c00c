"""Lesson Markdown becomes the small HTML subset Telegram shows."""

from __future__ import annotations

import pytest

from bot.content import render_markdown
from bot.telegram_html import parse_telegram_html


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("Du **gras** et de l'*italique*.", "Du <b>gras</b> et de l'<i>italique</i>."),
        ("Lance `docker ps -a`.", "Lance <code>docker ps -a</code>."),
        ("[La doc](https://docs.docker.com/?a=1&b=2)", '<a href="https://docs.docker.com/?a=1&amp;b=2">La doc</a>'),
        ("## Les **volumes**", "<b>Les volumes</b>"),
        ("- un\n- deux", "• un\n• deux"),
        ("1. un\n2. deux", "1. un\n2. deux"),
        ("3. trois\n4. quatre", "3. trois\n4. quatre"),
        ("- un\n  - sous-point\n- deux", "• un\n   ◦ sous-point\n• deux"),
        ("> Une citation\n> sur deux lignes", "<blockquote>Une citation sur deux lignes</blockquote>"),
        ("ligne coupée\ndans la source", "ligne coupée dans la source"),
    ],
)
def test_supported_markdown_becomes_telegram_html(markdown: str, html: str) -> None:
    assert render_markdown(markdown) == html
    parse_telegram_html(html)


def test_special_characters_are_escaped_everywhere() -> None:
    assert render_markdown("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert render_markdown("`if a < b && c`") == "<code>if a &lt; b &amp;&amp; c</code>"
    assert parse_telegram_html(render_markdown("a < b & c")).text == "a < b & c"


def test_a_fenced_code_block_keeps_its_language_and_its_text() -> None:
    html = render_markdown("```dockerfile\nFROM nginx\nCOPY <src> /dst\n```")
    assert html == '<pre><code class="language-dockerfile">FROM nginx\nCOPY &lt;src&gt; /dst</code></pre>'
    assert parse_telegram_html(html).text == "FROM nginx\nCOPY <src> /dst"


def test_a_code_block_without_language_is_a_plain_pre() -> None:
    assert render_markdown("```\nls\n```") == "<pre>ls</pre>"


def test_raw_html_is_shown_as_text_never_passed_through() -> None:
    html = render_markdown("Un <b>faux</b> gras")
    assert html == "Un &lt;b&gt;faux&lt;/b&gt; gras"
    assert parse_telegram_html(html).text == "Un <b>faux</b> gras"


def test_paragraphs_are_separated_by_a_blank_line() -> None:
    assert render_markdown("Premier.\n\nSecond.") == "Premier.\n\nSecond."
