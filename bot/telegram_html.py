"""Telegram's HTML parse mode, as the Bot API applies it: tags become entities, or the message is refused.

Used by the local Bot API server (to accept or reject what the bot sends, like Telegram)
and by the content checker (a lesson must render to HTML that Telegram accepts).
Offsets and lengths are in UTF-16 code units, as in the Bot API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Entity", "ParsedText", "TelegramHtmlError", "parse_telegram_html", "utf16_len"]

_ENTITY_TYPES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "tg-spoiler": "spoiler",
    "a": "text_link", "code": "code", "pre": "pre", "blockquote": "blockquote", "span": "spoiler",
    "tg-emoji": "custom_emoji",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9-]*")
_ATTRIBUTE = re.compile(r"\s*([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")
_ENTITY_REF = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")


class TelegramHtmlError(ValueError):
    """The text is not valid Telegram HTML; the message is the one the Bot API gives."""


@dataclass(frozen=True)
class Entity:
    type: str
    offset: int
    length: int
    url: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class ParsedText:
    text: str
    entities: tuple[Entity, ...] = field(default_factory=tuple)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: an emoji outside the BMP counts as two."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    name: str
    byte_offset: int
    start: int  # UTF-16 offset in the plain text
    attributes: dict[str, str]


def parse_telegram_html(html: str) -> ParsedText:
    """Plain text and entities of a Telegram HTML message, or TelegramHtmlError."""
    out: list[str] = []
    length = 0  # UTF-16 length of what is in `out`
    stack: list[_Open] = []
    entities: list[Entity] = []
    i = 0
    while i < len(html):
        char = html[i]
        if char == "&":
            match = _ENTITY_REF.match(html, i)
            decoded = _decode_entity(match.group(1)) if match else None
            if decoded is not None:
                out.append(decoded)
                length += utf16_len(decoded)
                i = match.end()
                continue
            out.append("&")
            length += 1
            i += 1
            continue
        if char != "<":
            out.append(char)
            length += utf16_len(char)
            i += 1
            continue
        offset = len(html[:i].encode("utf-8"))
        if html.startswith("</", i):
            i = _close(html, i, offset, stack, entities, length)
            continue
        name_match = _TAG_NAME.match(html, i + 1)
        name = name_match.group(0).lower() if name_match else ""
        if name not in _ENTITY_TYPES:
            raise TelegramHtmlError(f'Unsupported start tag "{name}" at byte offset {offset}')
        end = html.find(">", name_match.end())
        if end == -1:
            raise TelegramHtmlError(f"Unclosed start tag at byte offset {offset}")
        attributes = _attributes(html[name_match.end():end], name, offset)
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise TelegramHtmlError(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
        stack.append(_Open(name, offset, length, attributes))
        i = end + 1
    if stack:
        raise TelegramHtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e.offset, -e.length))
    return ParsedText("".join(out), tuple(entities))


def _decode_entity(body: str) -> str | None:
    if body.startswith("#"):
        code = int(body[2:], 16) if body[1:2] in ("x", "X") else int(body[1:])
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else None
    return _NAMED.get(body.lower())


def _attributes(raw: str, tag: str, offset: int) -> dict[str, str]:
    attributes: dict[str, str] = {}
    position = 0
    raw = raw.rstrip("/ \t\n")
    while position < len(raw):
        match = _ATTRIBUTE.match(raw, position)
        if match is None or match.end() == position:
            raise TelegramHtmlError(f'Empty attribute name in the tag "{tag}" at byte offset {offset}')
        value = match.group(2) or ""
        attributes[match.group(1).lower()] = value[1:-1] if value[:1] in "\"'" and value else value
        position = match.end()
    return attributes


def _close(html: str, i: int, offset: int, stack: list[_Open], entities: list[Entity], length: int) -> int:
    end = html.find(">", i)
    if end == -1:
        raise TelegramHtmlError(f"Unclosed end tag at byte offset {offset}")
    name = html[i + 2:end].strip().lower()
    if not stack:
        raise TelegramHtmlError(f"Unexpected end tag at byte offset {offset}")
    opened = stack.pop()
    if name != opened.name:
        raise TelegramHtmlError(
            f'Unmatched end tag at byte offset {offset}, expected "</{opened.name}>", found "</{name}>"'
        )
    if length > opened.start:
        entities.append(_entity(opened, length, stack))
    return end + 1


def _entity(opened: _Open, length: int, stack: list[_Open]) -> Entity:
    kind = _ENTITY_TYPES[opened.name]
    span = length - opened.start
    if opened.name == "a":
        return Entity("text_link", opened.start, span, url=opened.attributes.get("href", ""))
    if opened.name == "code" and stack and stack[-1].name == "pre":
        language = opened.attributes.get("class", "").removeprefix("language-") or None
        return Entity("code", opened.start, span, language=language)
    if opened.name == "blockquote" and "expandable" in opened.attributes:
        return Entity("expandable_blockquote", opened.start, span)
    return Entity(kind, opened.start, span)
