"""Telegram HTML (what learners will get) as HTML a page may show: only Telegram's own formatting tags survive,
every text and attribute is escaped again, and links keep only http(s)/tg addresses.

The announcement's HTML is made by the bot's Markdown renderer, which escapes what the instructor typed; this is
the second lock, so that the page never trusts a string it did not rebuild itself.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

__all__ = ["page_html"]

_KEPT = {"b": "b", "strong": "b", "i": "i", "em": "i", "u": "u", "ins": "u", "s": "s", "strike": "s", "del": "s",
         "code": "code", "pre": "pre", "blockquote": "blockquote", "a": "a", "tg-spoiler": "span"}
_SCHEMES = ("http://", "https://", "tg://")


class _Rebuild(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        name = _KEPT.get(tag)
        if tag == "span" and ("class", "tg-spoiler") in attrs:
            name = "span"
        if name is None:
            return
        if name == "a":
            href = dict(attrs).get("href") or ""
            if href.lower().startswith(_SCHEMES):
                self.out.append(f'<a href="{html.escape(href, quote=True)}" target="_blank" rel="noopener noreferrer">')
            else:
                self.out.append("<a>")
        elif name == "span":
            self.out.append('<span class="spoiler">')
        else:
            self.out.append(f"<{name}>")
        self.open.append(name)

    def handle_endtag(self, tag: str) -> None:
        name = "span" if tag == "tg-spoiler" else _KEPT.get(tag, tag if tag == "span" else None)
        if name is not None and name in self.open:
            while self.open:
                closing = self.open.pop()
                self.out.append(f"</{closing}>")
                if closing == name:
                    break

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data, quote=False))


def page_html(telegram_html: str) -> str:
    parser = _Rebuild()
    parser.feed(telegram_html)
    parser.close()
    return "".join(parser.out) + "".join(f"</{name}>" for name in reversed(parser.open))
