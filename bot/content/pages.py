"""A lesson as phone-sized Telegram messages: a title line, then the body split between blocks."""

from __future__ import annotations

import math
import re
from html import escape, unescape

from bot.content.errors import MarkdownPagingError
from bot.content.html_split import split_code, split_html, visible_length
from bot.content.markdown import Block, code_html, parse_blocks
from bot.content.models import Lesson
from bot.telegram_html import TelegramHtmlError, parse_telegram_html, utf16_len

__all__ = ["TELEGRAM_TEXT_LIMIT", "paginate", "render_lesson_pages"]

TELEGRAM_TEXT_LIMIT = 4096
SOFT_LIMIT = 1500
_SEPARATOR = "\n\n"
_TAG = re.compile(r"<[^>]*>")


def render_lesson_pages(lesson: Lesson, *, limit: int = TELEGRAM_TEXT_LIMIT, soft_limit: int = SOFT_LIMIT) -> list[str]:
    """The lesson's pages: each valid Telegram HTML showing at most `limit` UTF-16 units.

    Pages aim at `soft_limit` so a lesson reads as a few short screens; a block that fits the
    hard limit is never cut, and a larger one is cut into self-contained pieces.
    """
    blocks, _ = parse_blocks(lesson.body)
    title = Block(f"<b>{escape(lesson.title, quote=False)}</b>", 0, heading=True)
    return paginate([title, *blocks], limit=limit, soft_limit=min(soft_limit, limit))


def paginate(blocks: list[Block], *, limit: int, soft_limit: int) -> list[str]:
    """Pages of about equal length: as few as `soft_limit` allows, none over `limit`."""
    pieces = [piece for block in blocks for piece in _fitting_pieces(block, limit, soft_limit)]
    units = _keep_headings_with_next(pieces, limit)
    total = _visible(_SEPARATOR.join(units))
    count = max(1, math.ceil(total / soft_limit))
    target = math.ceil(total / count)
    pages = _fill(units, target)
    while len(pages) > count and target < soft_limit:
        target = min(soft_limit, target + max(1, target // 10))
        pages = _fill(units, target)
    pages = _merge_short_tail(pages, limit=min(limit, soft_limit * 5 // 4), short=soft_limit // 4)
    for page in pages:
        _verify(page, limit)
    return pages


def _fill(units: list[str], target: int) -> list[str]:
    """Greedy: add units to the page while it stays within `target` (a unit alone may exceed it)."""
    pages: list[str] = []
    current: list[str] = []
    size = 0
    separator = utf16_len(_SEPARATOR)
    for unit in units:
        unit_size = _visible(unit)
        if current and size + separator + unit_size > target:
            pages.append(_SEPARATOR.join(current))
            current, size = [], 0
        size += (separator if current else 0) + unit_size
        current.append(unit)
    if current:
        pages.append(_SEPARATOR.join(current))
    return pages


def _merge_short_tail(pages: list[str], *, limit: int, short: int) -> list[str]:
    """A last screen of two lines reads better at the end of the one before."""
    if len(pages) < 2 or _visible(pages[-1]) >= short:
        return pages
    merged = pages[-2] + _SEPARATOR + pages[-1]
    return pages[:-2] + [merged] if _visible(merged) <= limit else pages


def _visible(html: str) -> int:
    return visible_length(html, utf16_len)


def _fitting_pieces(block: Block, limit: int, soft_limit: int) -> list[tuple[str, bool]]:
    """(html, is_heading) pieces of one block, each within the hard limit."""
    if _visible(block.html) <= limit:
        return [(block.html, block.heading)]
    if block.code is not None:
        return [(code_html(chunk, block.language), False) for chunk in split_code(block.code, soft_limit, utf16_len)]
    return [(piece, False) for piece in split_html(block.html, soft_limit, utf16_len)]


def _leads_in(html: str, is_heading: bool) -> bool:
    """A heading, or a block ending with ':' ("Deux écritures possibles :"): it belongs with what follows."""
    return is_heading or unescape(_TAG.sub("", html)).rstrip().endswith(":")


def _keep_headings_with_next(pieces: list[tuple[str, bool]], limit: int) -> list[str]:
    """Glue each heading, and each line introducing a list or code (ending with ':'), to the block after it,
    so no page ends on one (a chain of them, heading then introduction, stays with what they introduce)."""
    units: list[str] = []
    pending: str | None = None
    for html, is_heading in pieces:
        if pending is not None:
            glued = pending + _SEPARATOR + html
            if _visible(glued) <= limit:
                html = glued
            else:
                units.append(pending)
            pending = None
        if _leads_in(html, is_heading):
            pending = html
        else:
            units.append(html)
    if pending is not None:
        units.append(pending)
    return units


def _verify(page: str, limit: int) -> None:
    try:
        parsed = parse_telegram_html(page)
    except TelegramHtmlError as exc:
        raise MarkdownPagingError(f"page is not valid Telegram HTML: {exc}") from exc
    if utf16_len(parsed.text) > limit:
        raise MarkdownPagingError(f"page shows {utf16_len(parsed.text)} units, more than {limit}")
